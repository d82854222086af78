// Pass 2's facts: what the unit stores in fields and globals, what its
// functions return and where their parameters go, as other units see them
// (exported with --facts-out) and as this unit reads other units' (the
// imported facts of --facts-in).
#include "matchers/provenance/ProvenancePass.h"

#include "matchers/kernel/MemoryApi.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"

namespace vmalloc_lint {
namespace provenance {

/// A stack address a field or global holds belongs to the frame of the
/// function that stored it (vub300's `vub300->urb->context = &done` in
/// vub300_usb_bulk_msg()): read through the facts in any other function,
/// it is no stack buffer of that function (vub300's completion handlers
/// read the host from urb->context of their own urbs).
static MemValue withoutOtherFrames(MemValue V, const FunctionDecl *Current,
                                   bool External) {
  if (!(V.Kinds & mem::Stack))
    return V;
  const void *O = V.originOf(mem::Stack);
  const auto *DRE = O && !External
                        ? dyn_cast<DeclRefExpr>(static_cast<const Expr *>(O))
                        : nullptr;
  const DeclContext *DC =
      DRE ? DRE->getDecl()->getParentFunctionOrMethod() : nullptr;
  if (Current && DC == static_cast<const DeclContext *>(Current))
    return V;
  unsigned I = MemValue::index(mem::Stack);
  V.Kinds &= ~mem::Stack;
  V.Origin[I] = nullptr;
  V.OriginOrder[I] = 0;
  return V.bottom() ? MemValue::unknown() : V;
}

/// What a read sees when the state does not track the key.
MemValue ProvenancePass::untracked(const Key &K, const State *S) {
  MemValue R = untrackedFacts(K, S);
  return withoutOtherFrames(R, Current, externalOrigin(R.originOf(mem::Stack)));
}

MemValue ProvenancePass::untrackedFacts(const Key &K, const State *S) {
  if (K.second) {
    auto It = FieldFacts.find(K.second->getCanonicalDecl());
    bool Known = It != FieldFacts.end();
    MemValue V = Known ? It->second : MemValue();
    if (Known && S)
      V = dropByTags(*S, K, V);
    if (std::optional<FieldName> N = fieldName(K.second)) {
      auto Named = NamedFieldFacts.find(*N);
      if (Named != NamedFieldFacts.end()) {
        V = joinValues(V, Named->second);
        Known = true;
      }
      if (Opts.Imported) {
        auto Imp = Opts.Imported->Fields.find(*N);
        if (Imp != Opts.Imported->Fields.end()) {
          V = joinValues(V, importedValue(Imp->second));
          Known = true;
        }
      }
    }
    return Known ? factRead(V) : MemValue::unknown();
  }
  const auto *VD = dyn_cast<VarDecl>(K.first);
  if (VD && !VD->hasLocalStorage()) {
    auto It = GlobalFacts.find(VD->getCanonicalDecl());
    bool Known = It != GlobalFacts.end();
    MemValue V = Known ? It->second : MemValue();
    if (Opts.Imported && VD->isExternallyVisible() && VD->getIdentifier()) {
      auto Imp = Opts.Imported->Globals.find(VD->getName().str());
      if (Imp != Opts.Imported->Globals.end()) {
        V = joinValues(V, importedValue(Imp->second));
        Known = true;
      }
    }
    return Known ? factRead(V) : MemValue::unknown();
  }
  return MemValue::unknown();
}

/// The struct tag and field name other units know a field by: none for
/// an anonymous struct or one defined in the main file (no other unit
/// sees that type), nor for a link to the struct's own type
/// (list_head.next, rb_node.rb_left): a vmalloc()ed hash table of list
/// heads makes them point into vmalloc memory in the unit that
/// initialises it, which says nothing of the nodes other units link in.
std::optional<FieldName> ProvenancePass::fieldName(const FieldDecl *F) {
  const RecordDecl *RD = F->getParent();
  if (!RD || !RD->getIdentifier() || !F->getIdentifier())
    return std::nullopt;
  if (const RecordDecl *To =
          F->getType()->getPointeeType().isNull()
              ? nullptr
              : F->getType()->getPointeeType()->getAsRecordDecl())
    if (To->getCanonicalDecl() == RD->getCanonicalDecl())
      return std::nullopt;
  const RecordDecl *Def = RD->getDefinition();
  if (!Def || SM.isInMainFile(SM.getExpansionLoc(Def->getLocation())))
    return std::nullopt;
  return FieldName{RD->getName().str(), F->getName().str()};
}

/// An imported value: its origins are the facts' records, ordered after
/// every origin of this unit.
MemValue ProvenancePass::importedValue(const MemFact &M) {
  MemValue V;
  V.Kinds = M.Kinds;
  V.Params = M.Params;
  // The facts do not say what a mixed value's vmalloc side was: take it
  // for vmalloc memory (the lower confidence).
  if (V.Kinds & mem::Mixed)
    V.MixedFrom = mem::Vmalloc;
  for (const auto &[Bit, Or] : M.Origins) {
    unsigned I = MemValue::index(Bit);
    if (I >= MemValue::NumKinds || !(M.Kinds & Bit))
      continue;
    V.Origin[I] = &Or;
    V.OriginOrder[I] = 0x80000000u + Or.Ordinal;
    ExternalOrigins.insert(&Or);
  }
  return V;
}

const FactOrigin *ProvenancePass::externalOrigin(const void *P) const {
  return ExternalOrigins.count(P) ? static_cast<const FactOrigin *>(P)
                                  : nullptr;
}

/// What is known of a callee: the unit's facts if it defines it, else
/// the facts another unit exported for it (--facts-in).
const FunctionFacts *ProvenancePass::factsFor(const FunctionDecl *FD) {
  auto It = Facts.find(FD->getDefinition());
  if (It != Facts.end())
    return &It->second;
  if (!Opts.Imported || FD->getDefinition() || !FD->getIdentifier() ||
      !FD->isExternallyVisible())
    return nullptr;
  const FunctionDecl *C = FD->getCanonicalDecl();
  auto Cached = Imported.find(C);
  if (Cached != Imported.end())
    return Cached->second ? &*Cached->second : nullptr;
  std::optional<FunctionFacts> Out;
  auto Fact = Opts.Imported->Functions.find(FD->getName().str());
  if (Fact != Opts.Imported->Functions.end()) {
    const FunctionFact &F = Fact->second;
    Out.emplace();
    Out->Returns = importedValue(F.Returns);
    for (const auto &[I, Sinks] : F.ParamSinks)
      for (const SinkFact &SF : Sinks)
        if (const MemorySink *Row = lookupMemorySink(SF.Sink))
          Out->ParamSinks[I].insert(
              ParamSink{Row, SF.Sink, SourceLocation(), &SF.Where});
    Out->ParamFieldNames = F.ParamFields;
  }
  auto &Slot = Imported[C] = std::move(Out);
  return Slot ? &*Slot : nullptr;
}

FactPoint ProvenancePass::factPoint(SourceLocation L) {
  SourcePoint P = point(L);
  return {P.File, P.Line, P.Column};
}

MemFact ProvenancePass::exported(const MemValue &V) {
  MemFact M;
  M.Kinds = V.Kinds;
  M.Params = V.Params;
  for (unsigned I = 0; I < MemValue::NumKinds; ++I) {
    const void *O = V.Origin[I];
    if (!O || !(V.Kinds & (1u << I)))
      continue;
    if (const FactOrigin *Ext = externalOrigin(O)) {
      M.Origins[1u << I] = *Ext;
      continue;
    }
    const auto *E = static_cast<const Expr *>(O);
    FactOrigin Or;
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      Or.Callee = calleeName(Call);
      Or.Where = factPoint(E->getBeginLoc());
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      Or.Callee = DRE->getDecl()->getName().str();
      Or.Stack = true;
      Or.Where = factPoint(DRE->getDecl()->getLocation());
    } else {
      continue;
    }
    if (Or.Where.valid())
      M.Origins[1u << I] = Or;
  }
  return M;
}

/// What another unit may use of a value of type T. An integer carries
/// the kinds of the pointer it was computed from (offset_in_page(buf),
/// a length): in one unit that is harmless, but exported it would give
/// every reader of scatterlist's offset vmalloc memory. So only pointers
/// carry their kinds across files, integers only page addresses (a pfn).
MemValue ProvenancePass::exportable(MemValue V, QualType T) {
  if (!T.isNull() && !T->isPointerType() && !T->isArrayType())
    V.Kinds &= mem::PageAddr | mem::PageAddrMaybe;
  return V;
}

/// Only unknown memory: nothing another unit can use.
bool ProvenancePass::worthExporting(const MemValue &V) {
  return (V.Kinds & ~mem::Unknown) || V.Params;
}

void ProvenancePass::exportFacts(CrossFileFacts &Out) {
  for (const FunctionDecl *FD : Functions) {
    if (!FD->getIdentifier() || !FD->isExternallyVisible())
      continue;
    const FunctionFacts &FF = Facts[FD];
    FunctionFact F;
    F.Def = factPoint(FD->getLocation());
    if (!F.Def.valid())
      continue;
    MemValue Returns = exportable(FF.Returns, FD->getReturnType());
    if (worthExporting(Returns))
      F.Returns = exported(Returns);
    for (const auto &[I, Sinks] : FF.ParamSinks)
      for (const ParamSink &PS : Sinks) {
        SinkFact SF;
        SF.Sink = PS.SinkName;
        SF.Where = PS.ExtLoc ? *PS.ExtLoc : factPoint(PS.SinkLoc);
        if (SF.Where.valid())
          F.ParamSinks[I].insert(SF);
      }
    for (const auto &[I, Fields] : FF.ParamFields)
      for (const FieldDecl *FDecl : Fields)
        if (std::optional<FieldName> N = fieldName(FDecl))
          if (FDecl->getType()->isPointerType())
            F.ParamFields[I].insert(*N);
    if (!F.empty())
      Out.Functions[FD->getName().str()] = std::move(F);
  }
  for (const auto &[FDecl, V] : FieldFacts)
    if (std::optional<FieldName> N = fieldName(FDecl)) {
      MemValue X = exportable(V, FDecl->getType());
      if (worthExporting(X))
        Out.Fields[*N].join(exported(X));
    }
  for (const auto &[N, V] : NamedFieldFacts)
    if (worthExporting(V))
      Out.Fields[N].join(exported(V));
  for (const auto &[VD, V] : GlobalFacts) {
    MemValue X = exportable(V, VD->getType());
    if (VD->getIdentifier() && VD->isExternallyVisible() && worthExporting(X))
      Out.Globals[VD->getName().str()].join(exported(X));
  }
}

void ProvenancePass::addFact(MemValue &Slot, const MemValue &V) {
  MemValue W = V;
  W.Params = 0;
  if (W.bottom())
    return;
  MemValue J = joinValues(Slot, W);
  if (J != Slot) {
    Slot = J;
    FactsChanged = true;
  }
}

/// The kinds of field K.second's facts (V) that what the path knows of
/// K.first's tags excludes, dropped: `if (b->data_mode != DATA_MODE_VMALLOC)`
/// where every object whose b->data holds vmalloc memory has data_mode
/// DATA_MODE_VMALLOC.
MemValue ProvenancePass::dropByTags(const State &S, const Key &K, MemValue V) {
  if (!K.first || S.Tags.empty())
    return V;
  const FieldDecl *F = K.second->getCanonicalDecl();
  auto FT = FieldTagFacts.find(F);
  if (FT == FieldTagFacts.end())
    return V;
  auto A = FieldTagAny.find(F);
  uint16_t Any = A == FieldTagAny.end() ? 0 : A->second;
  for (const auto &[TF, Sets] : FT->second) {
    auto Known = S.Tags.find(TagKey{K.first, TF, false});
    if (Known == S.Tags.end())
      continue;
    for (unsigned I = 0; I < MemValue::NumKinds; ++I)
      if ((V.Kinds & (1u << I)) && !(Any & (1u << I)) &&
          Known->second.excludes(Sets[I])) {
        V.Kinds &= ~(1u << I);
        V.Origin[I] = nullptr;
        V.OriginOrder[I] = 0;
      }
  }
  return V;
}

void ProvenancePass::fieldAssigned(const FieldDecl *F, const MemValue &V) {
  F = F->getCanonicalDecl();
  for (unsigned I = 0; I < 64; ++I)
    if (V.Params & (uint64_t(1) << I))
      if (Facts[Current].ParamFields[I].insert(F).second)
        FactsChanged = true;
  addFact(FieldFacts[F], V);
}

} // namespace provenance
} // namespace vmalloc_lint
