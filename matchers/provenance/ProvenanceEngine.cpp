// Pass 2. Why a CFG dataflow and not a Static Analyzer checker: the facts
// needed are "which kinds of memory can this pointer hold here", a small
// lattice joined at merge points, plus summaries of functions and fields
// that must be iterated over the whole translation unit. A forward dataflow
// over clang::CFG computes that in time linear in the function (per round),
// is deterministic, sees every path including those the analyzer's path
// budget would drop, and needs no symbolic execution of kernel headers.
// Guards (is_vmalloc_addr, virt_addr_valid) refine the value on the CFG
// edge their branch takes, which gives path sensitivity where it matters.
//
// The calls of the tables (sources, sinks, guards) are the AST matchers'
// (matchers/CallSites.h); the walks below that are not about the tables
// (which functions a unit defines and calls, the expressions a sink macro's
// argument became) stay RecursiveASTVisitors.
#include "matchers/provenance/ProvenanceEngine.h"
#include "matchers/provenance/ProvenancePass.h"

#include "matchers/kernel/MemoryApi.h"
#include "matchers/kernel/VmallocApi.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecordLayout.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace vmalloc_lint {
namespace provenance {

bool isTableFunction(StringRef Name) {
  std::string N = Name.str();
  return lookupVmallocApi(N) || lookupMemorySource(N) || lookupMemorySink(N) ||
         lookupMemoryGuard(N) || isVmallocPageLookup(N) ||
         lookupDmaMaskSetter(N);
}

std::string calleeName(const CallExpr *CE) {
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return "";
  return FD->getName().str();
}

namespace {

/// Function definitions with bodies, and the calls each makes.
class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
public:
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && FD->getBody())
      Defs.push_back(FD);
    return true;
  }
  std::vector<const FunctionDecl *> Defs;
};

/// The function-pointer fields of the unit and the one function stored
/// in each (an ops table's designated initializer, `ops->f = fn`); null
/// where it stores several functions or any other value.
class FieldFunctionCollector
    : public RecursiveASTVisitor<FieldFunctionCollector> {
public:
  explicit FieldFunctionCollector(ASTContext &Ctx) : Ctx(Ctx) {}
  bool VisitInitListExpr(InitListExpr *Syn) {
    // The visitor walks the syntactic form (designators); the semantic
    // form has the initializers in field order.
    const InitListExpr *ILE =
        Syn->isSemanticForm() ? Syn : Syn->getSemanticForm();
    if (!ILE)
      return true;
    const RecordDecl *RD = ILE->getType()->getAsRecordDecl();
    if (!RD || ILE->getType()->isArrayType())
      return true;
    if (RD->isUnion()) {
      if (const FieldDecl *F = ILE->getInitializedFieldInUnion())
        if (ILE->getNumInits())
          store(F, ILE->getInit(0));
      return true;
    }
    unsigned I = 0;
    for (const FieldDecl *F : RD->fields()) {
      if (I >= ILE->getNumInits())
        break;
      if (!F->isUnnamedBitField())
        store(F, ILE->getInit(I++));
    }
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Assign)
      if (const auto *ME =
              dyn_cast<MemberExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        store(dyn_cast<FieldDecl>(ME->getMemberDecl()), BO->getRHS());
    return true;
  }
  std::map<const FieldDecl *, const FunctionDecl *> Targets;

private:
  void store(const FieldDecl *F, const Expr *V) {
    if (!F || !F->getType()->isFunctionPointerType() || !V)
      return;
    F = F->getCanonicalDecl();
    V = V->IgnoreParenImpCasts();
    if (isa<ImplicitValueInitExpr>(V) ||
        V->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      return; // no function: nothing to call
    if (const auto *UO = dyn_cast<UnaryOperator>(V))
      if (UO->getOpcode() == UO_AddrOf)
        V = UO->getSubExpr()->IgnoreParenImpCasts();
    const FunctionDecl *Fn = nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(V))
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
        Fn = FD->getCanonicalDecl();
    auto [It, New] = Targets.emplace(F, Fn);
    if (!New && It->second != Fn)
      It->second = nullptr;
  }
  ASTContext &Ctx;
};

class CalleeCollector : public RecursiveASTVisitor<CalleeCollector> {
public:
  explicit CalleeCollector(const ProvenancePass &Pass) : Pass(Pass) {}
  bool VisitCallExpr(CallExpr *CE) {
    if (const FunctionDecl *FD = Pass.calleeOf(CE))
      Callees.push_back({FD, CE->getDirectCallee() == FD});
    return true;
  }
  /// Each callee, and whether it is called by name (a function-pointer
  /// target may also be called from other units: its parameters' field
  /// sinks are not deferred to this unit's calls).
  std::vector<std::pair<const FunctionDecl *, bool>> Callees;
  const ProvenancePass &Pass;
};

} // namespace

AnalysisResult ProvenancePass::run() {
  collectFunctions();
  if (Functions.empty())
    return {};
  Calls = findMemoryCalls(Ctx);
  Device = deviceDma();
  indexSinkMacros();
  // Facts about functions, fields and globals, to a fixpoint (each round
  // only adds; the bound is a safety net for pathological recursion).
  for (unsigned Round = 0; Round < 10; ++Round) {
    FactsChanged = false;
    for (const FunctionDecl *FD : Functions)
      analyzeFunction(FD);
    if (!FactsChanged)
      break;
  }
  Reporting = true;
  for (const FunctionDecl *FD : Functions)
    analyzeFunction(FD);
  if (Opts.ExportFacts)
    exportFacts(Result.Facts);
  return std::move(Result);
}

/// The main file's functions, and the functions they call (transitively)
/// that the translation unit defines: callees first, so that one round
/// mostly suffices.
void ProvenancePass::collectFunctions() {
  FunctionCollector C;
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
  FieldFunctionCollector FC(Ctx);
  FC.TraverseDecl(Ctx.getTranslationUnitDecl());
  for (const auto &[F, Fn] : FC.Targets)
    if (const FunctionDecl *Def = Fn ? Fn->getDefinition() : nullptr)
      if (Def->getBody())
        FieldCallees[F] = Def;
  std::set<const FunctionDecl *> Seen;
  for (const FunctionDecl *FD : C.Defs)
    if (SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())))
      visitFunction(FD, Seen);
}

void ProvenancePass::visitFunction(const FunctionDecl *FD,
                                   std::set<const FunctionDecl *> &Seen) {
  if (!Seen.insert(FD).second)
    return;
  if (FD->getIdentifier() && isTableFunction(FD->getName()))
    return;
  CalleeCollector CC(*this);
  CC.TraverseStmt(FD->getBody());
  for (const auto &[Callee, Direct] : CC.Callees) {
    const FunctionDecl *Def = Callee->getDefinition();
    if (Def && Def->getBody()) {
      if (Direct)
        Called.insert(Def);
      visitFunction(Def, Seen);
    }
  }
  Functions.push_back(FD);
  Facts[FD];
}

/// The function CE calls: its direct callee, or for a call through a
/// function-pointer field (tpm_tis_spi's `data->phy_ops->write_bytes(..)`)
/// the one function the unit ever stores in that field (its ops table's
/// `.write_bytes = tpm_tis_spi_write_bytes`), when the unit defines it.
const FunctionDecl *ProvenancePass::calleeOf(const CallExpr *CE) const {
  if (const FunctionDecl *FD = CE->getDirectCallee())
    return FD;
  const auto *ME = dyn_cast<MemberExpr>(CE->getCallee()->IgnoreParenImpCasts());
  const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  if (!F)
    return nullptr;
  auto It = FieldCallees.find(F->getCanonicalDecl());
  return It == FieldCallees.end() ? nullptr : It->second;
}

/// L lies in the body of an expansion of a recorded sink macro (its
/// own implementation, not the argument it was given).
bool ProvenancePass::insideSinkMacro(SourceLocation L) {
  while (L.isMacroID()) {
    if (SM.isMacroArgExpansion(L)) {
      L = SM.getImmediateSpellingLoc(L);
      continue;
    }
    SourceLocation Up = SM.getImmediateExpansionRange(L).getBegin();
    if (SinkMacroNames.count(Up.getRawEncoding()))
      return true;
    L = Up;
  }
  return false;
}

/// L was produced by the expansion whose name token is at NameLoc: as
/// part of its body or of an argument (also one pre-expanded as the
/// argument of an enclosing macro: page_to_pfn(virt_to_page(p))).
bool ProvenancePass::withinExpansionOf(SourceLocation L,
                                       SourceLocation NameLoc) {
  llvm::SmallVector<SourceLocation, 8> Work{L};
  llvm::DenseSet<unsigned> Seen;
  while (!Work.empty()) {
    SourceLocation C = Work.pop_back_val();
    if (!C.isMacroID() || !Seen.insert(C.getRawEncoding()).second)
      continue;
    SourceLocation Up = SM.getImmediateExpansionRange(C).getBegin();
    if (Up == NameLoc)
      return true;
    Work.push_back(Up);
    if (SM.isMacroArgExpansion(C))
      Work.push_back(SM.getImmediateSpellingLoc(C));
  }
  return false;
}

/// L and, up the macro stack, every location it was expanded from: an
/// argument's spelling, the invocation of the macro (its end when End).
void ProvenancePass::ancestry(SourceLocation L, bool End,
                              llvm::SmallVectorImpl<SourceLocation> &Out) {
  llvm::SmallVector<SourceLocation, 8> Work{L};
  llvm::DenseSet<unsigned> Seen;
  while (!Work.empty()) {
    SourceLocation C = Work.pop_back_val();
    if (C.isInvalid() || !Seen.insert(C.getRawEncoding()).second)
      continue;
    Out.push_back(C);
    if (!C.isMacroID())
      continue;
    CharSourceRange R = SM.getImmediateExpansionRange(C);
    Work.push_back(End ? R.getEnd() : R.getBegin());
    if (SM.isMacroArgExpansion(C))
      Work.push_back(SM.getImmediateSpellingLoc(C));
  }
}

/// For each outermost sink macro expansion, the expression of its pointer
/// argument: the largest expression spelled exactly by the argument's
/// tokens inside that expansion.
void ProvenancePass::indexSinkMacros() {
  for (const MacroExpansionLog::CallMacro &M : Log.CallMacros)
    SinkMacroNames.insert(M.NameLoc.getRawEncoding());
  for (const MacroExpansionLog::CallMacro &M : Log.CallMacros) {
    const MemorySink *Row = lookupMemorySink(M.Name);
    if (!Row || Row->Arg >= M.Args.size() ||
        M.Args[Row->Arg].first.isInvalid() || insideSinkMacro(M.NameLoc))
      continue;
    ArgStarts[M.Args[Row->Arg].first.getRawEncoding()].push_back(&M);
  }
  if (ArgStarts.empty())
    return;
  struct Finder : RecursiveASTVisitor<Finder> {
    ProvenancePass &P;
    explicit Finder(ProvenancePass &P) : P(P) {}
    bool VisitExpr(Expr *X) {
      SourceLocation B = X->getBeginLoc();
      if (!B.isMacroID())
        return true;
      llvm::SmallVector<SourceLocation, 16> Begins, Ends;
      P.ancestry(B, false, Begins);
      for (SourceLocation A : Begins) {
        auto It = P.ArgStarts.find(A.getRawEncoding());
        if (It == P.ArgStarts.end())
          continue;
        for (const MacroExpansionLog::CallMacro *M : It->second) {
          if (P.Resolved.count(M))
            continue;
          const MemorySink *Row = lookupMemorySink(M->Name);
          if (Ends.empty())
            P.ancestry(X->getEndLoc(), true, Ends);
          if (std::find(Ends.begin(), Ends.end(), M->Args[Row->Arg].second) ==
                  Ends.end() ||
              !P.withinExpansionOf(B, M->NameLoc))
            continue;
          P.Resolved.insert(M);
          P.MacroSinkArgs[X->IgnoreParens()] = M;
        }
      }
      return true;
    }
  } F(*this);
  for (const FunctionDecl *FD : Functions)
    F.TraverseStmt(FD->getBody());
}

unsigned ProvenancePass::order(const Expr *E) {
  return SM.getExpansionLoc(E->getBeginLoc()).getRawEncoding();
}

std::optional<Key> ProvenancePass::keyOf(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return Key{VD, nullptr};
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          return Key{VD, FD};
  return std::nullopt;
}

std::optional<Key> ProvenancePass::elementKeyOf(const Expr *E) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenCasts());
  if (!ME)
    return std::nullopt;
  const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
  const auto *AS =
      dyn_cast<ArraySubscriptExpr>(ME->getBase()->IgnoreParenImpCasts());
  if (!FD || !AS)
    return std::nullopt;
  if (const auto *DRE =
          dyn_cast<DeclRefExpr>(AS->getBase()->IgnoreParenImpCasts()))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return Key{VD, FD};
  return std::nullopt;
}

MemValue ProvenancePass::read(const State &S, const Key &K) {
  auto It = S.Values.find(K);
  return It != S.Values.end() ? It->second : untracked(K, &S);
}

void ProvenancePass::write(State &S, const Key &K, const MemValue &V) {
  if (!K.second) {
    for (auto It = S.Values.lower_bound({K.first, nullptr});
         It != S.Values.end() && It->first.first == K.first;)
      It = It->first.second ? S.Values.erase(It) : std::next(It);
    // Another object: what was known of the old one's tags is gone.
    for (auto It = S.Tags.begin(); It != S.Tags.end();)
      It = It->first.Base == K.first ? S.Tags.erase(It) : std::next(It);
    for (auto It = S.FieldCopies.begin(); It != S.FieldCopies.end();)
      It = It->first == K.first || It->second.first == K.first
               ? S.FieldCopies.erase(It)
               : std::next(It);
    for (auto It = S.Elements.lower_bound({K.first, nullptr});
         It != S.Elements.end() && It->first.first == K.first;)
      It = S.Elements.erase(It);
    for (auto It = S.Corr.begin(); It != S.Corr.end();) {
      if (It->first.first == K.first) {
        It = S.Corr.erase(It);
        continue;
      }
      for (auto T = It->second.begin(); T != It->second.end();)
        T = T->first.Base == K.first ? It->second.erase(T) : std::next(T);
      ++It;
    }
  }
  S.Values[K] = V;
  S.Corr.erase(K);
}

/// The address of an lvalue: &x, &p->f, &a[i], array decay.
MemValue ProvenancePass::address(const State &S, const Expr *E) {
  E = E->IgnoreParens();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage())
        return MemValue::of(mem::Stack, DRE, order(DRE));
    return MemValue::unknown();
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    MemValue V =
        ME->isArrow() ? eval(S, ME->getBase()) : address(S, ME->getBase());
    // A member at a nonzero offset is inside the object, not its start.
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    const RecordDecl *RD = FD ? FD->getParent() : nullptr;
    if (RD && !RD->isUnion() && !RD->isInvalidDecl() &&
        RD->isCompleteDefinition() && !RD->isDependentType() &&
        Ctx.getASTRecordLayout(RD).getFieldOffset(FD->getFieldIndex()))
      V = innerOf(V);
    return V;
  }
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    return eval(S, ASE->getBase());
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref)
      return eval(S, UO->getSubExpr());
  return MemValue::unknown();
}

MemValue ProvenancePass::eval(const State &S, const Expr *E) {
  E = E->IgnoreParens();
  if (!E->isValueDependent() &&
      E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return {};
  if (const auto *CE = dyn_cast<CastExpr>(E)) {
    if (CE->getCastKind() == CK_ArrayToPointerDecay)
      return address(S, CE->getSubExpr());
    if (CE->getCastKind() == CK_FunctionToPointerDecay)
      return MemValue::unknown();
    return eval(S, CE->getSubExpr());
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    // An array used as a value is its address (a sink macro's argument
    // `iv` before the decay inside the macro's cast).
    if (DRE->getType()->isArrayType())
      return address(S, DRE);
    if (isa<VarDecl>(DRE->getDecl()))
      return read(S, *keyOf(DRE));
    return MemValue::unknown();
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (std::optional<Key> K = keyOf(ME))
      return read(S, *K);
    if (std::optional<Key> K = elementKeyOf(ME)) {
      auto It = S.Elements.find(*K);
      if (It != S.Elements.end())
        return It->second;
    }
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      return untracked({nullptr, FD});
    return MemValue::unknown();
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    switch (UO->getOpcode()) {
    case UO_AddrOf:
      return address(S, UO->getSubExpr());
    case UO_PreInc:
    case UO_PreDec:
    case UO_PostInc:
    case UO_PostDec:
    case UO_Plus:
    case UO_Minus:
    case UO_Not:
      return eval(S, UO->getSubExpr());
    default:
      return MemValue::unknown();
    }
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    switch (BO->getOpcode()) {
    case BO_Assign:
    case BO_Comma:
      return eval(S, BO->getRHS());
    case BO_Add:
    case BO_Sub:
    case BO_Shl:
    case BO_Shr:
    case BO_And:
    case BO_Or:
    case BO_Xor:
    case BO_Mul:
    case BO_Div:
      return arithmetic(eval(S, BO->getLHS()), eval(S, BO->getRHS()));
    default:
      if (BO->isCompoundAssignmentOp())
        return eval(S, BO->getLHS());
      return MemValue::unknown();
    }
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E))
    return joinValues(eval(S, CO->getTrueExpr()), eval(S, CO->getFalseExpr()));
  if (const auto *BCO = dyn_cast<BinaryConditionalOperator>(E))
    return joinValues(eval(S, BCO->getCommon()), eval(S, BCO->getFalseExpr()));
  if (const auto *SE = dyn_cast<StmtExpr>(E)) {
    const CompoundStmt *CS = SE->getSubStmt();
    if (!CS->body_empty())
      if (const auto *Last = dyn_cast<Expr>(CS->body_back()))
        return eval(S, Last);
    return MemValue::unknown();
  }
  if (const auto *CE = dyn_cast<CallExpr>(E))
    return evalCall(S, CE);
  return MemValue::unknown();
}

/// A and B are recorded and no constant of A is one of B.
static bool disjoint(const TagSet &A, const TagSet &B) {
  if ((!A.Any && A.Vals.empty()) || (!B.Any && B.Vals.empty()))
    return false;
  if (A.Any && B.Any)
    return false;
  if (A.Any || B.Any) {
    const TagSet &Co = A.Any ? A : B, &Fin = A.Any ? B : A;
    for (int64_t C : Fin.Vals)
      if (!Co.Not.count(C))
        return false;
    return true;
  }
  for (int64_t C : A.Vals)
    if (B.Vals.count(C))
      return false;
  return true;
}

/// A tag field of a parameter's object tells the vmalloc side (VmSide) of a
/// returned value from its linear side: a caller can test it.
static bool fieldTagTellsApart(const FunctionFacts &FF, uint16_t Kinds,
                               uint16_t VmSide) {
  for (const auto &[IF, Sets] : FF.ReturnFieldTags)
    for (unsigned I = 0; I < MemValue::NumKinds; ++I)
      if (Kinds & VmSide & (1u << I))
        if (disjoint(Sets[I], Sets[MemValue::index(mem::Linear)]))
          return true;
  return false;
}

/// What one call of a function with return facts FF gives its caller,
/// without the parameters. A function that returns vmalloc (or kvmalloc)
/// memory on some paths and linear memory on others (4.12's ip_set_alloc():
/// kzalloc(), else vzalloc()) gives memory that may be either, as kvmalloc()
/// does, with the call as its origin: the caller cannot tell which path one
/// call took, so kfree() and vfree() alone are wrong (is_vmalloc_addr() can
/// tell, and refines it as it does kvmalloc() memory). Inside the function
/// the paths stay distinct. Left as they are: a function that records its
/// choice in an integer out-parameter (ReturnTags: dm-bufio's data_mode),
/// which the tags follow, and vmap memory, which kvfree() does not unmap.
///
/// So is a function of another file (known by its facts) that returns a
/// field or global its unit assigns both vmalloc and other memory (Mixed:
/// dm-bufio's dm_bufio_read() returns b->data, vmalloc()ed for large
/// blocks): the tag that tells which (b->data_mode) stays in that file's
/// object, and the caller has only the pointer. In the unit that assigns
/// the field, the value stays Mixed, as the tags are there.
static MemValue eitherKindCall(const FunctionFacts &FF, const CallExpr *CE,
                               unsigned Order, bool LinearIsPages) {
  MemValue R = FF.Returns;
  R.Params = 0;
  const uint16_t VmSide = mem::Vmalloc | mem::Vmalloc32 | mem::MaybeVmalloc;
  const FunctionDecl *FD = CE->getDirectCallee();
  bool OtherFileMixed = (R.Kinds & mem::Mixed) && FD && !FD->getDefinition();
  if (OtherFileMixed) {
    MemValue Out = MemValue::of(mem::MaybeVmalloc, CE, Order);
    for (unsigned I = 0; I < MemValue::NumKinds; ++I) {
      uint16_t Bit = 1u << I;
      if ((R.Kinds & Bit) && !(Bit & (VmSide | mem::Mixed | mem::Linear)))
        Out = joinValues(Out, MemValue::of(Bit, R.Origin[I], R.OriginOrder[I]));
    }
    return Out;
  }
  // A pointer into a kvmalloc()ed object (mlx5_fc_acquire(): a counter of
  // a kvzalloc()ed pool, `&bulk->fcs[i]`, or a kzalloc()ed one) is no
  // allocation of either kind.
  if (!(R.Kinds & VmSide) || !(R.Kinds & mem::Linear) ||
      !FF.ReturnTags.empty() || fieldTagTellsApart(FF, R.Kinds, VmSide) ||
      !(R.Kinds & VmSide & ~R.Inner))
    return R;
  MemValue Out = MemValue::of(mem::MaybeVmalloc, CE, Order);
  // A page-allocator other side (__get_free_pages(), else vzalloc():
  // af_packet's alloc_one_pg_vec_page()) stays known as an origin without
  // its kind: kvfree() cannot free it, and the free's advice says so.
  if (LinearIsPages) {
    unsigned L = MemValue::index(mem::Linear);
    Out.Origin[L] = R.Origin[L];
    Out.OriginOrder[L] = R.OriginOrder[L];
  }
  for (unsigned I = 0; I < MemValue::NumKinds; ++I) {
    uint16_t Bit = 1u << I;
    if ((R.Kinds & Bit) && !(Bit & (VmSide | mem::Linear)))
      Out = joinValues(Out, MemValue::of(Bit, R.Origin[I], R.OriginOrder[I]));
  }
  return Out;
}

bool ProvenancePass::linearIsPages(const MemValue &V) const {
  const void *O = V.originOf(mem::Linear);
  std::string Name;
  if (const FactOrigin *Ext = externalOrigin(O))
    Name = Ext->Stack ? "" : Ext->Callee;
  else if (const auto *Call =
               dyn_cast_or_null<CallExpr>(static_cast<const Expr *>(O)))
    Name = calleeName(Call);
  const MemorySource *Src = Name.empty() ? nullptr : lookupMemorySource(Name);
  return Src && Src->Kind == SourceKind::Linear &&
         std::string(Src->Free) != "kfree";
}

MemValue ProvenancePass::evalCall(const State &S, const CallExpr *CE) {
  const FunctionDecl *FD = calleeOf(CE);
  if (!FD || !FD->getIdentifier())
    return MemValue::unknown();
  const MemoryCallee *Table = Calls.lookup(CE);
  if (const VmallocApiEntry *Row = Table ? Table->Family : nullptr) {
    uint16_t K = Row->Returns == Provenance::Vmalloc     ? mem::Vmalloc
                 : Row->Returns == Provenance::Vmalloc32 ? mem::Vmalloc32
                                                         : mem::MaybeVmalloc;
    return MemValue::of(K, CE, order(CE));
  }
  if (const MemorySource *Src = Table ? Table->Source : nullptr)
    return MemValue::of(Src->Kind == SourceKind::Vmap ? mem::Vmap
                        : Src->Kind == SourceKind::MaybeVmalloc
                            ? mem::MaybeVmalloc
                            : mem::Linear,
                        CE, order(CE));
  if (Table && Table->PageLookup)
    return CE->getNumArgs() ? pageLookup(eval(S, CE->getArg(0)))
                            : MemValue::unknown();
  if (FD->getName() == "__builtin_expect" && CE->getNumArgs())
    return eval(S, CE->getArg(0));
  const FunctionFacts *FF = factsFor(FD);
  if (!FF || FF->Returns.bottom())
    return MemValue::unknown();
  MemValue R = FF->Returns;
  MemValue Out = eitherKindCall(*FF, CE, order(CE), linearIsPages(R));
  for (unsigned I = 0; I < CE->getNumArgs() && I < 64; ++I)
    if (R.Params & (uint64_t(1) << I)) {
      MemValue A = eval(S, CE->getArg(I));
      Out = joinValues(Out, R.InnerParams ? innerOf(A) : A);
    }
  if (Out.bottom())
    return MemValue::unknown();
  return Out;
}

void ProvenancePass::assign(State &S, const Expr *LHS, const MemValue &V) {
  const Expr *L = LHS->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(L)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      write(S, {VD, nullptr}, V);
      noteCondition(S, VD, CurrentRHS);
      if (!VD->hasLocalStorage())
        addFact(GlobalFacts[VD->getCanonicalDecl()], V);
    }
    return;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(L)) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
      std::optional<Key> K = keyOf(ME);
      if (K)
        write(S, *K, V);
      if (std::optional<Key> EK = elementKeyOf(ME))
        S.Elements.erase(*EK);
      // Tags are followed for the objects a function hands to its callers
      // (a parameter's, the one it returns): any other store counts as
      // untagged.
      const auto *Base = K ? dyn_cast<VarDecl>(K->first) : nullptr;
      if (!Base || !Base->hasLocalStorage())
        FieldTagAny[FD->getCanonicalDecl()] |= V.Kinds;
      fieldAssigned(FD, V);
      fieldSink(S, FD, ME->getMemberLoc(), CurrentRHS, V);
    }
  }
  if (isa<MemberExpr, ArraySubscriptExpr, UnaryOperator>(L))
    descriptorStore(V, L);
}

/// A store into a field sink (`t->tx_buf = buf`, `.tx_buf = buf`).
void ProvenancePass::fieldSink(State &S, const FieldDecl *FD,
                               SourceLocation Loc, const Expr *Value,
                               const MemValue &V) {
  const RecordDecl *RD = FD->getParent();
  if (!RD || !RD->getIdentifier() || !FD->getIdentifier())
    return;
  std::string Name = RD->getName().str() + "." + FD->getName().str();
  if (const MemorySink *Row =
          lookupFieldSink(RD->getName().str(), FD->getName().str()))
    sinkReached(S, *Row, Name, Loc, Value, V, nullptr, "");
}

void ProvenancePass::initRecord(State &S, const InitListExpr *ILE) {
  // An array of records: each element's initializer.
  if (ILE->getType()->isArrayType()) {
    for (const Expr *Init : ILE->inits())
      if (const auto *Sub = dyn_cast<InitListExpr>(Init->IgnoreParens()))
        initRecord(S, Sub);
    return;
  }
  const RecordDecl *RD = ILE->getType()->getAsRecordDecl();
  if (!RD || RD->isUnion())
    return;
  unsigned I = 0;
  for (const FieldDecl *FD : RD->fields()) {
    if (I >= ILE->getNumInits())
      break;
    const Expr *Init = ILE->getInit(I++);
    if (const auto *Sub = dyn_cast<InitListExpr>(Init->IgnoreParens()))
      initRecord(S, Sub);
    else {
      MemValue V = eval(S, Init);
      FieldTagAny[FD->getCanonicalDecl()] |= V.Kinds;
      fieldAssigned(FD, V);
      fieldSink(S, FD, Init->getBeginLoc(), Init, V);
    }
  }
}

void ProvenancePass::transfer(State &S, const Stmt *St) {
  if (const auto *E = dyn_cast<Expr>(St)) {
    auto It = MacroSinkArgs.find(E);
    if (It != MacroSinkArgs.end()) {
      const MacroExpansionLog::CallMacro &M = *It->second;
      sinkReached(S, *lookupMemorySink(M.Name), M.Name, M.NameLoc, E,
                  eval(S, E), nullptr, "");
    }
  }
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD || !VD->hasLocalStorage())
        continue;
      const Expr *Init = VD->getInit();
      if (const auto *ILE =
              Init ? dyn_cast<InitListExpr>(Init->IgnoreParens()) : nullptr)
        initRecord(S, ILE);
      else {
        MemValue V = Init ? eval(S, Init) : MemValue();
        auto C = Init ? corrFor(S, Init, V) : std::map<TagKey, TagSets>();
        write(S, {VD, nullptr}, V);
        if (!C.empty())
          S.Corr[{VD, nullptr}] = std::move(C);
        noteFieldCopy(S, VD, Init);
        if (VD->getType()->isIntegralOrEnumerationType()) {
          std::optional<int64_t> K = Init ? constantOf(Init) : std::nullopt;
          TagKnown Is{true, {K ? *K : 0}, {}};
          setTag(S, TagKey{VD, nullptr, false}, K ? &Is : nullptr);
        }
      }
      noteCondition(S, VD, Init);
    }
    return;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(St)) {
    // x++, &x: what the tag x held is no longer known.
    if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
      if (std::optional<TagKey> T = tagKeyOf(UO->getSubExpr()))
        setTag(S, *T, nullptr);
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
    if (BO->isCompoundAssignmentOp())
      if (std::optional<TagKey> T = tagKeyOf(BO->getLHS()))
        setTag(S, *T, nullptr);
    if (BO->getOpcode() == BO_Assign) {
      CurrentRHS = BO->getRHS();
      MemValue V = eval(S, BO->getRHS());
      std::optional<TagKey> T = tagKeyOf(BO->getLHS());
      std::optional<Key> K = T ? std::nullopt : keyOf(BO->getLHS());
      auto C = K ? corrFor(S, BO->getRHS(), V) : std::map<TagKey, TagSets>();
      assign(S, BO->getLHS(), V);
      if (K && !C.empty())
        S.Corr[*K] = std::move(C);
      if (K && !K->second)
        if (const auto *VD = dyn_cast<VarDecl>(K->first))
          noteFieldCopy(S, VD, BO->getRHS());
      if (T) {
        std::optional<int64_t> X = constantOf(BO->getRHS());
        TagKnown Is{true, {X ? *X : 0}, {}};
        setTag(S, *T, X ? &Is : nullptr);
      }
      CurrentRHS = nullptr;
    }
    return;
  }
  if (const auto *CE = dyn_cast<CallExpr>(St)) {
    call(S, CE);
    return;
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(St)) {
    if (const Expr *RV = RS->getRetValue()) {
      MemValue V = eval(S, RV);
      MemValue &Slot = Facts[Current].Returns;
      MemValue J = joinValues(Slot, V);
      if (J != Slot) {
        Slot = J;
        FactsChanged = true;
      }
      returnTags(S, RV, V);
      // The object returned is handed to the caller with its fields.
      if (std::optional<Key> K = keyOf(RV))
        if (!K->second)
          publishFields(S, K->first);
    }
  }
}

bool ProvenancePass::zeroLength(const MemorySink &Row, const CallExpr *CE) {
  if (Row.LengthArg < 0 || unsigned(Row.LengthArg) >= CE->getNumArgs())
    return false;
  const Expr *Len = CE->getArg(Row.LengthArg);
  Expr::EvalResult R;
  return !Len->isValueDependent() && Len->EvaluateAsInt(R, Ctx) &&
         R.Val.getInt().isZero();
}

void ProvenancePass::call(State &S, const CallExpr *CE) {
  const FunctionDecl *FD = calleeOf(CE);
  std::string Name = FD && FD->getIdentifier() ? FD->getName().str() : "";
  SourceLocation CalleeLoc = CE->getCallee()->IgnoreImpCasts()->getBeginLoc();
  const MemoryCallee *Table = Calls.lookup(CE);
  if (const MemorySink *Row = Table ? Table->Sink : nullptr) {
    if (Row->Arg < CE->getNumArgs() && !insideSinkMacro(CalleeLoc) &&
        !zeroLength(*Row, CE))
      sinkReached(S, *Row, Name, CalleeLoc, CE->getArg(Row->Arg),
                  eval(S, CE->getArg(Row->Arg)), nullptr, "");
  } else if (FD) {
    if (const FunctionFacts *FF = factsFor(FD)) {
      // Copies: reporting may add facts to the map being walked.
      auto Sinks = FF->ParamSinks;
      auto Fields = FF->ParamFields;
      for (const auto &[I, Set] : Sinks)
        if (I < CE->getNumArgs()) {
          MemValue V = eval(S, CE->getArg(I));
          for (const ParamSink &PS : Set)
            sinkReached(S, *PS.Row, PS.SinkName, CalleeLoc, CE->getArg(I), V,
                        &PS, Name);
        }
      for (const auto &[I, Set] : Fields)
        if (I < CE->getNumArgs()) {
          MemValue V = eval(S, CE->getArg(I));
          for (const FieldDecl *F : Set) {
            FieldTagAny[F->getCanonicalDecl()] |= V.Kinds;
            fieldAssigned(F, V);
          }
        }
      for (const auto &[I, Set] : FF->ParamFieldNames)
        if (I < CE->getNumArgs()) {
          MemValue V = eval(S, CE->getArg(I));
          for (const FieldName &F : Set)
            addFact(NamedFieldFacts[F], V);
        }
      auto FieldSinks = FF->ParamFieldSinks;
      for (const auto &[IF, Set] : FieldSinks) {
        auto [I, F] = IF;
        if (I >= CE->getNumArgs())
          continue;
        // The caller's view of arg->F (its own tests of it included).
        std::optional<Key> K = keyOf(CE->getArg(I));
        Key FK{K && !K->second ? K->first : nullptr, F};
        MemValue V = FK.first ? read(S, FK) : untracked(FK);
        std::string ViaField =
            FK.first && S.Values.count(FK) ? "" : F->getName().str();
        for (const ParamSink &PS : Set) {
          if (FK.first && deferToCallers(S, FK, PS))
            continue;
          if (FK.first && S.Values.count(FK))
            sinkReached(S, *PS.Row, PS.SinkName, CalleeLoc, nullptr, V, &PS,
                        Name, ViaField);
          else if (PS.ExtLoc) // a sink in another file: report the call
            sinkReached(S, *PS.Row, PS.SinkName, CalleeLoc, nullptr, V, &PS,
                        Name, ViaField);
          else // the caller knows no more than the facts: report the sink
            sinkReached(S, *PS.Row, PS.SinkName, PS.SinkLoc, nullptr, V,
                        nullptr, "", ViaField);
        }
      }
    }
  }
  // A variable whose address is passed may be changed by the callee.
  for (const Expr *A : CE->arguments()) {
    const auto *UO = dyn_cast<UnaryOperator>(A->IgnoreParenCasts());
    if (!UO || UO->getOpcode() != UO_AddrOf)
      continue;
    std::optional<Key> K = keyOf(UO->getSubExpr());
    if (K && !K->first->getType()->isArrayType())
      write(S, *K, MemValue::unknown());
    if (std::optional<TagKey> T = tagKeyOf(UO->getSubExpr()))
      setTag(S, *T, nullptr);
  }
}

/// A local scalar set from an expression that calls a guard.
void ProvenancePass::noteCondition(State &S, const VarDecl *VD,
                                   const Expr *Init) {
  S.Conditions.erase(VD);
  if (!Init || !VD->hasLocalStorage() || !VD->getType()->isScalarType() ||
      VD->getType()->isPointerType())
    return;
  struct HasGuard : RecursiveASTVisitor<HasGuard> {
    const MemoryCalls &Calls;
    explicit HasGuard(const MemoryCalls &Calls) : Calls(Calls) {}
    bool Found = false;
    bool VisitCallExpr(CallExpr *CE) {
      const MemoryCallee *C = Calls.lookup(CE);
      Found |= C && C->Guard;
      return !Found;
    }
  } H(Calls);
  H.TraverseStmt(const_cast<Expr *>(Init));
  if (H.Found)
    S.Conditions[VD] = Init;
}

void ProvenancePass::refine(State &S, const Expr *Cond, bool Truth,
                            unsigned Depth) {
  if (Depth > 8)
    return;
  Cond = Cond->IgnoreParenImpCasts();
  // A test of a tag: `if (buf_desc->is_vm)`, `mode == KIND_VMALLOC`.
  if (isa<DeclRefExpr, MemberExpr, UnaryOperator>(Cond))
    if (std::optional<TagKey> T = tagKeyOf(Cond)) {
      TagKnown K;
      if (Truth)
        K.Not.insert(0);
      else
        K = TagKnown{true, {0}, {}};
      learnTag(S, *T, K);
    }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Cond)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      auto It = S.Conditions.find(VD);
      if (It != S.Conditions.end())
        refine(S, It->second, Truth, Depth + 1);
    }
    return;
  }
  if (const auto *SE = dyn_cast<StmtExpr>(Cond)) {
    const CompoundStmt *CS = SE->getSubStmt();
    if (!CS->body_empty())
      if (const auto *Last = dyn_cast<Expr>(CS->body_back()))
        refine(S, Last, Truth, Depth + 1);
    return;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
    if (UO->getOpcode() == UO_LNot)
      refine(S, UO->getSubExpr(), !Truth, Depth + 1);
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) {
      const Expr *L = BO->getLHS(), *R = BO->getRHS();
      std::optional<TagKey> T = tagKeyOf(L);
      std::optional<int64_t> C = constantOf(R);
      if (!T || !C) {
        T = tagKeyOf(R);
        C = constantOf(L);
      }
      if (T && C) {
        TagKnown K;
        if ((BO->getOpcode() == BO_EQ) == Truth)
          K = TagKnown{true, {*C}, {}};
        else
          K.Not.insert(*C);
        learnTag(S, *T, K);
      }
      return;
    }
    if ((BO->getOpcode() == BO_LAnd && Truth) ||
        (BO->getOpcode() == BO_LOr && !Truth)) {
      refine(S, BO->getLHS(), Truth, Depth + 1);
      refine(S, BO->getRHS(), Truth, Depth + 1);
    }
    return;
  }
  const auto *CE = dyn_cast<CallExpr>(Cond);
  if (!CE || !CE->getNumArgs())
    return;
  std::string Name = calleeName(CE);
  if (Name == "__builtin_expect") {
    refine(S, CE->getArg(0), Truth, Depth + 1);
    return;
  }
  if (isErrorPointerTest(Name)) {
    if (Truth)
      if (std::optional<Key> K = keyOf(CE->getArg(0)))
        S.Values[*K] = MemValue::unknown();
    return;
  }
  const MemoryCallee *Table = Calls.lookup(CE);
  const MemoryGuard *G = Table ? Table->Guard : nullptr;
  if (!G)
    return;
  auto After = [&](const MemValue &V) {
    return G->Kind == GuardKind::IsVmalloc ? afterIsVmallocAddr(V, Truth)
                                           : afterVirtAddrValid(V, Truth);
  };
  std::optional<Key> K = keyOf(CE->getArg(0));
  if (!K) {
    if (std::optional<Key> EK = elementKeyOf(CE->getArg(0)))
      S.Elements[*EK] = After(eval(S, CE->getArg(0)));
    return;
  }
  MemValue V = read(S, *K);
  // Values derived from the same allocation (src = p + off before the
  // test) are on the same side of it.
  const uint16_t Tested = mem::VmallocArea | mem::MaybeVmalloc | mem::Mixed;
  std::set<const void *> Origins;
  for (unsigned I = 0; I < MemValue::NumKinds; ++I)
    if ((Tested & (1u << I)) && V.Origin[I])
      Origins.insert(V.Origin[I]);
  if (!Origins.empty())
    for (auto &[K2, V2] : S.Values) {
      bool Shared = false;
      for (unsigned I = 0; I < MemValue::NumKinds && !Shared; ++I)
        Shared = (Tested & (1u << I)) && Origins.count(V2.Origin[I]);
      if (Shared && K2 != *K)
        V2 = After(V2);
    }
  S.Values[*K] = After(V);
}

// ---- tag correlation ----
//
// dm-bufio records which allocator it used in b->data_mode, smc in
// buf_desc->is_vm, and tests the tag, not the pointer, before a sink:
// `if (b->data_mode != DATA_MODE_VMALLOC) ... virt_to_page(b->data)`. The
// state keeps, per value and tag, the constants the tag holds where the
// value has each kind (set where the tag is assigned a constant, or the
// value assigned while the tag is known); a test of the tag drops the kinds
// it excludes. Across functions: a function's integer out-parameters
// (`*data_mode = ...; return __vmalloc(...)`, ReturnTags) and the fields of
// the objects it hands back (FieldTagFacts), read where a caller tests the
// object's tag.

namespace {
/// The kinds a tag is followed for: those some check reports.
constexpr uint16_t Correlated = mem::VmallocArea | mem::MaybeVmalloc |
                                mem::Linear | mem::Mixed | mem::Stack;

/// The pointer an expression is computed from (casts, p + off).
const Expr *pointerRoot(const Expr *E) {
  while (E) {
    E = E->IgnoreParenCasts();
    const auto *BO = dyn_cast<BinaryOperator>(E);
    if (!BO || (BO->getOpcode() != BO_Add && BO->getOpcode() != BO_Sub))
      break;
    E = BO->getRHS()->getType()->isPointerType() ? BO->getRHS() : BO->getLHS();
  }
  return E;
}

TagSets setsFor(uint16_t Kinds, const TagSet &S) {
  TagSets Out;
  for (unsigned I = 0; I < MemValue::NumKinds; ++I)
    if (Kinds & (1u << I))
      Out[I] = S;
  return Out;
}

/// Joins Add's sets of the kinds in Kinds into Slot; true if it grew.
bool joinSets(TagSets &Slot, const TagSets &Add, uint16_t Kinds) {
  bool Changed = false;
  for (unsigned I = 0; I < MemValue::NumKinds; ++I)
    if (Kinds & (1u << I)) {
      TagSet J = Slot[I];
      J.join(Add[I]);
      if (!(J == Slot[I])) {
        Slot[I] = std::move(J);
        Changed = true;
      }
    }
  return Changed;
}
} // namespace

std::optional<TagKey> ProvenancePass::tagKeyOf(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  QualType T = E->getType();
  if (T.isNull() || !T->isIntegralOrEnumerationType())
    return std::nullopt;
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_Deref)
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
        if (const auto *PD = dyn_cast<ParmVarDecl>(DRE->getDecl()))
          return TagKey{PD, nullptr, true};
    return std::nullopt;
  }
  if (!isa<DeclRefExpr, MemberExpr>(E))
    return std::nullopt;
  // A field of an anonymous struct or union (smc_buf_desc's is_vm) is the
  // outer object's tag.
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    while (const auto *In = dyn_cast<MemberExpr>(Base)) {
      const auto *FD = dyn_cast<FieldDecl>(In->getMemberDecl());
      if (!FD || !FD->isAnonymousStructOrUnion())
        break;
      Base = In->getBase()->IgnoreParenImpCasts();
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(Base);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!VD || !FD)
      return std::nullopt;
    return TagKey{VD, FD->getCanonicalDecl(), false};
  }
  std::optional<Key> K = keyOf(E);
  if (!K)
    return std::nullopt;
  return TagKey{K->first, K->second ? K->second->getCanonicalDecl() : nullptr,
                false};
}

std::optional<int64_t> ProvenancePass::constantOf(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (E->isValueDependent() || E->isTypeDependent() ||
      !E->getType()->isIntegralOrEnumerationType())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx) || !R.Val.isInt() ||
      R.Val.getInt().getSignificantBits() > 64)
    return std::nullopt;
  return R.Val.getInt().getSExtValue();
}

void ProvenancePass::setTag(State &S, const TagKey &T, const TagKnown *Known) {
  if (!Known) {
    S.Tags.erase(T);
    for (auto &[K, M] : S.Corr)
      M.erase(T);
    return;
  }
  S.Tags[T] = *Known;
  TagSet Is{false, Known->Is};
  for (const auto &[K, V] : S.Values)
    if (V.Kinds & Correlated)
      S.Corr[K][T] = setsFor(V.Kinds, Is);
}

void ProvenancePass::learnTag(State &S, const TagKey &T, const TagKnown &K) {
  TagKnown &Cur = S.Tags[T];
  if (K.HasIs) {
    if (Cur.HasIs) {
      for (auto It = Cur.Is.begin(); It != Cur.Is.end();)
        It = K.Is.count(*It) ? std::next(It) : Cur.Is.erase(It);
    } else {
      Cur.HasIs = true;
      Cur.Is = K.Is;
    }
  }
  Cur.Not.insert(K.Not.begin(), K.Not.end());
  for (const auto &[P, M] : S.Corr) {
    auto Sets = M.find(T);
    auto V = S.Values.find(P);
    if (Sets == M.end() || V == S.Values.end())
      continue;
    for (unsigned I = 0; I < MemValue::NumKinds; ++I)
      if ((V->second.Kinds & (1u << I)) && Cur.excludes(Sets->second[I])) {
        V->second.Kinds &= ~(1u << I);
        V->second.Origin[I] = nullptr;
        V->second.OriginOrder[I] = 0;
      }
  }
}

std::map<TagKey, TagSets> ProvenancePass::corrFor(const State &S, const Expr *E,
                                                  const MemValue &V) {
  std::map<TagKey, TagSets> Out;
  if (!(V.Kinds & Correlated))
    return Out;
  const Expr *R = pointerRoot(E);
  if (std::optional<Key> K = keyOf(R)) {
    auto It = S.Corr.find(*K);
    if (It != S.Corr.end())
      Out = It->second;
  }
  if (const auto *CE = dyn_cast<CallExpr>(R))
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (const FunctionFacts *FF = factsFor(FD))
        for (const auto &[I, Sets] : FF->ReturnTags) {
          if (I >= CE->getNumArgs())
            continue;
          const auto *UO =
              dyn_cast<UnaryOperator>(CE->getArg(I)->IgnoreParenCasts());
          if (UO && UO->getOpcode() == UO_AddrOf)
            if (std::optional<TagKey> T = tagKeyOf(UO->getSubExpr()))
              Out[*T] = Sets;
        }
  // The tag fields of the objects the call is given (p, or &s).
  if (const auto *CE = dyn_cast<CallExpr>(R))
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (const FunctionFacts *FF = factsFor(FD))
        for (const auto &[IF, Sets] : FF->ReturnFieldTags) {
          if (IF.first >= CE->getNumArgs())
            continue;
          const Expr *A = CE->getArg(IF.first)->IgnoreParenCasts();
          bool Addr = false;
          if (const auto *UO = dyn_cast<UnaryOperator>(A))
            if (UO->getOpcode() == UO_AddrOf) {
              A = UO->getSubExpr()->IgnoreParenCasts();
              Addr = true;
            }
          const auto *DRE = dyn_cast<DeclRefExpr>(A);
          const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
          if (VD && (Addr || VD->getType()->isPointerType()))
            Out[TagKey{VD, IF.second, false}] = Sets;
        }
  // What the path knows of a tag holds with every kind the value has.
  for (const auto &[T, K] : S.Tags)
    if (K.known() && !Out.count(T))
      Out[T] = setsFor(V.Kinds, K.asSet());
  return Out;
}

void ProvenancePass::returnTags(const State &S, const Expr *RV,
                                const MemValue &V) {
  if (!Current || !(V.Kinds & Correlated))
    return;
  std::map<TagKey, TagSets> C = corrFor(S, RV, V);
  TagSet AnySet;
  AnySet.Any = true;
  // The tag fields of the objects the parameters point to, as the path
  // knows them (a test of io_data->use_sg) or the value's correlation
  // holds them, or any value.
  {
    auto &Slots = Facts[Current].ReturnFieldTags;
    std::map<std::pair<unsigned, const FieldDecl *>, TagSets> Here;
    for (unsigned I = 0; I < Current->getNumParams(); ++I) {
      const ParmVarDecl *PD = Current->getParamDecl(I);
      if (!PD->getType()->isPointerType())
        continue;
      for (const auto &[T, Sets] : C)
        if (T.Base == PD && T.Field && !T.Deref)
          Here[{I, T.Field}] = Sets;
    }
    for (const auto &[IF, Sets] : Slots)
      if (!Here.count(IF))
        Here[IF] = setsFor(V.Kinds, AnySet);
    for (const auto &[IF, Sets] : Here)
      if (joinSets(Slots[IF], Sets, V.Kinds & Correlated))
        FactsChanged = true;
  }
  for (unsigned I = 0; I < Current->getNumParams(); ++I) {
    const ParmVarDecl *PD = Current->getParamDecl(I);
    QualType PT = PD->getType();
    if (!PT->isPointerType() ||
        !PT->getPointeeType()->isIntegralOrEnumerationType())
      continue;
    auto It = C.find(TagKey{PD, nullptr, true});
    auto &Slots = Facts[Current].ReturnTags;
    // A return that does not set the out-parameter: any value (once the
    // function is known to set it on some path).
    if (It == C.end() && !Slots.count(I))
      continue;
    TagSet Any;
    Any.Any = true;
    TagSets Add = It != C.end() ? It->second : setsFor(V.Kinds, Any);
    if (joinSets(Slots[I], Add, V.Kinds & Correlated))
      FactsChanged = true;
  }
}

void ProvenancePass::noteFieldCopy(State &S, const VarDecl *VD,
                                   const Expr *RHS) {
  if (!RHS || !VD->hasLocalStorage() || !VD->getType()->isPointerType())
    return;
  const auto *ME = dyn_cast_or_null<MemberExpr>(pointerRoot(RHS));
  std::optional<Key> K = ME && ME->isArrow() ? keyOf(ME) : std::nullopt;
  if (K && isa<ParmVarDecl>(K->first) && !S.Values.count(*K))
    S.FieldCopies[VD] = *K;
}

void ProvenancePass::publishFields(const State &S, const ValueDecl *Base) {
  for (auto It = S.Values.lower_bound({Base, nullptr});
       It != S.Values.end() && It->first.first == Base; ++It) {
    const FieldDecl *F = It->first.second;
    const MemValue &V = It->second;
    if (!F || !F->getType()->isPointerType() || !(V.Kinds & Correlated))
      continue;
    auto &Slot = FieldTagFacts[F->getCanonicalDecl()];
    auto C = S.Corr.find(It->first);
    std::map<const FieldDecl *, TagSets> Here;
    if (C != S.Corr.end())
      for (const auto &[T, Sets] : C->second)
        if (T.Base == Base && T.Field && !T.Deref)
          Here[T.Field] = Sets;
    for (const auto &[T, K] : S.Tags)
      if (T.Base == Base && T.Field && !T.Deref && K.known() &&
          !Here.count(T.Field))
        Here[T.Field] = setsFor(V.Kinds, K.asSet());
    TagSet Any;
    Any.Any = true;
    for (auto &[TF, Sets] : Slot)
      if (!Here.count(TF))
        Here[TF] = setsFor(V.Kinds, Any);
    for (const auto &[TF, Sets] : Here)
      if (joinSets(Slot[TF], Sets, V.Kinds & Correlated))
        FactsChanged = true;
  }
}

State ProvenancePass::edgeState(const State &Out, const CFGBlock *Pred,
                                const CFGBlock *Succ) {
  if (Pred->succ_size() != 2)
    return Out;
  const CFGBlock *T = Pred->succ_begin()->getReachableBlock();
  const CFGBlock *F = (Pred->succ_begin() + 1)->getReachableBlock();
  const auto *Cond = dyn_cast_or_null<Expr>(Pred->getTerminatorCondition(true));
  if (!Cond || T == F)
    return Out;
  State S = Out;
  refine(S, Cond, Succ == T);
  return S;
}

void ProvenancePass::joinInto(State &Into, const State &From) {
  if (!Into.Reached) {
    Into = From;
    return;
  }
  // Tags: what both paths know.
  for (auto It = Into.Tags.begin(); It != Into.Tags.end();) {
    auto F = From.Tags.find(It->first);
    if (F == From.Tags.end()) {
      It = Into.Tags.erase(It);
      continue;
    }
    TagKnown &A = It->second;
    const TagKnown &B = F->second;
    A.HasIs = A.HasIs && B.HasIs;
    if (A.HasIs)
      A.Is.insert(B.Is.begin(), B.Is.end());
    else
      A.Is.clear();
    for (auto N = A.Not.begin(); N != A.Not.end();)
      N = B.Not.count(*N) ? std::next(N) : A.Not.erase(N);
    It = !A.HasIs && A.Not.empty() ? Into.Tags.erase(It) : std::next(It);
  }
  // Correlations, per kind: the constants of the paths where the value
  // has that kind (a value the path does not track, or no entry: any).
  auto KindsIn = [this](const State &St, const Key &K) -> uint16_t {
    auto It = St.Values.find(K);
    if (It != St.Values.end())
      return It->second.Kinds;
    return isLocal(K) ? 0 : untracked(K).Kinds;
  };
  auto SetsIn = [](const State &St, const Key &K,
                   const TagKey &T) -> const TagSets * {
    auto It = St.Corr.find(K);
    if (It == St.Corr.end())
      return nullptr;
    auto TI = It->second.find(T);
    return TI == It->second.end() ? nullptr : &TI->second;
  };
  std::set<std::pair<Key, TagKey>> Pairs;
  for (const State *St : std::initializer_list<const State *>{&Into, &From})
    for (const auto &[K, M] : St->Corr)
      for (const auto &[T, Sets] : M)
        Pairs.insert({K, T});
  std::map<Key, std::map<TagKey, TagSets>> Corr;
  for (const auto &[K, T] : Pairs) {
    uint16_t KA = KindsIn(Into, K), KB = KindsIn(From, K);
    const TagSets *SA = SetsIn(Into, K, T), *SB = SetsIn(From, K, T);
    TagSets R;
    bool Useful = false;
    for (unsigned I = 0; I < MemValue::NumKinds; ++I) {
      bool InA = KA & (1u << I), InB = KB & (1u << I);
      if (!InA && !InB)
        continue;
      TagSet X;
      X.Any = true;
      if (InA)
        X = SA ? (*SA)[I] : X;
      if (InB) {
        TagSet Y;
        Y.Any = true;
        Y = SB ? (*SB)[I] : Y;
        if (InA)
          X.join(Y);
        else
          X = Y;
      }
      Useful |= !X.Any;
      R[I] = std::move(X);
    }
    if (Useful)
      Corr[K][T] = std::move(R);
  }
  Into.Corr = std::move(Corr);
  for (auto It = Into.FieldCopies.begin(); It != Into.FieldCopies.end();) {
    auto F = From.FieldCopies.find(It->first);
    It = F != From.FieldCopies.end() && F->second == It->second
             ? std::next(It)
             : Into.FieldCopies.erase(It);
  }
  for (auto It = Into.Elements.begin(); It != Into.Elements.end();) {
    auto F = From.Elements.find(It->first);
    if (F == From.Elements.end()) {
      It = Into.Elements.erase(It);
      continue;
    }
    It->second = joinValues(It->second, F->second);
    ++It;
  }
  for (auto It = Into.Conditions.begin(); It != Into.Conditions.end();) {
    auto F = From.Conditions.find(It->first);
    It = F != From.Conditions.end() && F->second == It->second
             ? std::next(It)
             : Into.Conditions.erase(It);
  }
  for (auto &[K, V] : Into.Values)
    if (!From.Values.count(K))
      V = joinValues(V, isLocal(K) ? MemValue() : untracked(K));
  for (const auto &[K, V] : From.Values) {
    auto It = Into.Values.find(K);
    if (It == Into.Values.end())
      Into.Values[K] = joinValues(V, isLocal(K) ? MemValue() : untracked(K));
    else
      It->second = joinValues(It->second, V);
  }
}

bool ProvenancePass::isLocal(const Key &K) {
  const auto *VD = dyn_cast<VarDecl>(K.first);
  return !K.second && VD && VD->hasLocalStorage();
}

CFG *ProvenancePass::cfgFor(const FunctionDecl *FD) {
  auto It = CFGs.find(FD);
  if (It != CFGs.end())
    return It->second.get();
  CFG::BuildOptions BO;
  BO.setAllAlwaysAdd();
  std::unique_ptr<CFG> G = CFG::buildCFG(FD, FD->getBody(), &Ctx, BO);
  CFG *P = G.get();
  CFGs[FD] = std::move(G);
  return P;
}

namespace {
/// A local variable of the function being followed (not a parameter: the
/// parameters' objects go back to the callers at its exit).
const VarDecl *localVar(const ValueDecl *D) {
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) ? VD : nullptr;
}

/// The locals Root's tree reads by name (their numbers in Index), not
/// below a statement of Skip.
void localReads(const Stmt *Root,
                const llvm::DenseMap<const ValueDecl *, unsigned> &Index,
                const llvm::SmallPtrSetImpl<const Stmt *> *Skip,
                llvm::SmallVectorImpl<unsigned> &Out) {
  llvm::SmallVector<const Stmt *, 32> Work{Root};
  while (!Work.empty()) {
    const Stmt *St = Work.pop_back_val();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(St)) {
      auto It = Index.find(DRE->getDecl());
      if (It != Index.end())
        Out.push_back(It->second);
    }
    for (const Stmt *C : St->children())
      if (C && !(Skip && Skip->count(C)))
        Work.push_back(C);
  }
}

template <typename Map, typename Pred> void eraseIf(Map &M, Pred P) {
  for (auto It = M.begin(); It != M.end();)
    It = P(*It) ? M.erase(It) : std::next(It);
}
} // namespace

LocalLiveness &ProvenancePass::livenessFor(const FunctionDecl *FD,
                                           const CFG &G) {
  std::unique_ptr<LocalLiveness> &Slot = Liveness[FD];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<LocalLiveness>();
  LocalLiveness &L = *Slot;
  struct Locals : RecursiveASTVisitor<Locals> {
    llvm::DenseMap<const ValueDecl *, unsigned> &Index;
    explicit Locals(llvm::DenseMap<const ValueDecl *, unsigned> &I)
        : Index(I) {}
    bool VisitDeclRefExpr(DeclRefExpr *DRE) {
      if (const VarDecl *VD = localVar(DRE->getDecl()))
        Index.try_emplace(VD, Index.size());
      return true;
    }
  } Collect(L.Index);
  Collect.TraverseStmt(FD->getBody());
  unsigned N = G.getNumBlockIDs(), Vars = L.Index.size();
  // What each block reads (its statements' trees: a statement is evaluated
  // whole where the CFG puts it, also the parts of it the CFG put in
  // earlier blocks, as the two arms of `c ? a : b`) and what its
  // terminator's condition reads.
  std::vector<llvm::BitVector> Use(N, llvm::BitVector(Vars)),
      Live(N, llvm::BitVector(Vars));
  L.Keep.assign(N, llvm::BitVector(Vars));
  llvm::SmallVector<unsigned, 64> Reads;
  for (const CFGBlock *B : G) {
    llvm::SmallPtrSet<const Stmt *, 32> InBlock;
    for (const CFGElement &El : *B)
      if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>())
        InBlock.insert(CS->getStmt());
    Reads.clear();
    for (const CFGElement &El : *B)
      if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>())
        localReads(CS->getStmt(), L.Index, &InBlock, Reads);
    for (unsigned I : Reads)
      Use[B->getBlockID()].set(I);
    Reads.clear();
    if (const Stmt *C = B->getTerminatorCondition(true))
      localReads(C, L.Index, nullptr, Reads);
    for (unsigned I : Reads)
      L.Keep[B->getBlockID()].set(I);
  }
  // Backward to a fixpoint: live at a block's start, what it reads and
  // what is live at the start of a successor.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const CFGBlock *B : G) {
      llvm::BitVector In = Use[B->getBlockID()];
      for (const CFGBlock::AdjacentBlock &SA : B->succs())
        if (const CFGBlock *Succ = SA.getReachableBlock())
          In |= Live[Succ->getBlockID()];
      if (In != Live[B->getBlockID()]) {
        Live[B->getBlockID()] = std::move(In);
        Changed = true;
      }
    }
  }
  for (const CFGBlock *B : G)
    for (const CFGBlock::AdjacentBlock &SA : B->succs())
      if (const CFGBlock *Succ = SA.getReachableBlock())
        L.Keep[B->getBlockID()] |= Live[Succ->getBlockID()];
  return L;
}

size_t ProvenancePass::stateEntries(const State &S) {
  size_t N = S.Values.size() + S.Tags.size() + S.FieldCopies.size() +
             S.Conditions.size() + S.Elements.size();
  for (const auto &[K, M] : S.Corr)
    N += M.size();
  return N;
}

void ProvenancePass::prune(State &S, LocalLiveness &L, const CFGBlock *B) {
  llvm::BitVector Keep = L.Keep[B->getBlockID()];
  auto Kept = [&](const ValueDecl *D) {
    const VarDecl *VD = localVar(D);
    if (!VD)
      return true;
    auto It = L.Index.find(VD);
    return It != L.Index.end() && Keep.test(It->second);
  };
  // A branch on a condition variable refines what its condition reads.
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (const auto &[VD, E] : S.Conditions) {
      if (!Kept(VD))
        continue;
      auto It = L.CondReads.find(E);
      if (It == L.CondReads.end()) {
        llvm::SmallVector<unsigned, 4> R;
        localReads(E, L.Index, nullptr, R);
        It = L.CondReads.try_emplace(E, std::move(R)).first;
      }
      for (unsigned I : It->second)
        if (!Keep.test(I)) {
          Keep.set(I);
          Grew = true;
        }
    }
  }
  eraseIf(S.Values, [&](const auto &E) { return !Kept(E.first.first); });
  eraseIf(S.Tags, [&](const auto &E) { return !Kept(E.first.Base); });
  eraseIf(S.Corr, [&](auto &E) {
    if (!Kept(E.first.first))
      return true;
    eraseIf(E.second, [&](const auto &T) { return !Kept(T.first.Base); });
    return E.second.empty();
  });
  eraseIf(S.FieldCopies, [&](const auto &E) {
    return !Kept(E.first) || !Kept(E.second.first);
  });
  eraseIf(S.Conditions, [&](const auto &E) { return !Kept(E.first); });
  eraseIf(S.Elements, [&](const auto &E) { return !Kept(E.first.first); });
}

void ProvenancePass::analyzeFunction(const FunctionDecl *FD) {
  CFG *G = cfgFor(FD);
  if (!G)
    return;
  // The dataflow keeps a state per block: a function of tens of thousands
  // of blocks (5.8's hns_roce_srq.c alloc_srq_buf(), 27,941 blocks of
  // expanded register macros) would take gigabytes. Such a function is not
  // followed, and the run says so (the largest of the 6.1 tree's drivers/md
  // and mm has 1,021).
  auto NotFollowed = [&](const std::string &Why) {
    if (!Reporting)
      return;
    SourcePoint P = point(FD->getLocation());
    Result.NotFollowed.push_back(
        FD->getName().str() + " (" + P.File + ":" + std::to_string(P.Line) +
        ", " + std::to_string(G->getNumBlockIDs()) + " blocks): " + Why);
  };
  if (G->getNumBlockIDs() > pass2CfgBudget()) {
    NotFollowed("its control-flow graph is over the budget of " +
                std::to_string(pass2CfgBudget()) + " blocks");
    return;
  }
  if (OverStateBudget.count(FD)) {
    NotFollowed("its dataflow state is over the budget of " +
                std::to_string(pass2StateBudget()) + " entries");
    return;
  }
  Current = FD;
  // Reverse post-order from the entry.
  std::vector<const CFGBlock *> RPO;
  {
    std::vector<char> Seen(G->getNumBlockIDs());
    std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>>
        Stack;
    Stack.push_back({&G->getEntry(), G->getEntry().succ_begin()});
    Seen[G->getEntry().getBlockID()] = 1;
    while (!Stack.empty()) {
      auto &[B, It] = Stack.back();
      if (It == B->succ_end()) {
        RPO.push_back(B);
        Stack.pop_back();
        continue;
      }
      const CFGBlock *Next = (It++)->getReachableBlock();
      if (Next && !Seen[Next->getBlockID()]) {
        Seen[Next->getBlockID()] = 1;
        Stack.push_back({Next, Next->succ_begin()});
      }
    }
    std::reverse(RPO.begin(), RPO.end());
  }
  std::vector<unsigned> Pos(G->getNumBlockIDs(), ~0u);
  for (unsigned I = 0; I < RPO.size(); ++I)
    Pos[RPO[I]->getBlockID()] = I;

  State Entry;
  Entry.Reached = true;
  for (unsigned I = 0; I < FD->getNumParams(); ++I)
    Entry.Values[{FD->getParamDecl(I), nullptr}] = MemValue::param(I);

  LocalLiveness &Live = livenessFor(FD, *G);
  std::vector<State> Out(G->getNumBlockIDs());
  auto InState = [&](const CFGBlock *B) {
    if (B == &G->getEntry())
      return Entry;
    State In;
    for (const CFGBlock::AdjacentBlock &PA : B->preds()) {
      const CFGBlock *P = PA.getReachableBlock();
      if (P && Out[P->getBlockID()].Reached)
        joinInto(In, edgeState(Out[P->getBlockID()], P, B));
    }
    return In;
  };
  auto Run = [&](State S, const CFGBlock *B) {
    for (const CFGElement &El : *B)
      if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>())
        transfer(S, CS->getStmt());
    return S;
  };

  bool SavedReporting = Reporting;
  Reporting = false;
  std::set<unsigned> Work;
  for (unsigned I = 0; I < RPO.size(); ++I)
    Work.insert(I);
  unsigned Steps = 0, Limit = 50 * (unsigned)RPO.size() + 100;
  // What the blocks' states hold together (pass2StateBudget()).
  size_t Entries = 0;
  bool Over = false;
  while (!Work.empty() && Steps++ < Limit) {
    const CFGBlock *B = RPO[*Work.begin()];
    Work.erase(Work.begin());
    State In = InState(B);
    if (!In.Reached)
      continue;
    State S = Run(std::move(In), B);
    prune(S, Live, B);
    if (S != Out[B->getBlockID()]) {
      Entries += stateEntries(S);
      Entries -= stateEntries(Out[B->getBlockID()]);
      if (Entries > pass2StateBudget()) {
        Over = true;
        break;
      }
      Out[B->getBlockID()] = std::move(S);
      for (const CFGBlock::AdjacentBlock &SA : B->succs())
        if (const CFGBlock *Succ = SA.getReachableBlock())
          if (Pos[Succ->getBlockID()] != ~0u)
            Work.insert(Pos[Succ->getBlockID()]);
    }
  }
  Reporting = SavedReporting;
  if (Over) {
    // Given up as one over the CFG budget is: nothing reported inside it,
    // and what it returns or passes on is unknown to its callers (the
    // stores to fields and globals it made before stay in the facts).
    Out.clear();
    OverStateBudget.insert(FD);
    FunctionFacts &FF = Facts[FD];
    if (!FF.Returns.bottom() || !FF.ParamSinks.empty() ||
        !FF.ParamFields.empty() || !FF.ParamFieldSinks.empty() ||
        !FF.ParamFieldNames.empty() || !FF.ReturnTags.empty() ||
        !FF.ReturnFieldTags.empty())
      FactsChanged = true;
    FF = FunctionFacts();
    analyzeFunction(FD); // the note, when reporting
    return;
  }
  // The objects of the parameters go back to the callers with their tags.
  {
    State X = InState(&G->getExit());
    if (X.Reached)
      for (const ParmVarDecl *PD : FD->parameters())
        publishFields(X, PD);
  }
  if (!Reporting)
    return;
  for (const CFGBlock *B : RPO) {
    State In = InState(B);
    if (In.Reached)
      Run(std::move(In), B);
  }
}

} // namespace provenance

AnalysisResult analyzeProvenance(clang::ASTContext &Ctx,
                                 const MacroExpansionLog &Log,
                                 const AnalysisOptions &Options) {
  AnalysisResult R = provenance::ProvenancePass(Ctx, Log, Options).run();
  sortResults(R);
  return R;
}

} // namespace vmalloc_lint
