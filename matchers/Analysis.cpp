#include "matchers/Analysis.h"

#include "matchers/text/BodySkipping.h"
#include "matchers/gfp/GfpChain.h"
#include "matchers/kernel/GfpFlags.h"
#include "matchers/kernel/MemoryApi.h"
#include "matchers/provenance/ProvenanceEngine.h"
#include "matchers/kernel/VmallocApi.h"
#include "rewriters/GfpFixes.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/DiagnosticLex.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <map>
#include <set>

using namespace clang;

namespace vmalloc_lint {

const std::vector<CheckInfo> &passOneChecks() {
  static const std::vector<CheckInfo> Checks = {
      {CheckRedundantHighmem,
       "__GFP_HIGHMEM passed to a vmalloc allocator (kernel >= 4.12 adds it "
       "itself); fix drops it"},
      {CheckLowmemGfp,
       "gfp without __GFP_HIGHMEM or a zone modifier passed to __vmalloc* "
       "(kernel < 4.12: pages come from lowmem); fix adds it"},
      {CheckZoneGfp,
       "GFP_DMA/GFP_DMA32 passed to __vmalloc* (use vmalloc_32*), or a zone "
       "mix the tree's GFP_ZONE_BAD rejects"},
      {CheckKvmallocHighmem,
       "__GFP_HIGHMEM or __GFP_DMA32 passed to kvmalloc* (slab rejects it: "
       "GFP_SLAB_BUG_MASK); fix drops __GFP_HIGHMEM"},
      {CheckUnsupportedGfp,
       "gfp flags the target kernel's vmalloc does not honour (no "
       "__GFP_DIRECT_RECLAIM, __GFP_NORETRY, __GFP_RETRY_MAYFAIL)"},
  };
  return Checks;
}

const std::vector<CheckInfo> &passTwoChecks() {
  static const std::vector<CheckInfo> Checks = {
      {CheckVirtToPhys,
       "vmalloc, vmap or kvmalloc memory passed to a linear-map helper "
       "(virt_to_phys, __pa, virt_to_page...); use vmalloc_to_page/pfn"},
      {CheckDmaMap, "vmalloc, vmap or kvmalloc memory passed to streaming DMA "
                    "or a scatterlist (dma_map_single, sg_init_one...)"},
      {CheckDma32Device,
       "page addresses of non-vmalloc_32 memory handed to a device limited "
       "to 32-bit DMA or written to MMIO; use vmalloc_32*"},
      {CheckFreeMismatch, "vmalloc/vmap memory freed with kfree, or linear "
                          "memory freed with vfree (kvfree takes both)"},
      {CheckStackDma, "a stack buffer (vmalloc memory with CONFIG_VMAP_STACK) "
                      "at a DMA, virt_to_phys or USB transfer sink"},
  };
  return Checks;
}

const std::vector<CheckInfo> &allChecks() {
  static const std::vector<CheckInfo> Checks = [] {
    std::vector<CheckInfo> All = passOneChecks();
    All.insert(All.end(), passTwoChecks().begin(), passTwoChecks().end());
    return All;
  }();
  return Checks;
}

const std::vector<UnsupportedGfpRule> &unsupportedGfpRules() {
  // Sources: 6.1 mm/vmalloc.c, __vmalloc_node_range(): "Zone modifiers are
  // not supported. From the reclaim modifiers __GFP_DIRECT_RECLAIM is
  // required (aka GFP_NOWAIT is not supported) and only __GFP_NOFAIL is
  // supported (i.e. __GFP_NORETRY and __GFP_RETRY_MAYFAIL are not
  // supported)." vmalloc has always mapped its pages with page tables
  // allocated GFP_KERNEL, so a non-sleeping mask was never honoured. The
  // reclaim-modifier rules are keyed from 6.1, the earliest tree this
  // project verified the sentence in.
  static const std::vector<UnsupportedGfpRule> Rules = {
      {"__GFP_DIRECT_RECLAIM",
       true,
       {{2, 6}, {0, 0}},
       "no __GFP_DIRECT_RECLAIM, but vmalloc may sleep (it allocates page "
       "tables with GFP_KERNEL); GFP_NOWAIT and GFP_ATOMIC are not "
       "supported"},
      {"__GFP_NORETRY",
       false,
       {{6, 1}, {0, 0}},
       "not supported by vmalloc (of the reclaim modifiers only __GFP_NOFAIL "
       "is)"},
      {"__GFP_RETRY_MAYFAIL",
       false,
       {{6, 1}, {0, 0}},
       "not supported by vmalloc (of the reclaim modifiers only __GFP_NOFAIL "
       "is)"},
  };
  return Rules;
}

namespace {

class ExpansionRecorder : public PPCallbacks {
public:
  ExpansionRecorder(SourceManager &SM, MacroExpansionLog &Log)
      : SM(SM), Log(Log) {}
  void MacroExpands(const Token &NameTok, const MacroDefinition &MD,
                    SourceRange, const MacroArgs *Args) override {
    const MacroInfo *MI = MD.getMacroInfo();
    if (!MI)
      return;
    if (MI->isFunctionLike()) {
      if (Args && NameTok.getIdentifierInfo())
        recordCallMacro(NameTok, *Args);
      return;
    }
    SourceLocation Def = MI->getDefinitionLoc();
    if (Def.isInvalid() || !SM.isInMainFile(SM.getExpansionLoc(Def)))
      return;
    Log.Expansions[MI].push_back(NameTok.getLocation());
  }

private:
  void recordCallMacro(const Token &NameTok, const MacroArgs &Args) {
    std::string Name = NameTok.getIdentifierInfo()->getName().str();
    if (!lookupMemorySink(Name))
      return;
    MacroExpansionLog::CallMacro M;
    M.Name = std::move(Name);
    M.NameLoc = NameTok.getLocation();
    for (unsigned I = 0, N = Args.getNumMacroArguments(); I < N; ++I) {
      const Token *First = Args.getUnexpArgument(I);
      unsigned Len = MacroArgs::getArgLength(First);
      if (Len == 0)
        M.Args.push_back({});
      else
        M.Args.push_back({First->getLocation(), First[Len - 1].getLocation()});
    }
    Log.CallMacros.push_back(std::move(M));
  }

  SourceManager &SM;
  MacroExpansionLog &Log;
};

} // namespace

std::unique_ptr<PPCallbacks> recordMacroExpansions(Preprocessor &PP,
                                                   MacroExpansionLog &Log) {
  return std::make_unique<ExpansionRecorder>(PP.getSourceManager(), Log);
}

namespace {

/// A gfp mask as far as the analysis can tell.
struct GfpValue {
  uint64_t Must = 0;    ///< certainly set
  uint64_t May = 0;     ///< possibly set
  uint64_t Cleared = 0; ///< certainly clear (`& ~X`)
  bool Constant = true;
  std::vector<std::string> Symbols;
  llvm::SmallPtrSet<const ParmVarDecl *, 2> Params;
  /// Bits that arrived through a local variable, and where they were set.
  std::vector<std::pair<uint64_t, SourceLocation>> VarOrigins;

  static GfpValue constant(uint64_t V) {
    GfpValue G;
    G.Must = G.May = V;
    G.Cleared = ~V;
    return G;
  }
  static GfpValue unknown(std::string Symbol) {
    GfpValue G;
    G.Constant = false;
    G.May = ~uint64_t(0);
    if (!Symbol.empty())
      G.Symbols.push_back(std::move(Symbol));
    return G;
  }
  void absorbSymbols(const GfpValue &O) {
    for (const std::string &S : O.Symbols)
      if (std::find(Symbols.begin(), Symbols.end(), S) == Symbols.end())
        Symbols.push_back(S);
    for (const ParmVarDecl *P : O.Params)
      Params.insert(P);
    VarOrigins.insert(VarOrigins.end(), O.VarOrigins.begin(),
                      O.VarOrigins.end());
  }
};

GfpValue orValues(const GfpValue &A, const GfpValue &B) {
  GfpValue R;
  R.Must = A.Must | B.Must;
  R.May = A.May | B.May;
  R.Cleared = A.Cleared & B.Cleared;
  R.Constant = A.Constant && B.Constant;
  R.absorbSymbols(A);
  R.absorbSymbols(B);
  return R;
}

GfpValue joinValues(const GfpValue &A, const GfpValue &B) {
  GfpValue R;
  R.Must = A.Must & B.Must;
  R.May = A.May | B.May;
  R.Cleared = A.Cleared & B.Cleared;
  R.Constant = A.Constant && B.Constant && A.Must == B.Must;
  R.absorbSymbols(A);
  R.absorbSymbols(B);
  return R;
}

int gfpParamIndex(const FunctionDecl *FD) {
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    QualType T = FD->getParamDecl(I)->getType();
    for (int Guard = 0; Guard < 16; ++Guard) {
      const auto *TT = T->getAs<TypedefType>();
      if (!TT)
        break;
      if (TT->getDecl()->getName() == "gfp_t")
        return I;
      T = TT->desugar();
    }
  }
  return -1;
}

/// A function callers see as a vmalloc allocator: a table row, or a wrapper
/// that passes its own gfp_t parameter into one.
struct FamilyMember {
  const VmallocApiEntry *Row = nullptr; ///< allocator reached
  int GfpParam = -1;
  bool IsWrapper = false;
  uint64_t Added = 0;           ///< bits the wrapper ORs in
  uint64_t Cleared = 0;         ///< bits the wrapper masks out
  std::vector<std::string> Via; ///< wrapper chain down to the allocator
  /// A wrapper defined in another unit (a cross-file fact), or reached
  /// through one: its name and definition.
  std::string Imported;
  FactPoint ImportedAt;
};

struct CollectedCall {
  const CallExpr *Call;
  const FunctionDecl *Caller;
};

class CallCollector : public RecursiveASTVisitor<CallCollector> {
public:
  std::vector<CollectedCall> Calls;

  bool TraverseFunctionDecl(FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody())
      return true;
    const FunctionDecl *Saved = Current;
    Current = FD;
    bool R = RecursiveASTVisitor::TraverseFunctionDecl(FD);
    Current = Saved;
    return R;
  }
  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee || !Current)
      return true;
    if (lookupVmallocApi(Callee->getName().str()) || gfpParamIndex(Callee) >= 0)
      Calls.push_back({CE, Current});
    return true;
  }

private:
  const FunctionDecl *Current = nullptr;
};

class Analyzer {
public:
  Analyzer(ASTContext &Ctx, Preprocessor &PP, const MacroExpansionLog &Log,
           const AnalysisOptions &Opts)
      : Ctx(Ctx), PP(PP), SM(Ctx.getSourceManager()), Log(Log), Opts(Opts),
        Flags(PP, &Ctx) {}

  AnalysisResult run() {
    CallCollector C;
    C.TraverseDecl(Ctx.getTranslationUnitDecl());
    Calls = std::move(C.Calls);
    if (Calls.empty())
      return {};
    Highmem = Flags.flag("__GFP_HIGHMEM");
    Dma = Flags.flag("__GFP_DMA");
    Dma32 = Flags.flag("__GFP_DMA32");
    ZoneMask = Flags.value("GFP_ZONEMASK").value_or(Highmem | Dma | Dma32);
    findWrappers();
    collectFamilyArgRanges();
    for (const CollectedCall &CC : Calls)
      site(CC);
    if (Opts.ExportFacts)
      exportWrappers(Result.Facts);
    AnalysisResult Out;
    mergeResults(Out, std::move(Result));
    sortResults(Out);
    return Out;
  }

private:
  // ---- family membership -------------------------------------------------

  const FamilyMember *member(const FunctionDecl *FD) {
    FD = FD->getCanonicalDecl();
    auto It = Members.find(FD);
    if (It != Members.end())
      return It->second.Row ? &It->second : nullptr;
    FamilyMember M;
    if (const VmallocApiEntry *Row = lookupVmallocApi(FD->getName().str())) {
      M.Row = Row;
      if (Row->Gfp == GfpArgument::Explicit)
        M.GfpParam = gfpParamIndex(FD);
    } else {
      importedWrapper(FD, M);
    }
    FamilyMember &Slot = Members[FD] = M;
    return Slot.Row ? &Slot : nullptr;
  }

  /// A function this unit declares but does not define, exported by
  /// another unit as a gfp wrapper (--facts-in).
  void importedWrapper(const FunctionDecl *FD, FamilyMember &M) {
    if (!Opts.Imported || FD->getDefinition() || !FD->getIdentifier() ||
        !FD->isExternallyVisible())
      return;
    auto It = Opts.Imported->Wrappers.find(FD->getName().str());
    if (It == Opts.Imported->Wrappers.end())
      return;
    const WrapperFact &W = It->second;
    const VmallocApiEntry *Row = lookupVmallocApi(W.Allocator);
    // The declaration must agree with the fact (same gfp_t parameter).
    if (!Row || gfpParamIndex(FD) != int(W.GfpParam))
      return;
    M.Row = Row;
    M.GfpParam = int(W.GfpParam);
    M.IsWrapper = true;
    M.Added = W.Added;
    M.Cleared = W.Cleared;
    M.Via = W.Via.empty() ? std::vector<std::string>{It->first} : W.Via;
    M.Imported = It->first;
    M.ImportedAt = W.Def;
  }

  /// The unit's own gfp wrappers with external linkage, for other units.
  void exportWrappers(CrossFileFacts &Out) {
    for (const auto &[FD, M] : Members) {
      if (!M.Row || !M.IsWrapper || M.GfpParam < 0 || !FD->getIdentifier() ||
          !FD->isExternallyVisible())
        continue;
      const FunctionDecl *Def = FD->getDefinition();
      if (!Def)
        continue;
      WrapperFact W;
      SourcePoint P = Points.at(SM.getExpansionLoc(Def->getLocation()));
      W.Def = {P.File, P.Line, P.Column};
      W.GfpParam = unsigned(M.GfpParam);
      W.Allocator = M.Row->Name;
      W.Added = M.Added;
      W.Cleared = M.Cleared;
      W.Via = M.Via;
      if (W.Def.valid())
        Out.addWrapper(FD->getName().str(), W);
    }
  }

  bool isAllocator(const FunctionDecl *FD) {
    return lookupVmallocApi(FD->getName().str()) != nullptr;
  }

  void findWrappers() {
    for (int Round = 0; Round < 8; ++Round) {
      bool Changed = false;
      for (const CollectedCall &CC : Calls) {
        const FunctionDecl *Callee = CC.Call->getDirectCallee();
        const FamilyMember *M = member(Callee);
        if (!M || M->GfpParam < 0 ||
            unsigned(M->GfpParam) >= CC.Call->getNumArgs())
          continue;
        const FunctionDecl *F = CC.Caller->getCanonicalDecl();
        if (isAllocator(F) || member(F))
          continue;
        int Own = gfpParamIndex(CC.Caller);
        if (Own < 0)
          continue;
        GfpValue V = eval(CC.Call->getArg(M->GfpParam), CC.Caller);
        const ParmVarDecl *P = CC.Caller->getParamDecl(Own);
        if (!V.Params.count(P))
          continue;
        FamilyMember W;
        W.Row = M->Row;
        W.GfpParam = Own;
        W.IsWrapper = true;
        W.Added = (V.Must | M->Added) & ~M->Cleared;
        W.Cleared = V.Cleared | M->Cleared;
        W.Via.push_back(CC.Caller->getName().str());
        W.Via.insert(W.Via.end(), M->Via.begin(), M->Via.end());
        W.Imported = M->Imported;
        W.ImportedAt = M->ImportedAt;
        Members[F] = W;
        Changed = true;
      }
      if (!Changed)
        break;
    }
  }

  // ---- gfp evaluation ------------------------------------------------------

  GfpValue eval(const Expr *E, const FunctionDecl *Fn, int Depth = 0) {
    if (!E || Depth > 16)
      return GfpValue::unknown("");
    E = E->IgnoreParenCasts();
    if (E->containsErrors())
      return GfpValue::unknown("expression with errors");
    if (!E->isValueDependent()) {
      Expr::EvalResult R;
      if (E->EvaluateAsInt(R, Ctx))
        return GfpValue::constant(R.Val.getInt().getZExtValue());
    }
    if (const auto *B = dyn_cast<BinaryOperator>(E)) {
      switch (B->getOpcode()) {
      case BO_Or:
        return orValues(eval(B->getLHS(), Fn, Depth + 1),
                        eval(B->getRHS(), Fn, Depth + 1));
      case BO_And: {
        GfpValue L = eval(B->getLHS(), Fn, Depth + 1);
        GfpValue R = eval(B->getRHS(), Fn, Depth + 1);
        if (!R.Constant && L.Constant)
          std::swap(L, R);
        if (R.Constant) {
          L.Must &= R.Must;
          L.May &= R.Must;
          L.Cleared |= ~R.Must;
          return L;
        }
        GfpValue Out = orValues(L, R);
        Out.Must = L.Must & R.Must;
        Out.May = L.May & R.May;
        return Out;
      }
      case BO_Comma:
        return eval(B->getRHS(), Fn, Depth + 1);
      default:
        return GfpValue::unknown("expression");
      }
    }
    if (const auto *C = dyn_cast<AbstractConditionalOperator>(E))
      return joinValues(eval(C->getTrueExpr(), Fn, Depth + 1),
                        eval(C->getFalseExpr(), Fn, Depth + 1));
    if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *P = dyn_cast<ParmVarDecl>(DR->getDecl())) {
        GfpValue G =
            GfpValue::unknown("parameter '" + P->getName().str() + "'");
        G.Params.insert(P);
        return G;
      }
      if (const auto *V = dyn_cast<VarDecl>(DR->getDecl())) {
        if (V->hasLocalStorage() && Fn)
          return localValue(V, Fn, DR->getBeginLoc(), Depth);
        if (V->getType().isConstQualified() && V->getInit())
          return eval(V->getInit(), Fn, Depth + 1);
        return GfpValue::unknown("variable '" + V->getName().str() + "'");
      }
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      if (const FunctionDecl *FD = CE->getDirectCallee())
        return GfpValue::unknown("call '" + FD->getName().str() + "()'");
      return GfpValue::unknown("call");
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return GfpValue::unknown("field '" +
                               ME->getMemberDecl()->getName().str() + "'");
    return GfpValue::unknown("expression");
  }

  struct Def {
    const Expr *Value;
    BinaryOperatorKind Op; // BO_Assign for init / =
    bool TopLevel;
    SourceLocation Loc;
  };

  void collectDefs(const Stmt *S, const VarDecl *V, bool TopLevel,
                   std::vector<Def> &Out) {
    if (!S)
      return;
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (D == V && V->getInit())
          Out.push_back({V->getInit(), BO_Assign, TopLevel, V->getLocation()});
    } else if (const auto *B = dyn_cast<BinaryOperator>(S)) {
      if (B->isAssignmentOp()) {
        const auto *L = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenCasts());
        if (L && L->getDecl() == V)
          Out.push_back(
              {B->getRHS(), B->getOpcode(), TopLevel, B->getOperatorLoc()});
      }
    }
    for (const Stmt *Child : S->children())
      collectDefs(Child, V, false, Out);
  }

  GfpValue localValue(const VarDecl *V, const FunctionDecl *Fn,
                      SourceLocation Use, int Depth) {
    if (!VarsInProgress.insert(V).second)
      return GfpValue::unknown("variable '" + V->getName().str() + "'");
    std::vector<Def> Defs;
    if (const auto *Body = dyn_cast_or_null<CompoundStmt>(Fn->getBody()))
      for (const Stmt *S : Body->body())
        collectDefs(S, V, true, Defs);
    GfpValue Out;
    bool HaveBase = false;
    for (const Def &D : Defs) {
      // An unconditional definition after the use does not reach it.
      if (D.TopLevel && SM.isBeforeInTranslationUnit(Use, D.Loc))
        continue;
      GfpValue X = eval(D.Value, Fn, Depth + 1);
      if (X.Must)
        X.VarOrigins.push_back({X.Must, D.Loc});
      if (D.Op == BO_Assign) {
        if (D.TopLevel || !HaveBase)
          Out = HaveBase && !D.TopLevel ? joinValues(Out, X) : X;
        else
          Out = joinValues(Out, X);
        HaveBase = true;
      } else if (D.Op == BO_OrAssign) {
        GfpValue Or = orValues(Out, X);
        Out = D.TopLevel ? Or : joinValues(Out, Or);
      } else if (D.Op == BO_AndAssign && X.Constant) {
        if (D.TopLevel) {
          Out.Must &= X.Must;
          Out.May &= X.Must;
          Out.Cleared |= ~X.Must;
        }
      } else {
        Out = joinValues(
            Out, GfpValue::unknown("variable '" + V->getName().str() + "'"));
      }
    }
    VarsInProgress.erase(V);
    if (!HaveBase)
      return GfpValue::unknown("variable '" + V->getName().str() + "'");
    return Out;
  }

  // ---- locations
  // -------------------------------------------------------------

  SourcePoint point(SourceLocation L) {
    return Points.at(L.isValid() ? SM.getSpellingLoc(L) : L);
  }

  void collectFamilyArgRanges() {
    for (const CollectedCall &CC : Calls) {
      const FamilyMember *M = member(CC.Call->getDirectCallee());
      if (!M || M->GfpParam < 0 ||
          unsigned(M->GfpParam) >= CC.Call->getNumArgs())
        continue;
      const Expr *A = CC.Call->getArg(M->GfpParam);
      CharSourceRange R = SM.getExpansionRange(A->getSourceRange());
      FamilyArgRanges.push_back({R.getBegin(), R.getEnd()});
    }
  }

  bool onlyUsedAsVmallocGfp(const MacroInfo *MI) {
    auto It = Log.Expansions.find(MI);
    if (It == Log.Expansions.end() || It->second.empty())
      return false;
    for (SourceLocation L : It->second) {
      SourceLocation X = SM.getExpansionLoc(L);
      bool Inside = false;
      for (const auto &[B, E] : FamilyArgRanges)
        if (SM.getFileID(B) == SM.getFileID(X) &&
            !SM.isBeforeInTranslationUnit(X, B) &&
            !SM.isBeforeInTranslationUnit(E, X)) {
          Inside = true;
          break;
        }
      if (!Inside)
        return false;
    }
    return true;
  }

  /// Location of the token carrying Flag: the chain leaf, or inside the body
  /// of a gfp macro of this file that the leaf names.
  SourceLocation locateFlag(const GfpChain &Chain, uint64_t Flag) {
    for (const ChainLeaf &L : Chain.Leaves) {
      if (!L.Value || !(*L.Value & Flag))
        continue;
      if (L.isIdentifier() && !isFlagName(L.Text, Flag)) {
        IdentifierInfo *II = PP.getIdentifierInfo(L.Text);
        const MacroInfo *MI = II ? PP.getMacroInfo(II) : nullptr;
        if (MI && !MI->isFunctionLike() &&
            SM.isInMainFile(SM.getExpansionLoc(MI->getDefinitionLoc()))) {
          GfpChain Body = spellMacroBodyChain(L, Ctx);
          if (Body.Valid) {
            SourceLocation In = locateFlag(Body, Flag);
            if (In.isValid())
              return In;
          }
        }
      }
      return L.Begin;
    }
    return SourceLocation();
  }

  bool isFlagName(const std::string &Text, uint64_t Flag) {
    return Flags.value(Text) == Flag;
  }

  // ---- sites and findings ---------------------------------------------------

  struct SiteContext {
    const CollectedCall *CC;
    const FamilyMember *M;
    const Expr *Arg = nullptr;
    GfpChain Chain;
    GfpValue Own;       ///< the argument as passed here
    uint64_t Effective; ///< Own | wrapper-added, minus wrapper-cleared
    bool Forwarded = false;
    std::string CalleeName;
    SourcePoint Where;
    std::optional<SourcePoint> Expansion;
    std::string Class;
    bool Internal = false;
  };

  std::string calleeText(const CallExpr *CE) {
    return CE->getDirectCallee()->getName().str();
  }

  void site(const CollectedCall &CC) {
    const FunctionDecl *Callee = CC.Call->getDirectCallee();
    const FamilyMember *M = member(Callee);
    if (!M)
      return;
    SiteContext S;
    S.CC = &CC;
    S.M = M;
    S.CalleeName = calleeText(CC.Call);
    S.Internal = isAllocator(CC.Caller);
    FileID ArgCtx = callArgumentContext(CC.Call, SM);
    bool HasGfp =
        M->GfpParam >= 0 && unsigned(M->GfpParam) < CC.Call->getNumArgs();
    if (HasGfp) {
      S.Arg = CC.Call->getArg(M->GfpParam);
      S.Chain = spellChain(S.Arg, ArgCtx, Ctx);
      S.Own = eval(S.Arg, CC.Caller);
      S.Effective = (S.Own.Must | M->Added) & ~M->Cleared;
      const FamilyMember *CallerM = member(CC.Caller);
      int Own = gfpParamIndex(CC.Caller);
      S.Forwarded = CallerM && CallerM->IsWrapper && Own >= 0 &&
                    S.Own.Params.count(CC.Caller->getParamDecl(Own));
    }
    // Where: the callee token where it is written. A call written in a
    // macro's arguments (rcu_assign_pointer(p, kvmalloc_array(...))) is at
    // its own text. A call made by a macro body is at the body's spelling
    // when the gfp is spelled there too, else at the expansion; either way
    // the expansion site is recorded.
    SourceLocation CalleeLoc =
        normalizeArgLoc(CC.Call->getCallee()->getExprLoc(), SM);
    bool SpelledInMacro = HasGfp && S.Chain.Valid && S.Chain.InMacroBody;
    if (CalleeLoc.isFileID()) {
      S.Where = point(CalleeLoc);
    } else {
      S.Where = point(SpelledInMacro ? SM.getSpellingLoc(CalleeLoc)
                                     : SM.getExpansionLoc(CalleeLoc));
      S.Expansion = point(SM.getExpansionLoc(CalleeLoc));
    }
    if (!S.Where.valid())
      return;

    std::vector<Finding> Found;
    if (S.Internal)
      S.Class = "allocator-internal";
    else if (!HasGfp)
      S.Class = M->Row->Gfp == GfpArgument::Implicit32 ? "device-safe"
                                                       : "implicit-gfp";
    else
      classify(S, Found);

    CallSite Out;
    Out.Where = S.Where;
    Out.Expansion = S.Expansion;
    Out.Callee = S.CalleeName;
    Out.Allocator = M->Row->Name;
    Out.Via = M->Via;
    Out.Function = CC.Caller->getName().str();
    Out.Provenance = provenanceName(M->Row->Returns);
    Out.Class = S.Class;
    Out.Wrapper = S.Forwarded;
    if (HasGfp) {
      Out.GfpText = argText(S);
      Out.Gfp = report(S.Own, S.Effective);
    }
    Result.Sites.push_back(std::move(Out));
    for (Finding &F : Found) {
      if (M->ImportedAt.valid()) {
        SourcePoint P;
        P.File = M->ImportedAt.File;
        P.Line = M->ImportedAt.Line;
        P.Column = M->ImportedAt.Column;
        F.Notes.push_back({P, M->Imported +
                                  "() is defined here, in another file "
                                  "(cross-file fact)"});
      }
      F.Class = S.Class;
      F.Callee = S.CalleeName;
      F.Gfp = report(S.Own, S.Effective);
      if (S.Expansion && !(F.Where == *S.Expansion))
        F.Expansions.push_back(*S.Expansion);
      Result.Findings.push_back(std::move(F));
    }
  }

  std::string argText(const SiteContext &S) {
    if (S.Chain.Valid) {
      llvm::StringRef Buf = SM.getBufferData(S.Chain.SpellingFile);
      unsigned B = S.Chain.Leaves.front().BeginOffset;
      unsigned E = S.Chain.Leaves.back().EndOffset;
      if (E <= Buf.size() && B <= E)
        return Buf.substr(B, E - B).str();
    }
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(S.Arg->getSourceRange()), SM,
        Ctx.getLangOpts());
    return Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
  }

  GfpReport report(const GfpValue &Own, uint64_t Effective) {
    GfpReport R;
    R.Present = true;
    R.Constant = Own.Constant;
    R.Must = Effective;
    R.Flags = Flags.describe(Effective);
    R.Symbolic = Own.Symbols;
    return R;
  }

  bool enabled(const char *Check) { return Opts.Checks.enabled(Check); }

  /// "__vmalloc()", or through wrappers "buf_alloc() -> __vmalloc()".
  std::string allocatorCall(const SiteContext &S) {
    std::string Name = S.CalleeName + "()";
    for (size_t I = 1; I < S.M->Via.size(); ++I)
      Name += " -> " + S.M->Via[I] + "()";
    if (!S.M->Via.empty())
      Name += " -> " + std::string(S.M->Row->Name) + "()";
    return Name;
  }

  /// The flag's name as the argument spells it (`__GFP_DMA32` or
  /// `GFP_DMA32`), else Default.
  std::string spelledFlag(const SiteContext &S, uint64_t Flag,
                          const std::string &Default) {
    if (S.Chain.Valid)
      for (const ChainLeaf &L : S.Chain.Leaves)
        if (L.Value && *L.Value == Flag && L.isIdentifier())
          return L.Text;
    return Default;
  }

  /// A finding about Flag carried by this site's own argument.
  Finding flagFinding(const SiteContext &S, const char *Check, uint64_t Flag,
                      const std::string &Message) {
    Finding F;
    F.Check = Check;
    SourceLocation L =
        S.Chain.Valid ? locateFlag(S.Chain, Flag) : SourceLocation();
    if (L.isInvalid()) {
      // Through a variable: report at the argument, note where it was set.
      L = S.Chain.Valid ? S.Chain.Leaves.front().Begin
                        : SM.getExpansionLoc(S.Arg->getBeginLoc());
      for (const auto &[Bits, Where] : S.Own.VarOrigins)
        if (Bits & Flag) {
          F.Notes.push_back(
              {point(SM.getExpansionLoc(Where)), "the flag is set here"});
          break;
        }
    }
    F.Where = point(L);
    F.Message = Message;
    // The flag is spelled in a gfp macro's body: the use at this call is the
    // expansion site.
    if (S.Chain.Valid)
      for (const ChainLeaf &Leaf : S.Chain.Leaves)
        if (Leaf.Value && (*Leaf.Value & Flag) &&
            !(point(Leaf.Begin) == F.Where))
          F.Expansions.push_back(point(SM.getExpansionLoc(Leaf.Begin)));
    return F;
  }

  void attachDropFix(Finding &F, const SiteContext &S, uint64_t Flag,
                     const std::string &FlagName) {
    GfpFixContext FC{Ctx, PP, Flags, [this](const MacroInfo *MI) {
                       return onlyUsedAsVmallocGfp(MI);
                     }};
    std::string WhyNot;
    if (!S.Chain.Valid) {
      F.Notes.push_back({F.Where, "no fix: the gfp argument is not spelled in "
                                  "one place"});
      return;
    }
    if (!(S.Own.Must & Flag) || !locateFlagInChain(S.Chain, Flag)) {
      F.Notes.push_back({F.Where, "no fix: " + FlagName +
                                      " does not come from the argument's own "
                                      "text"});
      return;
    }
    if (auto Fix = dropGfpFlag(S.Chain, Flag, FlagName, FC, WhyNot)) {
      F.Fix = std::move(*Fix);
      recordHashes(*F.Fix);
    } else {
      F.Notes.push_back({F.Where, "no fix: " + WhyNot});
    }
  }

  bool locateFlagInChain(const GfpChain &Chain, uint64_t Flag) {
    for (const ChainLeaf &L : Chain.Leaves)
      if (L.Value && (*L.Value & Flag))
        return true;
    return false;
  }

  void recordHashes(const FixIt &Fix) {
    for (const TextEdit &E : Fix.Edits)
      if (HashedFiles.insert(E.File).second)
        Result.FileHashes.push_back({E.File, E.FileHash});
  }

  void classify(SiteContext &S, std::vector<Finding> &Out) {
    const VmallocApiEntry &Row = *S.M->Row;
    const KernelVersion V = Opts.Version;
    std::vector<std::string> Classes;
    // Bits this call site itself passes (a wrapper may mask some out).
    uint64_t OwnMust = S.Own.Must & ~S.M->Cleared;
    uint64_t Eff = S.Effective;
    // Bits some path may set (all bits when part of the mask is unknown):
    // an absence rule holds when no path sets the flag.
    uint64_t EffMay = (S.Own.May | S.M->Added) & ~S.M->Cleared;
    std::string Call = allocatorCall(S);

    if (Row.Returns == Provenance::MaybeVmalloc) {
      for (uint64_t Flag : {Highmem, Dma32}) {
        if (!Flag || !(OwnMust & Flag))
          continue;
        bool IsHigh = Flag == Highmem;
        Classes.push_back("kvmalloc-highmem");
        if (!enabled(CheckKvmallocHighmem))
          continue;
        std::string Name =
            spelledFlag(S, Flag, IsHigh ? "__GFP_HIGHMEM" : "__GFP_DMA32");
        Finding F = flagFinding(
            S, CheckKvmallocHighmem, Flag,
            IsHigh ? Name + " passed to " + Call +
                         ": the kmalloc path rejects it (GFP_SLAB_BUG_MASK) "
                         "and the vmalloc fallback adds it itself"
                   : Name + " passed to " + Call +
                         ": slab rejects it (GFP_SLAB_BUG_MASK) and kvmalloc "
                         "memory is not 32-bit addressable; use vmalloc_32() "
                         "or the DMA API");
        if (IsHigh)
          attachDropFix(F, S, Highmem, "__GFP_HIGHMEM");
        Out.push_back(std::move(F));
      }
    } else if (Row.Returns == Provenance::Vmalloc) {
      // Zone modifiers: the caller wanted vmalloc_32*. Impossible mixes by
      // the tree's GFP_ZONE_BAD (every one has a DMA/DMA32 bit, so it is
      // said in the same finding). Between 4.12 and 4.13 vmalloc added
      // __GFP_HIGHMEM even to DMA masks.
      uint64_t Zone = (Dma | Dma32);
      if (Zone && (OwnMust & Zone)) {
        uint64_t ZoneBits = Eff & ZoneMask;
        if (V >= KernelVersion{4, 12} && V < KernelVersion{4, 14})
          ZoneBits |= Highmem;
        auto Bad = Flags.zoneBad(ZoneBits);
        bool IsBad = Bad && *Bad;
        Classes.push_back(IsBad ? "zone-bad" : "zone-modifier");
        if (enabled(CheckZoneGfp)) {
          uint64_t Which = (OwnMust & Dma32) ? Dma32 : Dma;
          std::string Name = spelledFlag(
              S, Which, (OwnMust & Dma32) ? "GFP_DMA32" : "GFP_DMA");
          bool User = llvm::StringRef(Row.Name).contains("user");
          std::string Msg = Name + " passed to " + Call +
                            ": vmalloc does not honour zone modifiers";
          if (IsBad)
            Msg += ", and " + Flags.describe(ZoneBits) +
                   " is a zone combination the tree's GFP_ZONE_BAD rejects";
          Msg += std::string("; use ") +
                 (User ? "vmalloc_32_user()" : "vmalloc_32()") +
                 " for 32-bit addressable memory";
          Out.push_back(flagFinding(S, CheckZoneGfp, Which, Msg));
        }
      }
      if (V >= KernelVersion{4, 12} && Highmem && (OwnMust & Highmem)) {
        Classes.push_back("redundant-highmem");
        if (enabled(CheckRedundantHighmem)) {
          Finding F = flagFinding(S, CheckRedundantHighmem, Highmem,
                                  "redundant __GFP_HIGHMEM passed to " + Call +
                                      ": vmalloc adds it itself since v4.12");
          attachDropFix(F, S, Highmem, "__GFP_HIGHMEM");
          Out.push_back(std::move(F));
        }
      }
      if (V < KernelVersion{4, 12} && Highmem && !S.Forwarded &&
          !(EffMay & (Highmem | Zone))) {
        Classes.push_back("lowmem");
        if (enabled(CheckLowmemGfp)) {
          Finding F;
          F.Check = CheckLowmemGfp;
          SourceLocation L = S.Chain.Valid
                                 ? S.Chain.Leaves.front().Begin
                                 : SM.getExpansionLoc(S.Arg->getBeginLoc());
          F.Where = point(L);
          F.Message = "gfp mask " + Flags.describe(Eff) + " passed to " + Call +
                      " has no __GFP_HIGHMEM: before v4.12 the pages come "
                      "from lowmem on CONFIG_HIGHMEM systems; add "
                      "__GFP_HIGHMEM";
          GfpFixContext FC{Ctx, PP, Flags, [this](const MacroInfo *MI) {
                             return onlyUsedAsVmallocGfp(MI);
                           }};
          std::string WhyNot;
          if (auto Fix = appendGfpFlag(S.Chain, "__GFP_HIGHMEM", FC, WhyNot)) {
            F.Fix = std::move(*Fix);
            recordHashes(*F.Fix);
          } else {
            F.Notes.push_back({F.Where, "no fix: " + WhyNot});
          }
          Out.push_back(std::move(F));
        }
      }
      for (const UnsupportedGfpRule &Rule : unsupportedGfpRules()) {
        if (!Rule.Versions.contains(V))
          continue;
        uint64_t Flag = Flags.flag(Rule.Flag);
        if (!Flag)
          continue;
        bool Hit = Rule.Required ? (!S.Forwarded && !(EffMay & Flag))
                                 : (OwnMust & Flag) != 0;
        if (!Hit)
          continue;
        Classes.push_back("unsupported-gfp");
        if (!enabled(CheckUnsupportedGfp))
          continue;
        Finding F;
        if (Rule.Required) {
          F.Check = CheckUnsupportedGfp;
          F.Where =
              point(S.Chain.Valid ? S.Chain.Leaves.front().Begin
                                  : SM.getExpansionLoc(S.Arg->getBeginLoc()));
          F.Message = "gfp mask " + Flags.describe(Eff) + " passed to " + Call +
                      ": " + Rule.Why;
        } else {
          F = flagFinding(S, CheckUnsupportedGfp, Flag,
                          std::string(Rule.Flag) + " passed to " + Call + ": " +
                              Rule.Why);
        }
        Out.push_back(std::move(F));
      }
    }
    static const char *Order[] = {"zone-bad",          "zone-modifier",
                                  "kvmalloc-highmem",  "unsupported-gfp",
                                  "redundant-highmem", "lowmem"};
    for (const char *C : Order)
      if (std::find(Classes.begin(), Classes.end(), C) != Classes.end()) {
        S.Class = C;
        return;
      }
    if (S.Forwarded)
      S.Class = "forwarded";
    else if (!S.Own.Constant)
      S.Class = "symbolic";
    else
      S.Class = "ok";
  }

  ASTContext &Ctx;
  Preprocessor &PP;
  SourceManager &SM;
  const MacroExpansionLog &Log;
  const AnalysisOptions &Opts;
  GfpFlagTable Flags;
  uint64_t Highmem = 0, Dma = 0, Dma32 = 0, ZoneMask = 0;
  std::vector<CollectedCall> Calls;
  std::map<const FunctionDecl *, FamilyMember> Members; // node-stable
  llvm::SmallPtrSet<const VarDecl *, 4> VarsInProgress;
  std::vector<std::pair<SourceLocation, SourceLocation>> FamilyArgRanges;
  SourcePoints Points{SM};
  std::set<std::string> HashedFiles;
  AnalysisResult Result;
};

} // namespace

AnalysisResult analyzeTranslationUnit(ASTContext &Ctx, Preprocessor &PP,
                                      const MacroExpansionLog &Log,
                                      const AnalysisOptions &Options) {
  AnalysisResult Out = Analyzer(Ctx, PP, Log, Options).run();
  std::vector<std::string> PassTwo;
  for (const CheckInfo &C : passTwoChecks())
    PassTwo.push_back(C.Name);
  if (!Options.Checks.select(PassTwo).empty() || Options.ExportFacts) {
    mergeResults(Out, analyzeProvenance(Ctx, Log, Options));
    sortResults(Out);
  }
  return Out;
}

namespace {

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(Preprocessor &PP, std::unique_ptr<MacroExpansionLog> Log,
                   const AnalysisOptions &Opts, AnalysisResult &Out)
      : PP(PP), Log(std::move(Log)), Opts(Opts), Out(Out) {
    if (Opts.SkipBodies)
      Bodies = makeFunctionBodyFilter(*Opts.SkipBodies, PP);
  }
  bool shouldSkipFunctionBody(Decl *D) override {
    return Bodies && Bodies->shouldSkip(D);
  }
  void HandleTranslationUnit(ASTContext &Ctx) override {
    Out = analyzeTranslationUnit(Ctx, PP, *Log, Opts);
    if (Bodies)
      std::tie(Out.BodiesParsed, Out.BodiesSkipped) = Bodies->counts();
    const SourceManager &SM = Ctx.getSourceManager();
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
      llvm::SmallString<256> P(It->first.getName());
      llvm::sys::fs::make_absolute(P);
      llvm::sys::path::remove_dots(P, true);
      Out.FilesRead.push_back(std::string(P));
    }
  }

private:
  Preprocessor &PP;
  std::unique_ptr<MacroExpansionLog> Log;
  const AnalysisOptions &Opts;
  AnalysisResult &Out;
  std::unique_ptr<FunctionBodyFilter> Bodies;
};

class AnalysisAction : public ASTFrontendAction {
public:
  AnalysisAction(const AnalysisOptions &Opts, AnalysisResult &Out)
      : Opts(Opts), Out(Out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    DiagnosticsEngine &D = CI.getDiagnostics();
    // A header this configuration does not have must not end the file: keep
    // parsing and analyse what was parsed.
    D.setSeverity(diag::err_pp_file_not_found, diag::Severity::Error,
                  SourceLocation());
    D.setErrorLimit(0);
    auto Log = std::make_unique<MacroExpansionLog>();
    Preprocessor &PP = CI.getPreprocessor();
    PP.addPPCallbacks(recordMacroExpansions(PP, *Log));
    // Bodies the checks cannot need are skipped (the consumer decides).
    CI.getFrontendOpts().SkipFunctionBodies = Opts.SkipBodies != nullptr;
    return std::make_unique<AnalysisConsumer>(PP, std::move(Log), Opts, Out);
  }

private:
  const AnalysisOptions &Opts;
  AnalysisResult &Out;
};

} // namespace

std::unique_ptr<FrontendAction>
makeAnalysisAction(const AnalysisOptions &Options, AnalysisResult &Out) {
  return std::make_unique<AnalysisAction>(Options, Out);
}

} // namespace vmalloc_lint
