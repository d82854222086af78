#include "matchers/gfp/GfpAnalysis.h"

#include "matchers/CallSites.h"
#include "matchers/MacroExpansions.h"
#include "matchers/SourcePoints.h"
#include "matchers/checks/CheckRegistry.h"
#include "matchers/checks/GfpCheck.h"
#include "matchers/gfp/GfpChain.h"
#include "matchers/gfp/GfpEvaluation.h"
#include "matchers/kernel/GfpFlags.h"
#include "matchers/kernel/VmallocApi.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

using namespace clang;

namespace vmalloc_lint {

namespace {

/// A site's census class when several rules hold: the first of these.
const char *const ClassRank[] = {"zone-bad",          "zone-modifier",
                                 "kvmalloc-highmem",  "unsupported-gfp",
                                 "redundant-highmem", "lowmem"};

/// One call site with a gfp argument, as the analysis knows it.
struct SiteContext {
  const FamilyCall *CC;
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
  /// The call did not fully compile (an argument clang could not parse, or
  /// an error inside it): the site is classified from what parsed.
  bool Recovered = false;
  /// The gfp argument itself compiled: a fix may edit it.
  bool GfpIntact = true;
};

class PassOne;

/// What a check sees of a site (matchers/checks/GfpCheck.h).
class SiteView : public GfpSite {
public:
  SiteView(PassOne &P, SiteContext &S, std::vector<Finding> &Found,
           std::vector<std::string> &Classes)
      : P(P), S(S), Found(Found), Classes(Classes) {}
  void run(const CheckRow &R, bool Enabled) {
    Row = &R;
    RowEnabled = Enabled;
    R.CheckSite(*this);
  }

  const VmallocApiEntry &allocator() const override { return *S.M->Row; }
  KernelVersion version() const override;
  const ZoneFlags &zones() const override;
  uint64_t ownMust() const override { return S.Own.Must & ~S.M->Cleared; }
  uint64_t effective() const override { return S.Effective; }
  uint64_t effectiveMay() const override {
    return (S.Own.May | S.M->Added) & ~S.M->Cleared;
  }
  bool forwarded() const override { return S.Forwarded; }
  uint64_t flag(const char *Name) override;
  std::string describe(uint64_t Mask) override;
  std::optional<bool> zoneBad(uint64_t Mask) override;
  std::optional<bool> configured(const char *Option) override;
  std::string allocatorCall() const override;
  std::string spelledMask() override;
  std::string spelledFlag(uint64_t Flag,
                          const std::string &Default) const override;
  void classify(const char *Class) override { Classes.push_back(Class); }
  bool enabled() const override { return RowEnabled; }
  Finding atFlag(uint64_t Flag, std::string Message) override;
  Finding atMask(std::string Message) override;
  void fixByDropping(Finding &F, uint64_t Flag,
                     const std::string &FlagName) override;
  void fixByAppending(Finding &F, const std::string &FlagName) override;
  void report(Finding F) override {
    F.Check = Row->Name;
    // The call as the message names it: another call sharing the flag's
    // token joins it (mergeResults).
    if (std::string Call = allocatorCall();
        F.Message.find(" " + Call) != std::string::npos)
      F.Calls = {Call};
    Found.push_back(std::move(F));
  }

private:
  PassOne &P;
  SiteContext &S;
  std::vector<Finding> &Found;
  std::vector<std::string> &Classes;
  const CheckRow *Row = nullptr;
  bool RowEnabled = false;
};

class PassOne {
public:
  PassOne(ASTContext &Ctx, Preprocessor &PP, const MacroExpansionLog &Log,
          const AnalysisOptions &Opts)
      : Ctx(Ctx), PP(PP), SM(Ctx.getSourceManager()), Log(Log), Opts(Opts),
        Flags(PP, &Ctx), Eval(Ctx), Family(Eval, Opts.Imported.get()) {}

  AnalysisResult run() {
    Calls = findFamilyCalls(Ctx);
    if (Calls.empty())
      return {};
    Zones.Highmem = Flags.flag("__GFP_HIGHMEM");
    Zones.Dma = Flags.flag("__GFP_DMA");
    Zones.Dma32 = Flags.flag("__GFP_DMA32");
    Zones.ZoneMask = Flags.value("GFP_ZONEMASK")
                         .value_or(Zones.Highmem | Zones.Dma | Zones.Dma32);
    Family.findWrappers(Calls);
    collectFamilyArgRanges();
    for (const FamilyCall &CC : Calls)
      site(CC);
    if (Opts.ExportFacts)
      Family.exportWrappers(Result.Facts, Points);
    AnalysisResult Out;
    mergeResults(Out, std::move(Result));
    sortResults(Out);
    return Out;
  }

private:
  friend class SiteView;

  // ---- locations -----------------------------------------------------------

  SourcePoint point(SourceLocation L) {
    return Points.at(L.isValid() ? SM.getSpellingLoc(L) : L);
  }

  /// Where a finding about the whole mask goes: the argument's first token.
  SourceLocation maskLoc(const SiteContext &S) {
    return S.Chain.Valid ? S.Chain.Leaves.front().Begin
                         : SM.getExpansionLoc(S.Arg->getBeginLoc());
  }

  /// Whether the front end reported an error inside R (by where the text
  /// is expanded).
  bool errorWithin(SourceRange R) {
    if (!Log.Errors || Log.Errors->empty() || R.isInvalid())
      return false;
    CharSourceRange X = SM.getExpansionRange(R);
    SourceLocation B = X.getBegin(), E = X.getEnd();
    for (SourceLocation L : *Log.Errors) {
      SourceLocation At = SM.getExpansionLoc(L);
      if (SM.getFileID(At) == SM.getFileID(B) &&
          !SM.isBeforeInTranslationUnit(At, B) &&
          !SM.isBeforeInTranslationUnit(E, At))
        return true;
    }
    return false;
  }

  void collectFamilyArgRanges() {
    for (const FamilyCall &CC : Calls) {
      const FamilyMember *M = Family.member(CC.Call->getDirectCallee());
      if (!M || M->GfpParam < 0 ||
          unsigned(M->GfpParam) >= CC.Call->getNumArgs())
        continue;
      const Expr *A = CC.Call->getArg(M->GfpParam);
      FamilyGfpArgs.insert(A->IgnoreParenImpCasts());
      CharSourceRange R = SM.getExpansionRange(A->getSourceRange());
      FamilyArgRanges.push_back({R.getBegin(), R.getEnd()});
    }
  }

  bool onlyUsedAsVmallocGfp(const MacroInfo *MI, std::string &OtherUse) {
    auto It = Log.Expansions.find(MI);
    if (It == Log.Expansions.end() || It->second.empty())
      return false;
    auto Within = [this](SourceLocation X, SourceLocation B, SourceLocation E) {
      return SM.getFileID(B) == SM.getFileID(X) &&
             !SM.isBeforeInTranslationUnit(X, B) &&
             !SM.isBeforeInTranslationUnit(E, X);
    };
    for (SourceLocation L : It->second) {
      SourceLocation X = SM.getExpansionLoc(L);
      if (std::any_of(
              FamilyArgRanges.begin(), FamilyArgRanges.end(),
              [&](const auto &R) { return Within(X, R.first, R.second); }))
        continue;
      // The first other expansion, and the call whose argument it is
      // written in (the innermost, by the name written at the call).
      PresumedLoc P = SM.getPresumedLoc(X);
      OtherUse = P.isValid()
                     ? llvm::sys::path::filename(P.getFilename()).str() + ":" +
                           std::to_string(P.getLine())
                     : "another place";
      struct Calls : RecursiveASTVisitor<Calls> {
        std::function<bool(const CallExpr *)> Holds;
        const CallExpr *Innermost = nullptr;
        bool VisitCallExpr(CallExpr *C) {
          if (Holds(C))
            Innermost = C;
          return true;
        }
      } V;
      V.Holds = [&](const CallExpr *C) {
        for (const Expr *A : C->arguments()) {
          CharSourceRange R = SM.getExpansionRange(A->getSourceRange());
          if (R.isValid() && Within(X, R.getBegin(), R.getEnd()))
            return true;
        }
        return false;
      };
      for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
        if (SM.getFileID(SM.getExpansionLoc(D->getBeginLoc())) ==
            SM.getFileID(X))
          V.TraverseDecl(D);
      if (V.Innermost) {
        SourceLocation N =
            SM.getExpansionLoc(V.Innermost->getCallee()->getExprLoc());
        std::string Name =
            Lexer::getSourceText(CharSourceRange::getTokenRange(N), SM,
                                 Ctx.getLangOpts())
                .str();
        if (!Name.empty())
          OtherUse += ", in " + Name + "()'s argument";
      }
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
      if (L.isIdentifier() && Flags.value(L.Text) != Flag) {
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

  // ---- sites and findings
  // ----------------------------------------------------

  void site(const FamilyCall &CC) {
    const FamilyMember *M = Family.member(CC.Call->getDirectCallee());
    if (!M)
      return;
    SiteContext S;
    S.CC = &CC;
    S.M = M;
    S.CalleeName = CC.Call->getDirectCallee()->getName().str();
    S.Internal = VmallocFamily::isAllocator(CC.Caller);
    FileID ArgCtx = callArgumentContext(CC.Call, SM);
    bool HasGfp =
        M->GfpParam >= 0 && unsigned(M->GfpParam) < CC.Call->getNumArgs();
    if (HasGfp) {
      S.Arg = CC.Call->getArg(M->GfpParam);
      S.Chain = spellChain(S.Arg, ArgCtx, Ctx);
      S.Own = Eval.eval(S.Arg, CC.Caller);
      S.Effective = (S.Own.Must | M->Added) & ~M->Cleared;
      const FamilyMember *CallerM = Family.member(CC.Caller);
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
    S.Recovered =
        CC.Call->containsErrors() || errorWithin(CC.Call->getSourceRange());
    if (HasGfp)
      S.GfpIntact =
          !S.Arg->containsErrors() && !errorWithin(S.Arg->getSourceRange());

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
    Out.Recovered = S.Recovered;
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
      if (S.Recovered)
        F.Notes.push_back(
            {S.Where, "the call did not fully compile (clang recovered it); "
                      "classified from its gfp argument" +
                          std::string(S.GfpIntact ? ""
                                                  : ", which did not compile "
                                                    "either")});
      F.Class = S.Class;
      F.Callee = S.CalleeName;
      F.Gfp = report(S.Own, S.Effective);
      if (S.Expansion && !(F.Where == *S.Expansion))
        F.Expansions.push_back(*S.Expansion);
      Result.Findings.push_back(std::move(F));
    }
  }

  /// Every pass-1 check of the registry whose kernels include the target's
  /// judges the site; the highest-ranked class wins.
  void classify(SiteContext &S, std::vector<Finding> &Out) {
    std::vector<std::string> Classes;
    SiteView View(*this, S, Out, Classes);
    for (const CheckRow &Row : checkRegistry())
      if (Row.CheckSite && Row.Kernels.contains(Opts.Version) &&
          Opts.archApplies(Row.Arches))
        View.run(Row, Opts.Checks.enabled(Row.Name));
    for (const char *C : ClassRank)
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

  /// A fix request for the chain, spelled for Flag.
  FixRequest request(FixRequest::Kind K, const SiteContext &S, uint64_t Flag,
                     const std::string &FlagName, const Finding &F) {
    FixRequest R = request(K, S.Chain, Flag, FlagName, F);
    if (K == FixRequest::Kind::DropGfpFlag)
      statementLines(DynTypedNode::create(*S.CC->Call), S.Chain, R.Gfp);
    return R;
  }

  /// The statement around N (a call, or a local's declaration) when it is
  /// two lines of its own in the chain's file: SpelledGfp::Lines.
  void statementLines(DynTypedNode N, const GfpChain &Chain, SpelledGfp &G) {
    if (!G.Valid)
      return;
    // Up through the expression, the declaration or the return it is in;
    // what holds that (a block, an if) is not joined.
    const Stmt *St = N.get<Stmt>();
    for (int Guard = 0; Guard < 64; ++Guard) {
      auto Ps = Ctx.getParents(N);
      if (Ps.empty())
        break;
      DynTypedNode Up = Ps[0];
      if (!Up.get<Expr>() && !Up.get<DeclStmt>() && !Up.get<ReturnStmt>() &&
          !Up.get<VarDecl>())
        break;
      N = Up;
      if (const Stmt *P = Up.get<Stmt>())
        St = P;
    }
    if (!St)
      return;
    SourceLocation B = St->getBeginLoc(), E = St->getEndLoc();
    if (B.isInvalid() || E.isInvalid() || !B.isFileID() || !E.isFileID())
      return;
    auto [FB, OB] = SM.getDecomposedLoc(B);
    auto [FE, OE] = SM.getDecomposedLoc(E);
    if (FB != FE || FB != Chain.SpellingFile || OE < OB)
      return;
    llvm::StringRef Buf = SM.getBufferData(FB);
    size_t End = OE + Lexer::MeasureTokenLength(E, SM, Ctx.getLangOpts());
    if (End > Buf.size())
      return;
    // The ';' (a return or an expression statement's range ends before it).
    if (Buf[End - 1] != ';') {
      while (End < Buf.size() && (Buf[End] == ' ' || Buf[End] == '\t'))
        ++End;
      if (End >= Buf.size() || Buf[End] != ';')
        return;
      ++End;
    }
    size_t LineEnd = End;
    while (LineEnd < Buf.size() &&
           (Buf[LineEnd] == ' ' || Buf[LineEnd] == '\t'))
      ++LineEnd;
    if (LineEnd < Buf.size() && Buf[LineEnd] != '\n')
      return;
    size_t LineBegin = OB;
    while (LineBegin > 0 &&
           (Buf[LineBegin - 1] == ' ' || Buf[LineBegin - 1] == '\t'))
      --LineBegin;
    if (LineBegin > 0 && Buf[LineBegin - 1] != '\n')
      return;
    llvm::StringRef Lines = Buf.slice(LineBegin, LineEnd);
    if (Lines.count('\n') != 1)
      return;
    G.LinesBase = unsigned(LineBegin);
    G.Lines = Lines.str();
  }

  FixRequest request(FixRequest::Kind K, const GfpChain &Chain, uint64_t Flag,
                     const std::string &FlagName, const Finding &F) {
    FixSpelling Sp{Ctx, PP, Flags,
                   [this](const MacroInfo *MI, std::string &OtherUse) {
                     return onlyUsedAsVmallocGfp(MI, OtherUse);
                   }};
    FixRequest R;
    R.What = K;
    R.Name = FlagName;
    R.FlagValue = Flag;
    R.Gfp = spellForFix(Chain, Flag, Sp);
    R.NoteIndex = F.Notes.size();
    return R;
  }

  /// The gfp argument names a local variable: the chain of its initialiser
  /// when that is the only mask it ever holds and every use of it is a
  /// vmalloc-family gfp argument (so the fix goes there). Otherwise an
  /// invalid chain and, when the variable is a local, WhyNot says why not.
  GfpChain initialiserChain(const SiteContext &S, std::string &WhyNot,
                            const VarDecl *&Local) {
    const auto *Ref = dyn_cast<DeclRefExpr>(S.Arg->IgnoreParenImpCasts());
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    Local = V;
    if (!V || isa<ParmVarDecl>(V) || !V->hasLocalStorage() ||
        !S.CC->Caller->getBody())
      return GfpChain();
    std::string Name = "'" + V->getName().str() + "'";
    auto Line = [this](SourceLocation L) {
      return std::to_string(SM.getExpansionLineNumber(L));
    };
    if (!V->getInit() || !V->getLocation().isFileID()) {
      WhyNot = Name + " gets its mask from assignments, not an initialiser";
      if (V->getInit())
        WhyNot = Name + " is declared inside a macro";
      return GfpChain();
    }
    // Every use: a vmalloc-family gfp argument, nothing else.
    struct Uses : RecursiveASTVisitor<Uses> {
      const VarDecl *V;
      std::vector<const DeclRefExpr *> Refs;
      bool VisitDeclRefExpr(DeclRefExpr *E) {
        if (E->getDecl() == V)
          Refs.push_back(E);
        return true;
      }
    } U;
    U.V = V;
    U.TraverseStmt(const_cast<Stmt *>(S.CC->Caller->getBody()));
    for (const DeclRefExpr *E : U.Refs) {
      if (FamilyGfpArgs.count(E))
        continue;
      // Up through parentheses and casts to what uses the value.
      const Expr *Inner = E;
      const Stmt *Parent = nullptr;
      for (int Guard = 0; Guard < 64; ++Guard) {
        auto Ps = Ctx.getParents(*Inner);
        Parent = Ps.empty() ? nullptr : Ps[0].get<Stmt>();
        const auto *PE = dyn_cast_or_null<Expr>(Parent);
        if (!PE || !(isa<ParenExpr>(PE) || isa<ImplicitCastExpr>(PE)))
          break;
        Inner = PE;
      }
      const auto *B = dyn_cast_or_null<BinaryOperator>(Parent);
      const auto *Un = dyn_cast_or_null<UnaryOperator>(Parent);
      if (B && B->isAssignmentOp() && B->getLHS()->IgnoreParenImpCasts() == E)
        WhyNot = Name + " is assigned again at line " +
                 Line(B->getOperatorLoc()) +
                 ": its initialiser is not the only mask that reaches here";
      else if (Un &&
               (Un->isIncrementDecrementOp() || Un->getOpcode() == UO_AddrOf))
        WhyNot =
            Name +
            (Un->getOpcode() == UO_AddrOf ? " has its address taken at line "
                                          : " is changed at line ") +
            Line(Un->getOperatorLoc()) +
            ": its initialiser is not the only mask that reaches here";
      else
        WhyNot = Name + " is also used at line " + Line(E->getLocation()) +
                 ", outside vmalloc gfp arguments: dropping the flag from "
                 "its initialiser would change that use too";
      return GfpChain();
    }
    const Expr *Init = V->getInit();
    SourceLocation At = normalizeArgLoc(Init->getBeginLoc(), SM);
    FileID Context = SM.getFileID(At.isFileID() ? At : SM.getExpansionLoc(At));
    GfpChain Chain = spellChain(Init, Context, Ctx);
    if (!Chain.Valid)
      WhyNot = Name + "'s initialiser is not spelled in one place";
    return Chain;
  }

  ASTContext &Ctx;
  Preprocessor &PP;
  SourceManager &SM;
  const MacroExpansionLog &Log;
  const AnalysisOptions &Opts;
  GfpFlagTable Flags;
  GfpEvaluator Eval;
  VmallocFamily Family;
  ZoneFlags Zones;
  std::vector<FamilyCall> Calls;
  std::vector<std::pair<SourceLocation, SourceLocation>> FamilyArgRanges;
  std::set<const Expr *> FamilyGfpArgs; ///< each call's gfp argument
  /// Locals whose initialiser a finding fixes, and that finding's place.
  std::map<const VarDecl *, SourcePoint> InitialiserFixes;
  SourcePoints Points{SM};
  AnalysisResult Result;
  std::optional<bool> ReadAutoconf; ///< the unit read an autoconf.h
};

// ---- SiteView
// ----------------------------------------------------------------

KernelVersion SiteView::version() const { return P.Opts.Version; }

const ZoneFlags &SiteView::zones() const { return P.Zones; }

uint64_t SiteView::flag(const char *Name) { return P.Flags.flag(Name); }

std::string SiteView::describe(uint64_t Mask) { return P.Flags.describe(Mask); }

std::optional<bool> SiteView::zoneBad(uint64_t Mask) {
  return P.Flags.zoneBad(Mask);
}

std::optional<bool> SiteView::configured(const char *Option) {
  if (!P.ReadAutoconf) {
    P.ReadAutoconf = false;
    for (auto It = P.SM.fileinfo_begin(); It != P.SM.fileinfo_end(); ++It)
      if (llvm::StringRef(It->first.getName()).ends_with("/autoconf.h"))
        P.ReadAutoconf = true;
  }
  if (!*P.ReadAutoconf)
    return std::nullopt;
  IdentifierInfo *II = P.PP.getIdentifierInfo(std::string("CONFIG_") + Option);
  return II && II->hasMacroDefinition();
}

std::string SiteView::allocatorCall() const {
  std::string Name = S.CalleeName + "()";
  for (size_t I = 1; I < S.M->Via.size(); ++I)
    Name += " -> " + S.M->Via[I] + "()";
  if (!S.M->Via.empty())
    Name += " -> " + std::string(S.M->Row->Name) + "()";
  return Name;
}

std::string SiteView::spelledMask() {
  std::string Value = P.Flags.describe(S.Effective);
  std::string Text = P.argText(S);
  // One line, blanks collapsed: the argument may span lines.
  std::string Flat;
  for (char C : Text) {
    bool Blank = C == ' ' || C == '\t' || C == '\n' || C == '\r';
    if (Blank && (Flat.empty() || Flat.back() == ' '))
      continue;
    Flat += Blank ? ' ' : C;
  }
  while (!Flat.empty() && Flat.back() == ' ')
    Flat.pop_back();
  if (Flat.empty() || Flat == Value)
    return Value;
  // Only the tree's own gfp flags, and what they make is what arrives.
  bool TreeFlags = S.Chain.Valid && !S.M->Added && !S.M->Cleared;
  uint64_t Or = 0;
  if (TreeFlags)
    for (const ChainLeaf &L : S.Chain.Leaves) {
      llvm::StringRef N(L.Text);
      if (!L.isIdentifier() || !L.Value ||
          !(N.starts_with("GFP_") || N.starts_with("__GFP_")) ||
          P.Flags.value(L.Text) != L.Value) {
        TreeFlags = false;
        break;
      }
      Or |= *L.Value;
    }
  if (TreeFlags && Or == S.Effective && S.Own.Constant)
    return Flat;
  return Flat + " (= " + Value + ")";
}

std::string SiteView::spelledFlag(uint64_t Flag,
                                  const std::string &Default) const {
  if (S.Chain.Valid)
    for (const ChainLeaf &L : S.Chain.Leaves)
      if (L.Value && *L.Value == Flag && L.isIdentifier())
        return L.Text;
  return Default;
}

Finding SiteView::atFlag(uint64_t Flag, std::string Message) {
  Finding F;
  SourceLocation L =
      S.Chain.Valid ? P.locateFlag(S.Chain, Flag) : SourceLocation();
  if (L.isInvalid()) {
    // Through a variable: report at the argument, note where it was set.
    L = P.maskLoc(S);
    for (const auto &[Bits, Where] : S.Own.VarOrigins)
      if (Bits & Flag) {
        F.Notes.push_back(
            {P.point(P.SM.getExpansionLoc(Where)), "the flag is set here"});
        break;
      }
  }
  F.Where = P.point(L);
  F.Message = std::move(Message);
  // The flag is spelled in a gfp macro's body: the use at this call is the
  // expansion site.
  if (S.Chain.Valid)
    for (const ChainLeaf &Leaf : S.Chain.Leaves)
      if (Leaf.Value && (*Leaf.Value & Flag) &&
          !(P.point(Leaf.Begin) == F.Where))
        F.Expansions.push_back(P.point(P.SM.getExpansionLoc(Leaf.Begin)));
  return F;
}

Finding SiteView::atMask(std::string Message) {
  Finding F;
  F.Where = P.point(P.maskLoc(S));
  F.Message = std::move(Message);
  // The mask comes from a local variable: where it was set (each
  // assignment that reaches the call).
  std::string Name = "the mask";
  if (const auto *Ref = dyn_cast<DeclRefExpr>(S.Arg->IgnoreParenImpCasts()))
    Name = "'" + Ref->getDecl()->getName().str() + "'";
  for (const auto &Origin : S.Own.VarOrigins) {
    SourcePoint At = P.point(P.SM.getExpansionLoc(Origin.second));
    if (std::none_of(F.Notes.begin(), F.Notes.end(),
                     [&](const Note &N) { return N.Where == At; }))
      F.Notes.push_back({At, Name + " is set here"});
  }
  return F;
}

void SiteView::fixByDropping(Finding &F, uint64_t Flag,
                             const std::string &FlagName) {
  if (!S.GfpIntact) {
    F.Notes.push_back({F.Where, "no fix: the gfp argument did not compile"});
    return;
  }
  if (!S.Chain.Valid) {
    F.Notes.push_back(
        {F.Where, "no fix: the gfp argument is not spelled in one place"});
    return;
  }
  auto Carries = [Flag](const GfpChain &C) {
    return std::any_of(
        C.Leaves.begin(), C.Leaves.end(),
        [Flag](const ChainLeaf &L) { return L.Value && (*L.Value & Flag); });
  };
  if (!(S.Own.Must & Flag)) {
    F.Notes.push_back({F.Where, "no fix: " + FlagName +
                                    " does not come from the argument's own "
                                    "text"});
    return;
  }
  if (!Carries(S.Chain)) {
    // A local set once and only ever passed as a vmalloc gfp argument: the
    // fix goes at its initialiser.
    std::string WhyNot;
    const VarDecl *Local = nullptr;
    GfpChain Init = P.initialiserChain(S, WhyNot, Local);
    if (Init.Valid && Carries(Init)) {
      // One edit, with the local's first finding (two fixes with the same
      // edit conflict in clang-tidy); the others say where it is.
      auto [It, First] = P.InitialiserFixes.emplace(Local, F.Where);
      if (First) {
        F.FixRequests.push_back(
            P.request(FixRequest::Kind::DropGfpFlag, Init, Flag, FlagName, F));
        P.statementLines(DynTypedNode::create(*Local), Init,
                         F.FixRequests.back().Gfp);
      } else
        F.Notes.push_back({F.Where, "the fix, at the initialiser of '" +
                                        Local->getName().str() +
                                        "', comes with the finding at line " +
                                        std::to_string(It->second.Line)});
      return;
    }
    if (Init.Valid)
      WhyNot = FlagName + " does not come from the initialiser's own text";
    F.Notes.push_back(
        {F.Where,
         "no fix: " + (WhyNot.empty() ? FlagName + " does not come from the "
                                                   "argument's own text"
                                      : WhyNot)});
    return;
  }
  F.FixRequests.push_back(
      P.request(FixRequest::Kind::DropGfpFlag, S, Flag, FlagName, F));
}

void SiteView::fixByAppending(Finding &F, const std::string &FlagName) {
  if (!S.GfpIntact) {
    F.Notes.push_back({F.Where, "no fix: the gfp argument did not compile"});
    return;
  }
  F.FixRequests.push_back(
      P.request(FixRequest::Kind::AppendGfpFlag, S, 0, FlagName, F));
}

} // namespace

AnalysisResult analyzeGfpArguments(ASTContext &Ctx, Preprocessor &PP,
                                   const MacroExpansionLog &Log,
                                   const AnalysisOptions &Options) {
  return PassOne(Ctx, PP, Log, Options).run();
}

} // namespace vmalloc_lint
