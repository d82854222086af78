// Pass 2's findings: a value reaches a sink (a call of the sink table, a
// sink macro's argument, a store into a DMA descriptor); each selected
// pass-2 check of the registry judges it (matchers/checks/), and a verdict
// becomes a finding with its wording, notes and fix request.
#include "matchers/provenance/ProvenancePass.h"

#include "matchers/checks/CheckRegistry.h"
#include "matchers/kernel/MemoryApi.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"

#include <tuple>

namespace vmalloc_lint {
namespace provenance {

/// A sink's pointer is param->F, read without this function knowing more
/// of it than the facts of F: if the function has callers in the
/// translation unit, record it for them (they may know more) and say so.
bool ProvenancePass::deferToCallers(const State &S, const Key &K,
                                    const ParamSink &PS) {
  const auto *P = dyn_cast<ParmVarDecl>(K.first);
  if (!P || !K.second || !Current || !Called.count(Current) ||
      S.Values.count(K))
    return false;
  // A test of the object's tag on this path (smc's `if (buf_desc->is_vm)`)
  // tells more than the callers can (whatever the field's tag facts turn
  // out to be: the choice must not change between rounds).
  for (const auto &[T, Known] : S.Tags)
    if (T.Base == K.first && T.Field && !T.Deref)
      return false;
  for (unsigned I = 0; I < Current->getNumParams(); ++I)
    if (Current->getParamDecl(I) == P) {
      if (Facts[Current].ParamFieldSinks[{I, K.second}].insert(PS).second)
        FactsChanged = true;
      return true;
    }
  return false;
}

/// param->F at the root of Arg (through casts and p + off).
std::optional<Key> ProvenancePass::paramFieldRoot(const Expr *Arg,
                                                  const State *S) {
  while (Arg) {
    Arg = Arg->IgnoreParenCasts();
    if (const auto *BO = dyn_cast<BinaryOperator>(Arg)) {
      if (BO->getOpcode() != BO_Add && BO->getOpcode() != BO_Sub)
        return std::nullopt;
      Arg = BO->getRHS()->getType()->isPointerType() ? BO->getRHS()
                                                     : BO->getLHS();
      continue;
    }
    break;
  }
  if (const auto *DRE = S && Arg ? dyn_cast<DeclRefExpr>(Arg) : nullptr)
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      auto It = S->FieldCopies.find(VD);
      if (It != S->FieldCopies.end())
        return It->second;
    }
  const auto *ME = Arg ? dyn_cast<MemberExpr>(Arg) : nullptr;
  if (!ME || !ME->isArrow())
    return std::nullopt;
  std::optional<Key> K = keyOf(ME);
  if (K && isa<ParmVarDecl>(K->first))
    return K;
  return std::nullopt;
}

void ProvenancePass::sinkReached(const State &S, const MemorySink &Row,
                                 const std::string &SinkName,
                                 SourceLocation Loc, const Expr *Arg,
                                 const MemValue &V, const ParamSink *Via,
                                 const std::string &ViaCallee,
                                 const std::string &ViaField) {
  ParamSink PS{&Row, SinkName, Via ? Via->SinkLoc : Loc,
               Via ? Via->ExtLoc : nullptr};
  if (V.Params && Current) {
    for (unsigned I = 0; I < 64; ++I)
      if (V.Params & (uint64_t(1) << I))
        if (Facts[Current].ParamSinks[I].insert(PS).second)
          FactsChanged = true;
  }
  if (std::optional<Key> K = Arg ? paramFieldRoot(Arg, &S) : std::nullopt)
    if (deferToCallers(S, *K, PS))
      return;
  if (!Reporting)
    return;
  SinkEvent E{Row.Kind, SinkUse::Table,
              &Row,     V,
              Device,   [this, &V](uint16_t K) { return originName(V, K); }};
  for (const CheckRow &C : checkRegistry()) {
    std::optional<SinkVerdict> Verdict = judge(C, E);
    // A sink inside another file's function, reached with a field that
    // holds vmalloc or other memory: that function may pick its path by
    // the condition that picked the allocator (dm-bufio's data_mode: slab
    // memory to kmem_cache_free(), whose virt_to_page() is in mm/, and
    // vmalloc memory to vfree()), and this unit cannot see it.
    if (!Verdict || (Via && Via->ExtLoc && Verdict->Kind == mem::Mixed))
      continue;
    report(*C.Sinks, E, *Verdict, SinkName, Loc, Arg, Via, ViaCallee,
           Arg ? factFieldOf(S, Arg) : ViaField);
  }
}

std::string ProvenancePass::factFieldOf(const State &S, const Expr *Arg) {
  // Through casts, p + off, &p[i] and &p->f to the pointer read.
  while (Arg) {
    Arg = Arg->IgnoreParenCasts();
    if (const auto *BO = dyn_cast<BinaryOperator>(Arg)) {
      if (BO->getOpcode() != BO_Add && BO->getOpcode() != BO_Sub)
        return "";
      Arg = BO->getRHS()->getType()->isPointerType() ? BO->getRHS()
                                                     : BO->getLHS();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(Arg)) {
      if (UO->getOpcode() != UO_AddrOf)
        return "";
      const Expr *Sub = UO->getSubExpr()->IgnoreParenCasts();
      if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Sub))
        Arg = AS->getBase();
      else if (const auto *ME = dyn_cast<MemberExpr>(Sub); ME && ME->isArrow())
        Arg = ME->getBase();
      else
        return "";
      continue;
    }
    break;
  }
  if (const auto *ME = Arg ? dyn_cast<MemberExpr>(Arg) : nullptr) {
    std::optional<Key> K = keyOf(ME);
    if (!K || !S.Values.count(*K))
      return ME->getMemberDecl()->getName().str();
  }
  if (const auto *DRE = Arg ? dyn_cast<DeclRefExpr>(Arg) : nullptr)
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (!VD->hasLocalStorage() && !S.Values.count({VD, nullptr}))
        return VD->getName().str();
  return "";
}

std::pair<Confidence, std::string>
ProvenancePass::confidenceOf(const SinkVerdict &Verdict, const MemValue &V,
                             const std::string &ViaField, SinkKind Sink) {
  const uint16_t K = Verdict.Kind;
  if (K == mem::Mixed) {
    // A field that holds vmalloc memory or other memory is only possible:
    // the code may pick the sink by a tag or a path that tells which it
    // stored (smc's is_vm, dm-bufio's data_mode). When its vmalloc side is
    // kvmalloc memory alone, nothing in the code picks the kind (kvmalloc()
    // does, by size and by whether kmalloc() failed), as for kvmalloc
    // memory read directly.
    if (V.MixedFrom && !(V.MixedFrom & ~mem::MaybeVmalloc)) {
      std::string O = originName(V, mem::Mixed);
      return {Confidence::Likely,
              (O.empty() ? std::string("kvmalloc memory") : O + "() memory") +
                  (ViaField.empty() ? std::string(" in a field")
                                    : " in '" + ViaField + "'") +
                  " also assigned other memory: vmalloc memory only above a "
                  "size, which no tag can tell"};
    }
    return {Confidence::Possible,
            "a field or global the unit also assigns other memory"};
  }
  if (K == mem::MaybeVmalloc || K == mem::PageAddrMaybe) {
    std::string O = originName(V, mem::MaybeVmalloc);
    const MemorySource *Other =
        K == mem::MaybeVmalloc && !(V.Kinds & mem::Linear)
            ? lookupMemorySource(originName(V, mem::Linear))
            : nullptr;
    if (Other && Other->Kind == SourceKind::Linear &&
        std::string(Other->Free) != "kfree")
      return {Confidence::Likely,
              (O.empty() ? std::string("such memory") : O + "() memory") +
                  ": page-allocator memory on some paths, vmalloc memory on "
                  "others"};
    // At vfree() the wrong side is the other one: kvmalloc() gives slab
    // memory unless the size is above a page and kmalloc() failed.
    return {Confidence::Likely,
            (O.empty() ? std::string("kvmalloc memory") : O + "() memory") +
                (Sink == SinkKind::VmallocFree
                     ? ": slab memory below a size"
                     : ": vmalloc memory only above a size")};
  }
  if (!ViaField.empty())
    return {Confidence::Likely,
            "through '" + ViaField + "', assigned elsewhere"};
  if (externalOrigin(V.originOf(K)))
    return {Confidence::Likely, "through another file's facts"};
  // The kinds that are as wrong at this sink as the verdict's.
  uint16_t Same = K;
  if (K & mem::VmallocArea)
    Same = mem::VmallocArea | mem::GuardVmalloc;
  else if (K == mem::Linear)
    Same = mem::Linear | mem::GuardLinear;
  if (!V.Params && !(V.Kinds & ~Same))
    return {Confidence::Definite, "on every path"};
  return {Confidence::Likely, "on some paths"};
}

/// The verdict of check C, when it is a selected pass-2 check for the
/// target kernel.
std::optional<SinkVerdict> ProvenancePass::judge(const CheckRow &C,
                                                 const SinkEvent &E) {
  if (!C.Sinks || !C.Kernels.contains(Opts.Version) ||
      !Opts.archApplies(C.Arches) || !Opts.Checks.enabled(C.Name))
    return std::nullopt;
  std::optional<SinkVerdict> V = C.Sinks->judge(E);
  if (V)
    V->Check = C.Name;
  return V;
}

void ProvenancePass::descriptorStore(const MemValue &V, const Expr *Where) {
  if (!Reporting)
    return;
  SinkEvent E{SinkKind::MmioWrite,
              SinkUse::DescriptorStore,
              nullptr,
              V,
              Device,
              [this, &V](uint16_t K) { return originName(V, K); }};
  for (const CheckRow &C : checkRegistry()) {
    std::optional<SinkVerdict> Verdict = judge(C, E);
    if (!Verdict)
      continue;
    Finding F;
    F.Check = Verdict->Check;
    F.Where = point(Where->getBeginLoc());
    F.Class = kindName(Verdict->Kind);
    F.Callee = "";
    std::tie(F.Sure, F.SureWhy) =
        confidenceOf(*Verdict, V, "", SinkKind::MmioWrite);
    F.Message =
        C.Sinks->message(E, *Verdict, {kindPhrase(*Verdict, V), "", "", false});
    addOriginNote(F, V, Verdict->Kind);
    Result.Findings.push_back(std::move(F));
  }
}

std::string ProvenancePass::originName(const MemValue &V, uint16_t Kind) {
  if (const FactOrigin *Ext = externalOrigin(V.originOf(Kind)))
    return Ext->Stack ? "" : Ext->Callee;
  if (const auto *CE = static_cast<const Expr *>(V.originOf(Kind)))
    if (const auto *Call = dyn_cast<CallExpr>(CE))
      return calleeName(Call);
  return "";
}

std::string ProvenancePass::kindPhrase(const SinkVerdict &Verdict,
                                       const MemValue &V) {
  std::string From;
  if (Verdict.Kind == mem::Stack) {
    if (const FactOrigin *Ext = externalOrigin(V.originOf(mem::Stack)))
      return "a stack buffer ('" + Ext->Callee + "')";
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
            static_cast<const Expr *>(V.originOf(mem::Stack))))
      return "a stack buffer ('" + DRE->getDecl()->getName().str() + "')";
    return "a stack buffer";
  }
  std::string O = originName(V, Verdict.Kind);
  if (!O.empty())
    From = " (from " + O + "())";
  switch (Verdict.Kind) {
  case mem::Vmalloc:
    return "vmalloc memory" + From;
  case mem::Vmalloc32:
    return "vmalloc_32 memory" + From;
  case mem::Vmap:
    return "vmap memory" + From;
  case mem::MaybeVmalloc:
  case mem::Mixed:
    return "memory that may be vmalloc memory" + From;
  case mem::Linear:
    return "linear-map memory" + From;
  case mem::GuardVmalloc:
    return "vmalloc memory (is_vmalloc_addr() is true here)";
  case mem::GuardLinear:
    return "linear-map memory (is_vmalloc_addr() is false here)";
  case mem::PageAddr:
    return "the page address of vmalloc memory" + From +
           " that is not vmalloc_32 memory";
  case mem::PageAddrMaybe:
    return "the page address of memory that may be vmalloc memory" + From;
  default:
    return "memory";
  }
}

void ProvenancePass::report(const SinkCheck &C, const SinkEvent &E,
                            const SinkVerdict &Verdict,
                            const std::string &SinkName, SourceLocation Loc,
                            const Expr *Arg, const ParamSink *Via,
                            const std::string &ViaCallee,
                            const std::string &ViaField) {
  Finding F;
  std::tie(F.Sure, F.SureWhy) =
      confidenceOf(Verdict, E.Value, ViaField, E.Kind);
  F.Check = Verdict.Check;
  F.Where = point(Loc);
  // The stack array is what is wrong: the caret under the argument (where
  // it is written, also inside a macro's arguments).
  if (Verdict.Kind == mem::Stack && Arg && Arg->getBeginLoc().isValid())
    if (SourcePoint A = Points.at(SM.getFileLoc(Arg->getBeginLoc())); A.valid())
      F.Where = A;
  F.Class = kindName(Verdict.Kind);
  F.Callee = Via ? ViaCallee : SinkName;
  F.Message = C.message(
      E, Verdict,
      {kindPhrase(Verdict, E.Value), SinkName, ViaCallee, Via != nullptr});
  // A field sink is a store, no call: "stored in spi_transfer.tx_buf here".
  std::string Sink = SinkName.find('.') != std::string::npos
                         ? "stored in " + SinkName
                         : SinkName + "()";
  if (Via && Via->ExtLoc)
    F.Notes.push_back({sourcePoint(*Via->ExtLoc),
                       Sink + " here, in another file (cross-file fact)"});
  else if (Via)
    F.Notes.push_back({point(Via->SinkLoc), Sink + " here"});
  // One finding per check and place (the key of Results.cpp and of
  // --baseline): a call whose callee takes the memory to several sinks
  // (virtio_net's virtnet_send_command(): sg_init_one() of &vi->ctrl_hdr
  // and of &vi->ctrl_status) is the first sink's finding with a note at
  // each further sink, not one finding that hides the others.
  if (Via) {
    std::string Key =
        F.Check + "|" + F.Where.File + ":" + std::to_string(F.Where.Offset);
    auto [It, New] = ViaFindings.emplace(Key, Result.Findings.size());
    if (!New) {
      Finding &Old = Result.Findings[It->second];
      const Note &SinkNote = F.Notes.front();
      bool Known = false;
      size_t At = 0;
      for (size_t I = 0; I < Old.Notes.size(); ++I)
        if (Old.Notes[I].Message.find(" here") != std::string::npos &&
            Old.Notes[I].Message.rfind("allocated by ", 0) != 0 &&
            Old.Notes[I].Message.find("' is on the stack") ==
                std::string::npos) {
          Known |= Old.Notes[I].Where == SinkNote.Where &&
                   Old.Notes[I].Message == SinkNote.Message;
          At = I + 1;
        }
      if (!Known)
        Old.Notes.insert(Old.Notes.begin() + At, SinkNote);
      if (F.Sure > Old.Sure) {
        Old.Sure = F.Sure;
        Old.SureWhy = F.SureWhy;
      }
      return;
    }
  }
  addOriginNote(F, E.Value, Verdict.Kind);
  if (!Via && C.offersRename(E, Verdict))
    renameRequest(F, Loc, SinkName, E.Row->Instead);
  Result.Findings.push_back(std::move(F));
}

SourcePoint ProvenancePass::sourcePoint(const FactPoint &P) {
  SourcePoint S;
  S.File = P.File;
  S.Line = P.Line;
  S.Column = P.Column;
  return S;
}

void ProvenancePass::addOriginNote(Finding &F, const MemValue &V,
                                   uint16_t Kind) {
  if (const FactOrigin *Ext = externalOrigin(V.originOf(Kind))) {
    F.Notes.push_back(
        {sourcePoint(Ext->Where),
         (Ext->Stack ? "'" + Ext->Callee + "' is on the stack"
                     : "allocated by " + Ext->Callee + "() here") +
             ", in another file (cross-file fact)"});
    return;
  }
  const auto *E = static_cast<const Expr *>(V.originOf(Kind));
  if (!E)
    return;
  SourcePoint P = point(E->getBeginLoc());
  std::string O = originName(V, Kind);
  if (!O.empty()) {
    if (!(P == F.Where))
      F.Notes.push_back({P, "allocated by " + O + "() here"});
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    // At the declaration (the finding may be at the use: the sink's
    // argument).
    F.Notes.push_back(
        {point(DRE->getDecl()->getLocation()),
         "'" + DRE->getDecl()->getName().str() + "' is on the stack"});
}

/// virt_to_page -> vmalloc_to_page where the name is written in a file.
void ProvenancePass::renameRequest(Finding &F, SourceLocation Loc,
                                   const std::string &From,
                                   const std::string &To) {
  if (!Loc.isFileID())
    return;
  auto [FID, Off] = SM.getDecomposedLoc(Loc);
  bool Invalid = false;
  StringRef Buf = SM.getBufferData(FID, &Invalid);
  if (Invalid || Buf.substr(Off, From.size()) != From)
    return;
  std::string Path = filePathOf(FID, SM);
  if (Path.empty())
    return;
  FixRequest R;
  R.What = FixRequest::Kind::RenameHelper;
  R.Name = To;
  R.Rename = {Path, Off, (unsigned)From.size(), To, contentHash(Buf)};
  R.NoteIndex = F.Notes.size();
  F.FixRequests.push_back(std::move(R));
}

/// The device the unit drives, from its DMA mask setters' constant masks.
DeviceDma ProvenancePass::deviceDma() {
  DeviceDma D;
  for (const CallExpr *CE : Calls.MaskSetters) {
    const DmaMaskSetter *Row = Calls.lookup(CE)->MaskSetter;
    if (CE->getNumArgs() <= Row->Arg)
      continue;
    Expr::EvalResult R;
    const Expr *Arg = CE->getArg(Row->Arg);
    if (Arg->isValueDependent() || !Arg->EvaluateAsInt(R, Ctx))
      continue;
    uint64_t Mask = R.Val.getInt().getZExtValue();
    unsigned Bits = Mask ? 64 - llvm::countl_zero(Mask) : 0;
    D.AnyMask = true;
    D.MinBits = std::min(D.MinBits, Bits);
  }
  return D;
}

SourcePoint ProvenancePass::point(SourceLocation L) {
  return Points.at(L.isValid() ? SM.getExpansionLoc(L) : L);
}

} // namespace provenance
} // namespace vmalloc_lint
