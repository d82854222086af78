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
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

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

class CalleeCollector : public RecursiveASTVisitor<CalleeCollector> {
public:
  bool VisitCallExpr(CallExpr *CE) {
    if (const FunctionDecl *FD = CE->getDirectCallee())
      Callees.push_back(FD);
    return true;
  }
  std::vector<const FunctionDecl *> Callees;
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
  CalleeCollector CC;
  CC.TraverseStmt(FD->getBody());
  for (const FunctionDecl *Callee : CC.Callees) {
    const FunctionDecl *Def = Callee->getDefinition();
    if (Def && Def->getBody()) {
      Called.insert(Def);
      visitFunction(Def, Seen);
    }
  }
  Functions.push_back(FD);
  Facts[FD];
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

MemValue ProvenancePass::read(const State &S, const Key &K) {
  auto It = S.Values.find(K);
  return It != S.Values.end() ? It->second : untracked(K);
}

void ProvenancePass::write(State &S, const Key &K, const MemValue &V) {
  if (!K.second)
    for (auto It = S.Values.lower_bound({K.first, nullptr});
         It != S.Values.end() && It->first.first == K.first;)
      It = It->first.second ? S.Values.erase(It) : std::next(It);
  S.Values[K] = V;
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
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->isArrow() ? eval(S, ME->getBase()) : address(S, ME->getBase());
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
    if (isa<VarDecl>(DRE->getDecl()))
      return read(S, *keyOf(DRE));
    return MemValue::unknown();
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (std::optional<Key> K = keyOf(ME))
      return read(S, *K);
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

MemValue ProvenancePass::evalCall(const State &S, const CallExpr *CE) {
  const FunctionDecl *FD = CE->getDirectCallee();
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
    return MemValue::of(Src->Kind == SourceKind::Vmap ? mem::Vmap : mem::Linear,
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
  MemValue Out = R;
  Out.Params = 0;
  for (unsigned I = 0; I < CE->getNumArgs() && I < 64; ++I)
    if (R.Params & (uint64_t(1) << I))
      Out = joinValues(Out, eval(S, CE->getArg(I)));
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
      if (std::optional<Key> K = keyOf(ME))
        write(S, *K, V);
      fieldAssigned(FD, V);
    }
  }
  if (isa<MemberExpr, ArraySubscriptExpr, UnaryOperator>(L))
    descriptorStore(V, L);
}

void ProvenancePass::initRecord(State &S, const InitListExpr *ILE) {
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
    else
      fieldAssigned(FD, eval(S, Init));
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
      else
        write(S, {VD, nullptr}, Init ? eval(S, Init) : MemValue());
      noteCondition(S, VD, Init);
    }
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
    if (BO->getOpcode() == BO_Assign) {
      CurrentRHS = BO->getRHS();
      assign(S, BO->getLHS(), eval(S, BO->getRHS()));
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
    }
  }
}

void ProvenancePass::call(State &S, const CallExpr *CE) {
  const FunctionDecl *FD = CE->getDirectCallee();
  std::string Name = FD && FD->getIdentifier() ? FD->getName().str() : "";
  SourceLocation CalleeLoc = CE->getCallee()->IgnoreImpCasts()->getBeginLoc();
  const MemoryCallee *Table = Calls.lookup(CE);
  if (const MemorySink *Row = Table ? Table->Sink : nullptr) {
    if (Row->Arg < CE->getNumArgs() && !insideSinkMacro(CalleeLoc))
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
          for (const FieldDecl *F : Set)
            fieldAssigned(F, V);
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
        for (const ParamSink &PS : Set) {
          if (FK.first && deferToCallers(S, FK, PS))
            continue;
          if (FK.first && S.Values.count(FK))
            sinkReached(S, *PS.Row, PS.SinkName, CalleeLoc, nullptr, V, &PS,
                        Name);
          else if (PS.ExtLoc) // a sink in another file: report the call
            sinkReached(S, *PS.Row, PS.SinkName, CalleeLoc, nullptr, V, &PS,
                        Name);
          else // the caller knows no more than the facts: report the sink
            sinkReached(S, *PS.Row, PS.SinkName, PS.SinkLoc, nullptr, V,
                        nullptr, "");
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
  const MemoryCallee *Table = Calls.lookup(CE);
  const MemoryGuard *G = Table ? Table->Guard : nullptr;
  if (!G)
    return;
  std::optional<Key> K = keyOf(CE->getArg(0));
  if (!K)
    return;
  auto After = [&](const MemValue &V) {
    return G->Kind == GuardKind::IsVmalloc ? afterIsVmallocAddr(V, Truth)
                                           : afterVirtAddrValid(V, Truth);
  };
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

void ProvenancePass::analyzeFunction(const FunctionDecl *FD) {
  CFG *G = cfgFor(FD);
  if (!G)
    return;
  // The dataflow keeps a state per block: a function of tens of thousands
  // of blocks (5.8's hns_roce_srq.c alloc_srq_buf(), 27,941 blocks of
  // expanded register macros) would take gigabytes. Such a function is not
  // followed, and the run says so (the largest of the 6.1 tree's drivers/md
  // and mm has 1,021).
  if (G->getNumBlockIDs() > pass2CfgBudget()) {
    if (Reporting) {
      SourcePoint P = point(FD->getLocation());
      Result.NotFollowed.push_back(
          FD->getName().str() + " (" + P.File + ":" + std::to_string(P.Line) +
          ", " + std::to_string(G->getNumBlockIDs()) + " blocks)");
    }
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
  while (!Work.empty() && Steps++ < Limit) {
    const CFGBlock *B = RPO[*Work.begin()];
    Work.erase(Work.begin());
    State In = InState(B);
    if (!In.Reached)
      continue;
    State S = Run(std::move(In), B);
    if (S != Out[B->getBlockID()]) {
      Out[B->getBlockID()] = std::move(S);
      for (const CFGBlock::AdjacentBlock &SA : B->succs())
        if (const CFGBlock *Succ = SA.getReachableBlock())
          if (Pos[Succ->getBlockID()] != ~0u)
            Work.insert(Pos[Succ->getBlockID()]);
    }
  }
  Reporting = SavedReporting;
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
