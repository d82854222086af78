#include "matchers/refactor/OpenCodedKvmalloc.h"
#include "matchers/refactor/DefinitionRemoval.h"
#include "matchers/refactor/KvmallocFrees.h"
#include "matchers/refactor/SamePointer.h"

#include "matchers/SourcePoints.h"
#include "matchers/gfp/GfpEvaluation.h"
#include "matchers/kernel/GfpFlags.h"
#include "matchers/kernel/KvmallocApi.h"
#include "matchers/provenance/CrossFileFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include "llvm/Support/Path.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <map>

using namespace clang;

namespace vmalloc_lint {

namespace {

/// One of the two allocations.
struct Alloc {
  const CallExpr *Call = nullptr;
  const LinearAllocator *Linear = nullptr;
  const FallbackAllocator *Fallback = nullptr;
};

Alloc allocOf(const Expr *E) {
  Alloc A;
  if (!E)
    return A;
  const auto *CE = dyn_cast<CallExpr>(E->IgnoreParenCasts());
  if (!CE)
    return A;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return A;
  std::string Name = FD->getName().str();
  if (const LinearAllocator *L = lookupLinearAllocator(Name)) {
    if ((int)CE->getNumArgs() > std::max({L->SizeArg, L->GfpArg, L->NodeArg}))
      A = {CE, L, nullptr};
  } else if (const FallbackAllocator *V = lookupFallbackAllocator(Name)) {
    if ((int)CE->getNumArgs() > std::max({V->SizeArg, V->GfpArg, V->NodeArg}))
      A = {CE, nullptr, V};
  }
  return A;
}

/// The one statement a branch is (`s;` or `{ s; }`).
const Stmt *only(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S)) {
    if (CS->size() != 1)
      return nullptr;
    return CS->body_front();
  }
  return S;
}

/// `X = call` (Target X) or `return call` (Target nullptr).
struct Assign {
  const Expr *Target = nullptr;
  const Expr *Value = nullptr;
  bool Return = false;
};

std::optional<Assign> assignOf(const Stmt *S) {
  if (!S)
    return std::nullopt;
  if (const auto *R = dyn_cast<ReturnStmt>(S)) {
    if (!R->getRetValue())
      return std::nullopt;
    return Assign{nullptr, R->getRetValue(), true};
  }
  if (const auto *E = dyn_cast<Expr>(S)) {
    const auto *BO = dyn_cast<BinaryOperator>(E->IgnoreParens());
    if (BO && BO->getOpcode() == BO_Assign)
      return Assign{BO->getLHS(), BO->getRHS(), false};
  }
  return std::nullopt;
}

/// The code ends with a statement that ends with its `;` (not a block's
/// `}`).
bool endsBeforeSemi(const Stmt *S) {
  if (isa<CompoundStmt>(S))
    return false;
  if (const auto *If = dyn_cast<IfStmt>(S))
    return endsBeforeSemi(If->getElse() ? If->getElse() : If->getThen());
  return !isa<DeclStmt>(S);
}

/// Cond tests that X is NULL: `!X`, `X == NULL`, `NULL == X`.
bool testsNull(const Expr *Cond, const Expr *X, ASTContext &Ctx,
               bool AndMore = true) {
  Cond = Cond->IgnoreParenImpCasts();
  // `!p && size > PAGE_SIZE`: kvmalloc() does not vmalloc below PAGE_SIZE.
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond))
    if (AndMore && BO->getOpcode() == BO_LAnd &&
        !BO->getRHS()->HasSideEffects(Ctx) &&
        isa<BinaryOperator>(BO->getRHS()->IgnoreParenImpCasts()) &&
        cast<BinaryOperator>(BO->getRHS()->IgnoreParenImpCasts())
            ->isRelationalOp())
      return testsNull(BO->getLHS(), X, Ctx, false);
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    return UO->getOpcode() == UO_LNot && samePointer(UO->getSubExpr(), X);
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->getOpcode() != BO_EQ)
      return false;
    auto Null = [&](const Expr *E) {
      return E->IgnoreParenCasts()->isNullPointerConstant(
                 Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
    };
    return (samePointer(BO->getLHS(), X) && Null(BO->getRHS())) ||
           (samePointer(BO->getRHS(), X) && Null(BO->getLHS()));
  }
  return false;
}

/// Cond tests that X is not NULL: `X`, `X != NULL`, `NULL != X`.
bool testsNotNull(const Expr *Cond, const Expr *X, ASTContext &Ctx) {
  Cond = Cond->IgnoreParenImpCasts();
  if (samePointer(Cond, X))
    return true;
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO || BO->getOpcode() != BO_NE)
    return false;
  auto Null = [&](const Expr *E) {
    return E->IgnoreParenCasts()->isNullPointerConstant(
               Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
  };
  return (samePointer(BO->getLHS(), X) && Null(BO->getRHS())) ||
         (samePointer(BO->getRHS(), X) && Null(BO->getLHS()));
}

/// Text without blanks and without parentheses around all of it.
std::string norm(StringRef T) {
  std::string S;
  for (char C : T)
    if (!isspace((unsigned char)C))
      S += C;
  while (S.size() >= 2 && S.front() == '(' && S.back() == ')') {
    int Depth = 0;
    bool Wraps = true;
    for (size_t I = 0; I + 1 < S.size(); ++I) {
      Depth += S[I] == '(' ? 1 : S[I] == ')' ? -1 : 0;
      if (Depth == 0) {
        Wraps = false;
        break;
      }
    }
    if (!Wraps)
      break;
    S = S.substr(1, S.size() - 2);
  }
  return S;
}

/// The operands of Text's top-level Op chain (`a * b`, `A | B`), as written.
std::vector<std::string> splitTop(StringRef Text, char Op) {
  std::vector<std::string> Out;
  int Depth = 0;
  size_t Start = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '(' || C == '[')
      ++Depth;
    else if (C == ')' || C == ']')
      --Depth;
    else if (C == Op && Depth == 0 &&
             !(Op == '|' && I + 1 < Text.size() && Text[I + 1] == '|') &&
             !(Op == '|' && I > 0 && Text[I - 1] == '|')) {
      Out.push_back(Text.substr(Start, I - Start).trim().str());
      Start = I + 1;
    }
  }
  Out.push_back(Text.substr(Start).trim().str());
  return Out;
}

class Finder : public RecursiveASTVisitor<Finder> {
  struct Helper;

public:
  Finder(ASTContext &Ctx, Preprocessor &PP, KernelVersion Target,
         const CrossFileFacts *Imported, CrossFileFacts *Export)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Points(SM), Eval(Ctx),
        Flags(PP, &Ctx), Target(Target), Imported(Imported), Export(Export) {
    GfpKernel = Flags.flag("GFP_KERNEL");
    DirectReclaim = Flags.flag("__GFP_DIRECT_RECLAIM");
    NoRetry = Flags.flag("__GFP_NORETRY");
    NoWarn = Flags.flag("__GFP_NOWARN");
    Zero = Flags.flag("__GFP_ZERO");
    Repeat = Flags.flag("__GFP_REPEAT");
    std::optional<uint64_t> Page = Flags.value("PAGE_SIZE"),
                            Costly = Flags.value("PAGE_ALLOC_COSTLY_ORDER");
    if (Page && Costly && *Costly < 32)
      CostlyMax = *Page << *Costly;
  }

  /// The constant size of a non-array site (SizeKnown), and the tree's
  /// values its __GFP_REPEAT rule needs.
  void setSize(FallbackAllocSite &S, const Expr *Size) {
    S.Repeat = Repeat;
    S.CostlyMax = CostlyMax;
    Expr::EvalResult R;
    S.SizeKnown = false;
    if (!S.Array && Size && !Size->isValueDependent() &&
        Size->EvaluateAsInt(R, Ctx) && R.Val.getInt().isNonNegative()) {
      S.SizeKnown = true;
      S.SizeBytes = R.Val.getInt().getLimitedValue();
    }
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody() || !FD->getIdentifier())
      return true;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
    if (!Body)
      return true;
    Fn = FD;
    if (!helper(FD, Body))
      blocks(Body);
    return true;
  }

  bool TraverseFunctionDecl(FunctionDecl *FD) {
    const FunctionDecl *Outer = Caller;
    Caller = FD;
    bool R = RecursiveASTVisitor::TraverseFunctionDecl(FD);
    Caller = Outer;
    return R;
  }

  bool VisitDeclRefExpr(DeclRefExpr *D) {
    if (const auto *FD = dyn_cast<FunctionDecl>(D->getDecl()))
      ++Refs[FD->getCanonicalDecl()];
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    if (Caller)
      Calls.push_back({CE, Caller});
    return true;
  }

  /// The helper FD is: one of the unit's, or (FD defined in no file of the
  /// unit) another unit's exported one from the imported facts.
  const Helper *helperOf(const FunctionDecl *FD) {
    auto It = Helpers.find(FD->getCanonicalDecl());
    if (It != Helpers.end())
      return &It->second;
    if (!Imported || FD->isDefined() || !FD->isExternallyVisible() ||
        !FD->getIdentifier())
      return nullptr;
    auto F = Imported->KvHelpers.find(FD->getName().str());
    if (F == Imported->KvHelpers.end() ||
        F->second.Params.size() != FD->getNumParams())
      return nullptr;
    auto [I, New] = ImportedHelpers.try_emplace(FD->getCanonicalDecl());
    if (New) {
      const KvHelperFact &K = F->second;
      Helper &H = I->second;
      H.External = true;
      H.ExportSymbol = K.ExportSymbol;
      H.Params = K.Params;
      H.GfpParam = K.GfpParam;
      FallbackAllocSite &S = H.Site;
      S.Form = FallbackAllocSite::Shape::HelperBody;
      S.Helper = F->first;
      S.Where.File = K.Def.File;
      S.Where.Line = K.Def.Line;
      S.Where.Column = K.Def.Column;
      S.BySize = K.BySize;
      S.Linear = K.Linear;
      S.Fallback = K.Fallback;
      S.Zeroes = K.Zeroes;
      S.Array = K.Array;
      S.Count = K.Count;
      S.Size = K.Size;
      S.Gfp = K.Gfp;
      S.Node = K.Node;
      S.Dropped = K.Dropped;
      S.GfpKnown = K.GfpKnown;
      S.GfpMust = K.GfpMust;
      S.GfpMay = K.GfpMay;
      S.GfpNames = K.GfpNames;
      S.GfpFromParameter = K.GfpParam >= 0;
      S.Target = Target;
      S.GfpKernel = GfpKernel;
      S.DirectReclaim = DirectReclaim;
      S.NoRetry = NoRetry;
      S.Zero = Zero;
    }
    return &I->second;
  }

  /// The calls of the helpers, once every function has been seen.
  void helperCalls() {
    for (auto [CE, Caller] : Calls) {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (!FD)
        continue;
      const Helper *HP = helperOf(FD);
      if (!HP)
        continue;
      const Helper &H = *HP;
      if (CE->getNumArgs() != H.Params.size())
        continue;
      FallbackAllocSite S = H.Site;
      S.Form = FallbackAllocSite::Shape::HelperCall;
      S.HelperAt = H.Site.Where;
      S.GfpFromParameter = false;
      S.Prefix.clear();
      S.Suffix.clear();
      S.TailText.clear();
      S.TailNew.clear();
      if (Caller->getCanonicalDecl() == FD->getCanonicalDecl())
        continue;
      ++CallsOf[FD->getCanonicalDecl()];
      S.Function = Caller->getIdentifier() ? Caller->getName().str() : "";
      std::map<std::string, std::string> Args;
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        Args[H.Params[I]] = textOf(CE->getArg(I));
      S.Count = substitute(S.Count, Args);
      S.Size = substitute(S.Size, Args);
      S.Gfp = substitute(S.Gfp, Args);
      S.Node = substitute(S.Node, Args);
      if (H.GfpParam >= 0) {
        GfpValue V = Eval.eval(CE->getArg(H.GfpParam), Caller);
        setMask(S, V, 0);
        // A run that knows the helper from the facts records its calls'
        // masks: then every analysed unit knew it, and the records are all
        // its calls (the next run with them judges its body).
        if (H.ExportSymbol && Export && Imported &&
            Imported->KvHelpers.count(S.Helper)) {
          SourcePoint P = Points.at(CE->getBeginLoc());
          Export->addKvHelperCall(S.Helper, {P.File, P.Line, P.Column},
                                  {S.GfpKnown, S.GfpMust, S.GfpMay});
        }
        if (H.ExportSymbol)
          S.Callers = callerMasks(S.Helper);
      }
      // The size is one of the call's arguments: its value.
      const Expr *SizeArg = nullptr;
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        if (norm(textOf(CE->getArg(I))) == norm(S.Size))
          SizeArg = CE->getArg(I);
      setSize(S, SizeArg);
      if (!spellRange(CE->getBeginLoc(), CE->getEndLoc(), false, S))
        continue;
      Sites.push_back(std::move(S));
    }
    // A static helper that is only called, and called here: removable once
    // its calls are replaced.
    for (const auto &[FD, H] : Helpers) {
      if (!H.Internal || !CallsOf[FD] || CallsOf[FD] != Refs[FD] ||
          H.Site.RemoveText.empty())
        continue;
      for (FallbackAllocSite &S : Sites)
        if (S.Form == FallbackAllocSite::Shape::HelperBody &&
            S.Where == H.Site.Where)
          S.Removable = true;
    }
  }

  std::vector<FallbackAllocSite> Sites;

private:
  struct Helper {
    FallbackAllocSite Site;
    std::vector<std::string> Params;
    int GfpParam = -1;
    bool Internal = false; ///< static, of the main file, not inline
    /// Of external linkage, of the main file, not inline: in the facts
    /// (an imported helper is one).
    bool External = false;
    /// External, and its file exports it to modules (EXPORT_SYMBOL*()):
    /// an interface, whose body a fix rewrites rather than its calls when
    /// its mask is its caller's.
    bool ExportSymbol = false;
  };

  /// Every call of the EXPORT_SYMBOL()ed helper Name the imported facts hold,
  /// each with its mask; none when the facts hold no call of it or come
  /// from a run that did not know the helper (which writes no calls).
  std::optional<std::vector<FallbackAllocSite::CallerMask>>
  callerMasks(const std::string &Name) {
    if (!Imported || !Imported->KvHelpers.count(Name))
      return std::nullopt;
    auto It = Imported->KvHelperCalls.find(Name);
    if (It == Imported->KvHelperCalls.end() || It->second.empty())
      return std::nullopt;
    std::vector<FallbackAllocSite::CallerMask> Calls;
    for (const auto &[At, M] : It->second)
      Calls.push_back({llvm::sys::path::filename(At.File).str() + ":" +
                           std::to_string(At.Line),
                       M.GfpKnown, M.GfpMust, M.GfpMay,
                       M.GfpKnown ? Flags.describe(M.GfpMust) : ""});
    return Calls;
  }

  /// A pattern found in a block: the statements [First, Last] and the
  /// site without its range.
  struct Match {
    FallbackAllocSite Site;
    const Stmt *First = nullptr, *Last = nullptr;
    SourceLocation Begin; ///< where the replaced bytes start
    SourceLocation End;   ///< an expression's last token (else Last's end)
    const Expr *Target = nullptr;     ///< the pointer assigned (or none)
    const Expr *LinearSize = nullptr; ///< for the helper's parameter test
    const Expr *LinearCount = nullptr;
    /// An array: the count and the size as the fallback's product spells
    /// them ("" when it spells them otherwise).
    std::string FallbackCount, FallbackSize;
    const Expr *Gfp = nullptr;
    const Expr *Node = nullptr; ///< the node argument (or none)
    unsigned Used = 0;          ///< statements of the block it covers
    /// Where the site is reported, when not at Begin (the kmalloc()
    /// statement after the code that makes its mask).
    SourceLocation At;
  };

  std::string textOf(const Expr *E) {
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(E->getSourceRange()), SM,
        Ctx.getLangOpts());
    return Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
  }

  /// Every block of Body (and the blocks inside it).
  void blocks(const Stmt *S) {
    if (!S)
      return;
    if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      std::vector<const Stmt *> B(CS->body_begin(), CS->body_end());
      for (size_t I = 0; I < B.size(); ++I)
        if (std::optional<Match> M = at(B, I)) {
          if (spellMatch(*M))
            Sites.push_back(std::move(M->Site));
          I += M->Used - 1;
        }
    }
    for (const Stmt *C : S->children())
      if (C && !isa<Expr>(C))
        blocks(C);
  }

  /// The sizes of the two calls agree: the same text, or the same two
  /// factors; an array allocation's count and size against vmalloc(n *
  /// size), vmalloc(size * n) or vmalloc(array_size(n, size)).
  bool sameSize(const Alloc &L, const Alloc &V, Match &M) {
    const Expr *LS = L.Call->getArg(L.Linear->SizeArg);
    const Expr *VS = V.Call->getArg(V.Fallback->SizeArg);
    std::string A = norm(textOf(LS)), B = norm(textOf(VS));
    if (A.empty() || B.empty())
      return false;
    M.LinearSize = LS;
    if (L.Linear->CountArg < 0) {
      if (A == B)
        return true;
      std::vector<std::string> FA = splitTop(A, '*'), FB = splitTop(B, '*');
      if (FA.size() != 2 || FB.size() != 2)
        return false;
      for (auto &X : FA)
        X = norm(X);
      for (auto &X : FB)
        X = norm(X);
      return (FA[0] == FB[0] && FA[1] == FB[1]) ||
             (FA[0] == FB[1] && FA[1] == FB[0]);
    }
    const Expr *LC = L.Call->getArg(L.Linear->CountArg);
    M.LinearCount = LC;
    std::string C = norm(textOf(LC));
    std::vector<std::string> FB;
    // array_size(n, size): a macro (6.1) or a function, as written.
    if (StringRef(B).starts_with("array_size(") && B.back() == ')') {
      FB = splitTop(StringRef(B).drop_front(11).drop_back(), ',');
      if (FB.size() != 2)
        FB.clear();
    }
    if (FB.empty()) {
      FB = splitTop(B, '*');
      for (auto &X : FB)
        X = norm(X);
    }
    if (FB.size() != 2 ||
        !((FB[0] == C && FB[1] == A) || (FB[0] == A && FB[1] == C)))
      return false;
    // The count and the size as the fallback's product spells them: what
    // v4.12's conversions kept (sch_choke's `vzalloc((mask + 1) * ...)`
    // became `kvmalloc_array((mask + 1), ...)`, mlx4's `kcalloc(s, sizeof
    // (long), ..)` and `vzalloc(s * sizeof(long))` `kvmalloc_array(s,
    // sizeof(long), ...)`).
    std::string RawText = textOf(VS);
    StringRef Raw = StringRef(RawText).trim();
    std::vector<std::string> RF;
    if (Raw.starts_with("array_size(") && Raw.ends_with(")"))
      RF = splitTop(Raw.drop_front(11).drop_back(), ',');
    else
      RF = splitTop(Raw, '*');
    if (RF.size() == 2 && norm(RF[0]) == C && norm(RF[1]) == A) {
      M.FallbackCount = RF[0];
      M.FallbackSize = RF[1];
    } else if (RF.size() == 2 && norm(RF[0]) == A && norm(RF[1]) == C) {
      M.FallbackCount = RF[1];
      M.FallbackSize = RF[0];
    }
    return true;
  }

  /// The kmalloc and vmalloc calls make a pair: same size, a vmalloc prot
  /// (if any) of PAGE_KERNEL. Fills the site's allocation part.
  bool pair(const Alloc &L, const Alloc &V, Match &M) {
    if (!L.Linear || !V.Fallback || !sameSize(L, V, M))
      return false;
    // The node: of the call that names one (kmalloc_node() with a plain
    // vmalloc() fallback is kvmalloc_node(), as mlx4's en_tx.c became in
    // 4.12); two different nodes are not one kvmalloc_node().
    const Expr *LN =
        L.Linear->NodeArg >= 0 ? L.Call->getArg(L.Linear->NodeArg) : nullptr;
    const Expr *VN = V.Fallback->NodeArg >= 0
                         ? V.Call->getArg(V.Fallback->NodeArg)
                         : nullptr;
    if (LN && VN && norm(textOf(LN)) != norm(textOf(VN)))
      return false;
    M.Node = LN ? LN : VN;
    if (V.Fallback->ProtArg >= 0 &&
        (int)V.Call->getNumArgs() > V.Fallback->ProtArg &&
        norm(textOf(V.Call->getArg(V.Fallback->ProtArg))) != "PAGE_KERNEL")
      return false;
    FallbackAllocSite &S = M.Site;
    S.Linear = L.Linear->Name;
    S.Fallback = V.Fallback->Name;
    S.Zeroes = L.Linear->Zeroes || V.Fallback->Zeroes;
    S.Array = L.Linear->CountArg >= 0;
    S.Size = textOf(M.LinearSize);
    if (M.LinearCount)
      S.Count = textOf(M.LinearCount);
    if (!M.FallbackCount.empty()) {
      S.Count = M.FallbackCount;
      S.Size = M.FallbackSize;
    }
    S.Node = M.Node ? textOf(M.Node) : "";
    const Expr *G = L.Call->getArg(L.Linear->GfpArg);
    M.Gfp = G;
    // The fallback's own mask: flags it has are not the kmalloc attempt's
    // alone.
    std::vector<std::string> Kept;
    if (V.Fallback->GfpArg >= 0)
      for (const std::string &Op :
           splitTop(textOf(V.Call->getArg(V.Fallback->GfpArg)), '|'))
        Kept.push_back(norm(Op));
    uint64_t DroppedBits = 0;
    std::vector<std::string> Ops;
    for (const std::string &Op : splitTop(textOf(G), '|')) {
      std::string N = norm(Op);
      bool OwnFlag = (N == "__GFP_NOWARN" || N == "__GFP_NORETRY") &&
                     std::find(Kept.begin(), Kept.end(), N) == Kept.end();
      if (OwnFlag) {
        S.Dropped.push_back(N);
        DroppedBits |= N == "__GFP_NOWARN" ? NoWarn : NoRetry;
        continue;
      }
      if (N == "__GFP_ZERO") {
        S.Zeroes = true;
        S.Dropped.push_back(N);
        DroppedBits |= Zero;
        continue;
      }
      Ops.push_back(Op);
    }
    if (Ops.empty())
      return false;
    S.Gfp.clear();
    for (size_t I = 0; I < Ops.size(); ++I)
      S.Gfp += (I ? " | " : "") + Ops[I];
    GfpValue Value = Eval.eval(G, Fn);
    setMask(S, Value, DroppedBits);
    S.Function = Fn->getName().str();
    S.Target = Target;
    S.GfpKernel = GfpKernel;
    S.DirectReclaim = DirectReclaim;
    S.NoRetry = NoRetry;
    S.Zero = Zero;
    setSize(S, M.LinearSize);
    return true;
  }

  void setMask(FallbackAllocSite &S, const GfpValue &V, uint64_t Dropped) {
    S.GfpKnown = V.Constant && V.Symbols.empty();
    S.GfpMust = V.Must & ~Dropped;
    S.GfpMay = V.May & ~Dropped;
    S.GfpNames = S.GfpKnown ? Flags.describe(S.GfpMust) : "";
    S.GfpFromParameter = !V.Params.empty();
  }

  /// The size the comparison tests is the allocation's (one side of it);
  /// Large: the branch taken when the condition holds is the large one.
  bool sizeTest(const Expr *Cond, const Match &M, bool &Large) {
    const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
    if (!BO || !BO->isRelationalOp())
      return false;
    std::string Size = norm(textOf(M.LinearSize));
    std::vector<std::string> Want = {Size};
    if (M.LinearCount) {
      std::string C = norm(textOf(M.LinearCount));
      Want.push_back(C + "*" + Size);
      Want.push_back(Size + "*" + C);
    } else {
      std::vector<std::string> F = splitTop(Size, '*');
      if (F.size() == 2)
        Want.push_back(norm(F[1]) + "*" + norm(F[0]));
    }
    auto Is = [&](const Expr *E) {
      std::string T = norm(textOf(E));
      std::vector<std::string> F = splitTop(T, '*');
      if (F.size() == 2)
        T = norm(F[0]) + "*" + norm(F[1]);
      return std::find(Want.begin(), Want.end(), T) != Want.end();
    };
    bool Greater = BO->getOpcode() == BO_GT || BO->getOpcode() == BO_GE;
    if (Is(BO->getLHS()))
      Large = Greater;
    else if (Is(BO->getRHS()))
      Large = !Greater;
    else
      return false;
    return true;
  }

  /// What the fallback's block holds before the fallback: a small-size
  /// exit (`if (n <= PAGE_SIZE) goto out;`, keyctl's add_key() in 4.11) and
  /// a warning of the mask (`WARN_ON(!(flags & __GFP_FS));`, lustre's
  /// libcfs_kvzalloc_cpt()). guardsHold() judges them once the pair is
  /// known.
  struct Guards {
    const IfStmt *SmallExit = nullptr;
    const Stmt *Warning = nullptr;
    std::string WarningName, WarningArg;
  };

  /// `if (!X) X = fallback(...);` (X: the pointer, or VD's variable): the
  /// fallback alone, or the fallback and its own NULL check (`{ p =
  /// vmalloc(n); if (!p) goto out; }`), which stays (Check). The fallback's
  /// allocation (none when If is not that); Assigned: its pointer.
  /// Scope: the fallback runs in a memalloc scope, `{ [unsigned f;] f =
  /// memalloc_noio_save(); p = vmalloc(n); memalloc_noio_restore(f); }`
  /// (dm-ioctl's copy_params() in 4.11): the save's name. G: a mask warning
  /// and a small-size exit before the fallback (`{ [WARN_ON(..);] [if (n <=
  /// LIMIT) FAIL;] p = vmalloc(n); if (!p) FAIL; }`).
  Alloc fallbackIf(const Stmt *S, const Expr *X, const VarDecl *VD,
                   const IfStmt *&Check, const Expr *&Assigned,
                   std::string &Scope, Guards &G) {
    Check = nullptr;
    Scope.clear();
    G = Guards();
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If || If->getElse() || If->getInit() || If->getConditionVariable())
      return Alloc();
    const Stmt *Fallback = nullptr;
    std::string InScope;
    const IfStmt *Own = nullptr;
    const auto *CS = dyn_cast<CompoundStmt>(If->getThen());
    if (!CS) {
      Fallback = If->getThen();
    } else {
      std::vector<const Stmt *> In(CS->body_begin(), CS->body_end());
      size_t K = 0;
      if (In.size() >= 2 && maskWarning(In[0], G))
        ++K;
      if (In.size() - K == 3)
        if (const auto *E = dyn_cast<IfStmt>(In[K]);
            E && !E->getElse() && !E->getInit() && !E->getConditionVariable() &&
            !E->getCond()->HasSideEffects(Ctx)) {
          G.SmallExit = E;
          ++K;
        }
      if (In.size() - K == 1) {
        Fallback = In[K];
      } else if (In.size() - K == 2) {
        Own = dyn_cast<IfStmt>(In[K + 1]);
        if (Own && !Own->getInit() && !Own->getConditionVariable())
          Fallback = In[K];
        else
          Own = nullptr;
      }
      // A small-size exit only with the fallback's own check, which fails
      // the same way.
      if (G.SmallExit && !Own)
        return Alloc();
      if (K == 0 && !Own)
        InScope = scoped(CS, Fallback);
    }
    std::optional<Assign> T = assignOf(Fallback);
    Alloc V = T && !T->Return ? allocOf(T->Value) : Alloc();
    if (!V.Fallback ||
        (Own && !testsNull(Own->getCond(), T->Target, Ctx, false)))
      return Alloc();
    bool Same = false;
    if (X) {
      Same = samePointer(X, T->Target) && testsNull(If->getCond(), X, Ctx);
    } else if (VD) {
      const auto *D = dyn_cast<DeclRefExpr>(T->Target->IgnoreParenImpCasts());
      Same =
          D && D->getDecl() == VD && testsNull(If->getCond(), T->Target, Ctx);
    }
    if (!Same)
      return Alloc();
    Check = Own;
    Assigned = T->Target;
    Scope = InScope;
    return V;
  }

  /// S is a statement a mask-warning macro writes (`WARN_ON(cond);`): its
  /// name and argument into G.
  bool maskWarning(const Stmt *S, Guards &G) {
    SourceLocation B = S->getBeginLoc();
    if (!B.isMacroID())
      return false;
    CharSourceRange R = SM.getExpansionRange(S->getSourceRange());
    R = Lexer::makeFileCharRange(R, SM, Ctx.getLangOpts());
    if (R.isInvalid())
      return false;
    StringRef T =
        Lexer::getSourceText(R, SM, Ctx.getLangOpts()).trim().rtrim(';');
    size_t Open = T.find('(');
    if (Open == StringRef::npos || !T.ends_with(")"))
      return false;
    std::string Name = T.take_front(Open).trim().str();
    if (!isMaskWarning(Name))
      return false;
    G.Warning = S;
    G.WarningName = Name;
    G.WarningArg = T.substr(Open + 1, T.size() - Open - 2).str();
    return true;
  }

  /// The guards of fallbackIf() hold for the pair M: the small-size exit
  /// tests M's size, for the small ones, and fails as the fallback's own
  /// check (Check) does (kvmalloc() does not vmalloc below PAGE_SIZE); the
  /// warning tests nothing but the kmalloc's mask and flag names.
  bool guardsHold(const Guards &G, const IfStmt *Check, Match &M) {
    if (G.SmallExit) {
      bool Large = true;
      if (!Check || !sizeTest(G.SmallExit->getCond(), M, Large) || Large ||
          norm(stmtText(G.SmallExit->getThen())) !=
              norm(stmtText(Check->getThen())) ||
          norm(stmtText(G.SmallExit->getThen())).empty())
        return false;
    }
    if (G.Warning) {
      std::string Mask = textOf(M.Gfp);
      std::vector<std::string> MaskIds = identifiers(Mask);
      for (const std::string &Id : identifiers(G.WarningArg))
        if (!StringRef(Id).starts_with("GFP_") &&
            !StringRef(Id).starts_with("__GFP_") &&
            std::find(MaskIds.begin(), MaskIds.end(), Id) == MaskIds.end())
          return false;
      M.Site.Warning = G.WarningName;
    }
    return true;
  }

  static std::vector<std::string> identifiers(StringRef T) {
    std::vector<std::string> Out;
    for (size_t I = 0; I < T.size();) {
      if (isalpha((unsigned char)T[I]) || T[I] == '_') {
        size_t J = I;
        while (J < T.size() && (isalnum((unsigned char)T[J]) || T[J] == '_'))
          ++J;
        Out.push_back(T.substr(I, J - I).str());
        I = J;
      } else if (isdigit((unsigned char)T[I])) {
        while (I < T.size() && isalnum((unsigned char)T[I]))
          ++I;
      } else {
        ++I;
      }
    }
    return Out;
  }

  /// A statement's text as written ("" when a macro writes it).
  std::string stmtText(const Stmt *S) {
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(S->getSourceRange()), SM,
        Ctx.getLangOpts());
    if (R.isInvalid())
      return "";
    return Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
  }

  /// Block is `{ [T f;] f = SAVE(); s; RESTORE(f); }` (or `T f = SAVE();`)
  /// of a memalloc scope (matchers/kernel/KvmallocApi.h): SAVE's name, and
  /// Inner is s; else "" (Inner untouched).
  std::string scoped(const Stmt *Block, const Stmt *&Inner) {
    const auto *CS = dyn_cast_or_null<CompoundStmt>(Block);
    if (!CS)
      return "";
    std::vector<const Stmt *> In;
    for (const Stmt *St : CS->body()) {
      if (const auto *DS = dyn_cast<DeclStmt>(St)) {
        bool Plain = true;
        for (const Decl *D : DS->decls())
          if (const auto *V = dyn_cast<VarDecl>(D); !V || V->hasInit())
            Plain = false;
        if (Plain)
          continue;
      }
      In.push_back(St);
    }
    if (In.size() != 3)
      return "";
    auto CallName = [](const Expr *E) -> std::string {
      const auto *CE = E ? dyn_cast<CallExpr>(E->IgnoreParenCasts()) : nullptr;
      const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
      return FD && FD->getIdentifier() ? FD->getName().str() : "";
    };
    const Expr *SaveCall = nullptr;
    if (std::optional<Assign> A = assignOf(In[0]); A && !A->Return)
      SaveCall = A->Value;
    else if (const auto *DS = dyn_cast<DeclStmt>(In[0]);
             DS && DS->isSingleDecl())
      if (const auto *V = dyn_cast<VarDecl>(DS->getSingleDecl()))
        SaveCall = V->getInit();
    const MemallocScope *Sc = lookupMemallocScope(CallName(SaveCall));
    const auto *Restore = dyn_cast<Expr>(In[2]);
    if (!Sc || !Restore || CallName(Restore) != Sc->Restore)
      return "";
    Inner = In[1];
    return Sc->Save;
  }

  /// A pattern that starts at B[I].
  std::optional<Match> at(const std::vector<const Stmt *> &B, size_t I) {
    if (std::optional<Match> M = ownFlagsFirst(B, I))
      return M;
    Match M;
    // On failure: `X = kmalloc(...);` or `T *X = kmalloc(...);`, then
    // `if (!X) X = vmalloc(...);`.
    if (I + 1 < B.size()) {
      const Expr *X = nullptr, *Init = nullptr;
      if (std::optional<Assign> A = assignOf(B[I]); A && !A->Return) {
        X = A->Target;
        Init = A->Value;
      }
      const VarDecl *VD = nullptr;
      if (const auto *DS = dyn_cast<DeclStmt>(B[I]))
        if (DS->isSingleDecl())
          if ((VD = dyn_cast<VarDecl>(DS->getSingleDecl())) && VD->hasInit())
            Init = VD->getInit();
      Alloc L = allocOf(Init);
      const IfStmt *Check = nullptr;
      const Expr *Assigned = nullptr;
      std::string Scope;
      Guards G;
      Alloc V = L.Linear
                    ? fallbackIf(B[I + 1], X, VD, Check, Assigned, Scope, G)
                    : Alloc();
      if (V.Fallback && pair(L, V, M) && guardsHold(G, Check, M)) {
        M.Site.Form = FallbackAllocSite::Shape::OnFailure;
        M.Site.Scope = Scope;
        M.First = B[I];
        M.Last = B[I + 1];
        M.Target = X ? X : Assigned;
        if (X) {
          M.Begin = B[I]->getBeginLoc();
          M.Site.Prefix = prefix(B[I]->getBeginLoc(), L.Call);
        } else {
          M.Begin = L.Call->getBeginLoc();
        }
        if (!endSite(M, Check, B[I]->getBeginLoc()))
          return std::nullopt;
        M.Used = 2;
        return M;
      }
      M = Match();
    }
    // NULL first, the kmalloc only for small sizes, the fallback when the
    // pointer is still NULL (agp_alloc_page_array() in 4.11, kvmalloc() in
    // 4.12): `X = NULL; if (n <= LIMIT) X = kmalloc(n, gfp); if (!X) X =
    // vmalloc(n);`. By size: the large sizes get vmalloc().
    if (I + 2 < B.size()) {
      std::optional<Assign> Z = assignOf(B[I]);
      const auto *Small = dyn_cast<IfStmt>(B[I + 1]);
      std::optional<Assign> A;
      if (Z && !Z->Return &&
          Z->Value->IgnoreParenCasts()->isNullPointerConstant(
              Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull &&
          Small && !Small->getElse() && !Small->getInit() &&
          !Small->getConditionVariable())
        A = assignOf(only(Small->getThen()));
      if (A && !A->Return && samePointer(A->Target, Z->Target)) {
        Alloc L = allocOf(A->Value);
        const IfStmt *Check = nullptr;
        const Expr *Assigned = nullptr;
        std::string Scope;
        Guards G;
        Alloc V = L.Linear ? fallbackIf(B[I + 2], Z->Target, nullptr, Check,
                                        Assigned, Scope, G)
                           : Alloc();
        bool Large = true;
        if (V.Fallback && pair(L, V, M) && guardsHold(G, Check, M) &&
            sizeTest(Small->getCond(), M, Large) && !Large) {
          M.Site.Form = FallbackAllocSite::Shape::BySize;
          M.Site.Scope = Scope;
          M.First = B[I];
          M.Last = B[I + 2];
          M.Target = Z->Target;
          M.Begin = B[I]->getBeginLoc();
          M.Site.Prefix = textOf(Z->Target) + " = ";
          if (!endSite(M, Check, B[I]->getBeginLoc()))
            return std::nullopt;
          M.Used = 3;
          return M;
        }
        M = Match();
      }
    }
    // On failure, the kmalloc's result returned unless NULL
    // (xt_alloc_entry_offsets() in 4.11): `X = kmalloc(..); if (X) return
    // X; [if (n < SIZE_MAX / size)] X = vmalloc(..);`, then `return X;`
    // (which stays: the kmalloc'ed X skipped nothing else). The overflow
    // guard only with an array allocation (the kv* array call has that
    // check).
    if (I + 3 < B.size()) {
      std::optional<Assign> A = assignOf(B[I]);
      const auto *Ok = dyn_cast<IfStmt>(B[I + 1]);
      const ReturnStmt *R = nullptr;
      if (A && !A->Return && Ok && !Ok->getElse() && !Ok->getInit() &&
          !Ok->getConditionVariable() &&
          testsNotNull(Ok->getCond(), A->Target, Ctx))
        R = dyn_cast_or_null<ReturnStmt>(only(Ok->getThen()));
      if (R && R->getRetValue() && samePointer(R->getRetValue(), A->Target)) {
        const Stmt *F = B[I + 2];
        bool Guarded = false;
        if (const auto *G = dyn_cast<IfStmt>(F);
            G && !G->getElse() && !G->getInit() && !G->getConditionVariable() &&
            !G->getCond()->HasSideEffects(Ctx) &&
            textOf(G->getCond()).find("SIZE_MAX") != std::string::npos) {
          F = only(G->getThen());
          Guarded = true;
        }
        std::optional<Assign> T = assignOf(F);
        Alloc L = allocOf(A->Value);
        Alloc V = T && !T->Return && samePointer(T->Target, A->Target) &&
                          returnsIt(B[I + 3], A->Target)
                      ? allocOf(T->Value)
                      : Alloc();
        if (L.Linear && V.Fallback && pair(L, V, M) &&
            (!Guarded || M.Site.Array)) {
          M.Site.Form = FallbackAllocSite::Shape::OnFailure;
          M.First = B[I];
          M.Last = B[I + 2];
          M.Target = A->Target;
          M.Begin = B[I]->getBeginLoc();
          M.Site.Prefix = prefix(B[I]->getBeginLoc(), L.Call);
          M.Site.Suffix = ";";
          M.Used = 3;
          return M;
        }
        M = Match();
      }
    }
    // By size, the kmalloc's result returned unless NULL, then the
    // fallback (dm-stats' dm_kvzalloc() in 4.11): `if (n <= LIMIT) { X =
    // kmalloc(..); if (X) return X; } X = vmalloc(..);`, then `return X;`
    // or `if (X) return X;` (which stays).
    if (I + 2 < B.size()) {
      const auto *Small = dyn_cast<IfStmt>(B[I]);
      const auto *In = Small && !Small->getElse() && !Small->getInit() &&
                               !Small->getConditionVariable()
                           ? dyn_cast<CompoundStmt>(Small->getThen())
                           : nullptr;
      std::optional<Assign> A, T;
      if (In && In->size() == 2 && returnsIt(In->body_back(), nullptr))
        A = assignOf(In->body_front());
      if (A && !A->Return)
        T = assignOf(B[I + 1]);
      if (T && !T->Return && samePointer(T->Target, A->Target) &&
          returnsIt(In->body_back(), A->Target) &&
          returnsIt(B[I + 2], A->Target)) {
        Alloc L = allocOf(A->Value), V = allocOf(T->Value);
        bool Large = true;
        if (L.Linear && V.Fallback && pair(L, V, M) &&
            sizeTest(Small->getCond(), M, Large) && !Large) {
          M.Site.Form = FallbackAllocSite::Shape::BySize;
          M.First = B[I];
          M.Last = B[I + 1];
          M.Target = A->Target;
          M.Begin = B[I]->getBeginLoc();
          M.Site.Prefix = textOf(A->Target) + " = ";
          M.Site.Suffix = ";";
          M.Used = 2;
          return M;
        }
        M = Match();
      }
    }
    // By size, as a conditional: `p = n < LIMIT ? kzalloc(n, gfp) :
    // vzalloc(n);` (or a declaration's initialiser, or returned): the
    // conditional becomes the call.
    {
      const Expr *Val = nullptr;
      std::optional<Assign> A = assignOf(B[I]);
      if (A)
        Val = A->Value;
      else if (const auto *DS = dyn_cast<DeclStmt>(B[I]))
        if (DS->isSingleDecl())
          if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
            Val = VD->getInit();
      if (const auto *CO = dyn_cast_or_null<ConditionalOperator>(
              Val ? Val->IgnoreParenCasts() : nullptr)) {
        Alloc AT = allocOf(CO->getTrueExpr()), AE = allocOf(CO->getFalseExpr());
        bool TrueIsFallback = AT.Fallback != nullptr;
        const Alloc &L = TrueIsFallback ? AE : AT;
        const Alloc &V = TrueIsFallback ? AT : AE;
        bool Large = false;
        if (pair(L, V, M) && sizeTest(CO->getCond(), M, Large) &&
            Large == TrueIsFallback) {
          M.Site.Form = FallbackAllocSite::Shape::BySize;
          M.First = M.Last = B[I];
          M.Target = A && !A->Return ? A->Target : nullptr;
          M.Begin = CO->getBeginLoc();
          M.End = CO->getEndLoc();
          M.Used = 1;
          return M;
        }
        M = Match();
      }
    }
    // By size: `if (size > LIMIT) X = vmalloc(..); else X = kmalloc(..);`
    // (either order), or `if (...) return a(..); return b(..);`.
    const auto *If = dyn_cast<IfStmt>(B[I]);
    if (!If || If->getInit() || If->getConditionVariable())
      return std::nullopt;
    std::optional<Assign> T = assignOf(only(If->getThen()));
    std::optional<Assign> E;
    const Stmt *Last = If;
    if (If->getElse()) {
      E = assignOf(only(If->getElse()));
    } else if (I + 1 < B.size() && T && T->Return) {
      E = assignOf(B[I + 1]);
      Last = B[I + 1];
      if (!E || !E->Return)
        return std::nullopt;
    }
    if (!T || !E || T->Return != E->Return)
      return std::nullopt;
    if (!T->Return && !samePointer(T->Target, E->Target))
      return std::nullopt;
    Alloc AT = allocOf(T->Value), AE = allocOf(E->Value);
    bool ThenIsFallback = AT.Fallback != nullptr;
    const Alloc &L = ThenIsFallback ? AE : AT;
    const Alloc &V = ThenIsFallback ? AT : AE;
    bool Large = false;
    if (!pair(L, V, M) || !sizeTest(If->getCond(), M, Large) ||
        Large != ThenIsFallback)
      return std::nullopt;
    M.Site.Form = FallbackAllocSite::Shape::BySize;
    M.First = If;
    M.Last = Last;
    M.Target = T->Target;
    M.Begin = If->getBeginLoc();
    M.Site.Prefix = T->Return ? "return " : textOf(T->Target) + " = ";
    M.Site.Suffix = ";";
    M.Used = Last == If ? 1 : 2;
    return M;
  }

  /// The kmalloc attempt's mask made in a local as kvmalloc() makes its
  /// own (seq_buf_alloc() in 4.11): `gfp_t g = MASK;` ... `if (n >
  /// PAGE_SIZE) g |= __GFP_NORETRY | __GFP_NOWARN;` (either or both), then
  /// an on-failure pattern whose kmalloc(n, g) takes the local as its mask.
  /// kvmalloc() sets those flags itself on its kmalloc attempt for sizes
  /// over PAGE_SIZE: the kv* call takes MASK, and the local's declaration
  /// goes (MaskDecl). Only when nothing else uses the local (its value
  /// after the `|=` would change) and its declaration is a line of its
  /// own.
  std::optional<Match> ownFlagsFirst(const std::vector<const Stmt *> &B,
                                     size_t I) {
    const auto *If = I + 2 < B.size() ? dyn_cast<IfStmt>(B[I]) : nullptr;
    if (!If || If->getElse() || If->getInit() || If->getConditionVariable() ||
        If->getCond()->HasSideEffects(Ctx))
      return std::nullopt;
    const auto *Or = dyn_cast_or_null<CompoundAssignOperator>(
        dyn_cast_or_null<Expr>(only(If->getThen())));
    if (!Or || Or->getOpcode() != BO_OrAssign)
      return std::nullopt;
    const auto *Ref =
        dyn_cast<DeclRefExpr>(Or->getLHS()->IgnoreParenImpCasts());
    const auto *G = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (!G || isa<ParmVarDecl>(G) || !G->isLocalVarDecl() || !G->hasInit() ||
        G->getInit()->HasSideEffects(Ctx))
      return std::nullopt;
    std::vector<std::string> Own;
    for (const std::string &Op : splitTop(textOf(Or->getRHS()), '|')) {
      std::string N = norm(Op);
      if (N != "__GFP_NORETRY" && N != "__GFP_NOWARN")
        return std::nullopt;
      Own.push_back(N);
    }
    std::optional<Match> M = at(B, I + 1);
    // An assignment (its Prefix is the bytes before the call; a
    // declaration's is not written).
    if (!M || M->Site.Form != FallbackAllocSite::Shape::OnFailure || !M->Gfp ||
        M->Begin != B[I + 1]->getBeginLoc())
      return std::nullopt;
    const auto *Mask = dyn_cast<DeclRefExpr>(M->Gfp->IgnoreParenImpCasts());
    bool Large = false;
    if (!Mask || Mask->getDecl() != G || !sizeTest(If->getCond(), *M, Large) ||
        !Large)
      return std::nullopt;
    // The `|=` and the kmalloc's mask are the local's only uses.
    unsigned Uses = 0;
    std::function<void(const Stmt *)> Count = [&](const Stmt *S) {
      if (!S)
        return;
      if (const auto *D = dyn_cast<DeclRefExpr>(S); D && D->getDecl() == G)
        ++Uses;
      for (const Stmt *C : S->children())
        Count(C);
    };
    Count(Fn->getBody());
    if (Uses != 2 || !declLine(G, M->Site))
      return std::nullopt;
    // The kv* call's mask: the local's initial value.
    FallbackAllocSite &S = M->Site;
    S.Gfp = textOf(G->getInit());
    S.Dropped = Own;
    setMask(S, Eval.eval(G->getInit(), Fn), 0);
    S.MaskLocal = G->getName().str();
    M->At = M->Begin;
    M->First = If;
    M->Begin = If->getBeginLoc();
    M->Used += 1;
    return M;
  }

  /// The bytes of G's declaration, a line of its own (its indentation
  /// through its newline): into S's MaskDecl; false when the declaration
  /// declares more or shares its line.
  bool declLine(const VarDecl *G, FallbackAllocSite &S) {
    const DeclStmt *DS = nullptr;
    std::function<void(const Stmt *)> Find = [&](const Stmt *St) {
      if (!St || DS)
        return;
      if (const auto *D = dyn_cast<DeclStmt>(St);
          D && D->isSingleDecl() && D->getSingleDecl() == G)
        DS = D;
      for (const Stmt *C : St->children())
        Find(C);
    };
    Find(Fn->getBody());
    if (!DS || !DS->getBeginLoc().isFileID() || !DS->getEndLoc().isFileID())
      return false;
    auto [FID, Off] = SM.getDecomposedLoc(DS->getBeginLoc());
    auto [EFID, EOff] = SM.getDecomposedLoc(DS->getEndLoc());
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(FID, &Invalid);
    if (Invalid || FID != EFID || EOff < Off || EOff >= Buf.size() ||
        Buf[EOff] != ';')
      return false;
    size_t Start = Buf.rfind('\n', Off);
    Start = Start == StringRef::npos ? 0 : Start + 1;
    size_t End = Buf.find('\n', EOff);
    if (End == StringRef::npos ||
        Buf.substr(Start, Off - Start).find_first_not_of(" \t") !=
            StringRef::npos ||
        Buf.substr(EOff + 1, End - EOff - 1).find_first_not_of(" \t") !=
            StringRef::npos)
      return false;
    S.MaskDeclOffset = Start;
    S.MaskDeclText = Buf.substr(Start, End + 1 - Start).str();
    return true;
  }

  /// S is `return X;` or `if (X) return X;` (X null: S is an `if (..)
  /// return ..;` of any pointer, a quick test before the operands are
  /// known).
  bool returnsIt(const Stmt *S, const Expr *X) {
    if (const auto *If = dyn_cast_or_null<IfStmt>(S)) {
      if (If->getElse() || If->getInit() || If->getConditionVariable())
        return false;
      const auto *R = dyn_cast_or_null<ReturnStmt>(only(If->getThen()));
      if (!R || !R->getRetValue())
        return false;
      return !X || (testsNotNull(If->getCond(), X, Ctx) &&
                    samePointer(R->getRetValue(), X));
    }
    if (!X)
      return false;
    const auto *R = dyn_cast_or_null<ReturnStmt>(S);
    return R && R->getRetValue() && samePointer(R->getRetValue(), X);
  }

  /// Ends the new call with ";" and, if the fallback has its own NULL
  /// check, that check (checkText); false when a macro writes the check.
  bool endSite(Match &M, const IfStmt *Check, SourceLocation Start) {
    M.Site.Suffix = ";";
    if (!Check)
      return true;
    std::string Rest = checkText(Check, Start);
    M.Site.Suffix += Rest;
    return !Rest.empty();
  }

  /// The fallback's own NULL check, to follow the new call: a newline, the
  /// indentation of the line Start is on, and the check's text one tab
  /// less indented ("" when a macro writes it).
  std::string checkText(const IfStmt *Check, SourceLocation Start) {
    FallbackAllocSite Tmp;
    if (!spellRange(Check->getBeginLoc(), Check->getEndLoc(),
                    endsBeforeSemi(Check), Tmp) ||
        !Start.isFileID())
      return "";
    auto [FID, Off] = SM.getDecomposedLoc(Start);
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(FID, &Invalid);
    if (Invalid)
      return "";
    size_t LineStart = Buf.rfind('\n', Off);
    LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
    std::string Indent = Buf.substr(LineStart, Off - LineStart).str();
    if (Indent.find_first_not_of(" \t") != std::string::npos)
      return "";
    std::string Out = "\n" + Indent;
    for (size_t I = 0; I < Tmp.Text.size(); ++I) {
      Out += Tmp.Text[I];
      if (Tmp.Text[I] == '\n' && I + 1 < Tmp.Text.size() &&
          Tmp.Text[I + 1] == '\t')
        ++I; // one tab less
    }
    return Out;
  }

  /// The bytes from Begin to the allocation call (`p = `, `*out = `).
  std::string prefix(SourceLocation Begin, const CallExpr *Call) {
    SourceLocation End = Call->getBeginLoc();
    if (!Begin.isFileID() || !End.isFileID())
      return "";
    auto [FA, OA] = SM.getDecomposedLoc(Begin);
    auto [FB, OB] = SM.getDecomposedLoc(End);
    if (FA != FB || OB < OA)
      return "";
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(FA, &Invalid);
    if (Invalid)
      return "";
    return Buf.substr(OA, OB - OA).str();
  }

  bool spellMatch(Match &M) {
    if (M.End.isValid()) // an expression: no `;`
      return spellRange(M.Begin, M.End, false, M.Site);
    if (!spellRange(M.Begin, M.Last->getEndLoc(), endsBeforeSemi(M.Last),
                    M.Site))
      return false;
    if (M.At.isValid())
      M.Site.Where = Points.at(M.At);
    if (M.Site.Form == FallbackAllocSite::Shape::OnFailure)
      splitAtComment(M);
    return true;
  }

  /// On failure: when the bytes between the allocation's `;` and the
  /// fallback's `if` hold a comment (anything but blanks), the fix is two
  /// pieces and those bytes stay: the statement becomes the kv* call, and
  /// the `if` with the blanks before it (from the end of the comment)
  /// becomes the fallback's own check or goes.
  void splitAtComment(Match &M) {
    FallbackAllocSite &S = M.Site;
    const auto *If = dyn_cast<IfStmt>(M.Last);
    if (M.Used != 2 || !If || !If->getBeginLoc().isFileID())
      return;
    unsigned IfOff = SM.getFileOffset(If->getBeginLoc());
    if (IfOff < S.Offset || IfOff - S.Offset > S.Text.size())
      return;
    StringRef Head = StringRef(S.Text).take_front(IfOff - S.Offset);
    // The statement's `;`: the first one (the allocation's arguments are
    // an expression).
    size_t Semi = Head.find(';');
    if (Semi == StringRef::npos)
      return;
    size_t Last = Head.find_last_not_of(" \t\n");
    if (Last == StringRef::npos || Last <= Semi)
      return; // blanks only: one piece, as always
    size_t Cut = Last + 1;
    S.TailOffset = S.Offset + Cut;
    S.TailText = S.Text.substr(Cut);
    S.TailNew = S.Suffix.substr(1); // the check (after the `;`), or ""
    S.LineTail = Head.substr(Semi + 1, Head.find('\n', Semi) - Semi - 1).str();
    S.Text = S.Text.substr(0, Semi + 1);
    S.Suffix = ";";
  }

  /// The site's bytes from Begin through End's token (and the `;` after it
  /// when EndIsExpr); its point; false when a macro writes them.
  bool spellRange(SourceLocation Begin, SourceLocation End, bool EndIsExpr,
                  FallbackAllocSite &S) {
    // A statement may end in a macro (`return -ENOMEM;`): its expansion.
    if (Begin.isFileID() && End.isMacroID())
      End = SM.getExpansionRange(End).getEnd();
    if (Begin.isInvalid() || End.isInvalid() || !Begin.isFileID() ||
        !End.isFileID())
      return false;
    auto [FID, Off] = SM.getDecomposedLoc(Begin);
    auto [EndFID, EndOff] = SM.getDecomposedLoc(End);
    if (FID != EndFID || EndOff < Off)
      return false;
    const LangOptions &LO = Ctx.getLangOpts();
    unsigned Stop = EndOff + Lexer::MeasureTokenLength(End, SM, LO);
    if (EndIsExpr) {
      std::optional<Token> Semi = Lexer::findNextToken(End, SM, LO);
      if (!Semi || !Semi->is(tok::semi) || !Semi->getLocation().isFileID())
        return false;
      Stop = SM.getFileOffset(Semi->getLocation()) + 1;
    }
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(FID, &Invalid);
    if (Invalid || Stop > Buf.size())
      return false;
    S.File = filePathOf(FID, SM);
    if (S.File.empty())
      return false;
    S.Where = Points.at(Begin);
    S.FileHash = contentHash(Buf);
    S.Offset = Off;
    S.Text = Buf.substr(Off, Stop - Off).str();
    size_t LineStart = Buf.rfind('\n', Off ? Off - 1 : 0);
    LineStart = LineStart == StringRef::npos || !Off ? 0 : LineStart + 1;
    S.LineHead = Buf.substr(LineStart, Off - LineStart).str();
    S.LineTail = Buf.substr(Stop, Buf.find('\n', Stop) - Stop).str();
    return true;
  }

  /// Every name E mentions is a parameter of FD (or a constant).
  bool onlyParams(const Expr *E, const FunctionDecl *FD) {
    if (!E)
      return true;
    bool Ok = true;
    std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
      if (!S || !Ok)
        return;
      if (const auto *D = dyn_cast<DeclRefExpr>(S)) {
        const ValueDecl *VD = D->getDecl();
        if (isa<EnumConstantDecl>(VD) || isa<FunctionDecl>(VD))
          return;
        if (const auto *P = dyn_cast<ParmVarDecl>(VD))
          if (P->getDeclContext() == FD)
            return;
        Ok = false;
        return;
      }
      for (const Stmt *C : S->children())
        Walk(C);
    };
    Walk(E);
    return Ok;
  }

  /// An overflow check of an array helper: `if (... SIZE_MAX ...) return
  /// NULL;`.
  bool overflowCheck(const Stmt *S) {
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If || If->getElse())
      return false;
    const auto *R = dyn_cast_or_null<ReturnStmt>(only(If->getThen()));
    if (!R || !R->getRetValue() ||
        R->getRetValue()->IgnoreParenCasts()->isNullPointerConstant(
            Ctx, Expr::NPC_ValueDependentIsNotNull) == Expr::NPCK_NotNull)
      return false;
    std::string C = textOf(If->getCond());
    return C.find("SIZE_MAX") != std::string::npos ||
           C.find("ULONG_MAX") != std::string::npos;
  }

  /// FD's whole body is the pattern: FD is a helper, one site, and its
  /// calls are sites (helperCalls()).
  bool helper(const FunctionDecl *FD, const CompoundStmt *Body) {
    std::vector<const Stmt *> B;
    for (const Stmt *S : Body->body()) {
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        bool Plain = true;
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D); !VD || VD->hasInit())
            Plain = false;
        if (Plain)
          continue;
      }
      B.push_back(S);
    }
    if (B.empty())
      return false;
    bool Overflow = overflowCheck(B[0]);
    size_t Start = Overflow ? 1 : 0;
    if (Start >= B.size())
      return false;
    std::optional<Match> M = at(B, Start);
    if (!M)
      return false;
    size_t End = Start + M->Used;
    if (M->Target) { // ends in `return X;`
      if (End + 1 != B.size())
        return false;
      const auto *R = dyn_cast<ReturnStmt>(B[End]);
      if (!R || !R->getRetValue() || !samePointer(R->getRetValue(), M->Target))
        return false;
      // X must be a local of FD.
      const auto *D = dyn_cast<DeclRefExpr>(M->Target->IgnoreParenImpCasts());
      if (!D || !isa<VarDecl>(D->getDecl()) || isa<ParmVarDecl>(D->getDecl()))
        return false;
    } else if (End != B.size()) {
      return false;
    }
    if (!onlyParams(M->LinearSize, FD) || !onlyParams(M->LinearCount, FD) ||
        !onlyParams(M->Gfp, FD) || !onlyParams(M->Node, FD))
      return false;
    Helper H;
    H.Site = std::move(M->Site);
    FallbackAllocSite &S = H.Site;
    // The body's fix is one piece (respelt below).
    S.TailText.clear();
    S.TailNew.clear();
    S.BySize = S.Form == FallbackAllocSite::Shape::BySize;
    S.Form = FallbackAllocSite::Shape::HelperBody;
    S.Helper = FD->getName().str();
    for (const ParmVarDecl *P : FD->parameters())
      H.Params.push_back(P->getName().str());
    // An overflow check and a size that is a product: kvmalloc_array().
    if (Overflow && !S.Array) {
      std::vector<std::string> F = splitTop(S.Size, '*');
      if (F.size() != 2)
        return false;
      S.Array = true;
      S.Count = F[0];
      S.Size = F[1];
    } else if (Overflow) {
      return false;
    }
    if (S.GfpFromParameter) {
      // Only a mask that is the parameter itself follows the callers.
      std::vector<std::string> Ops = splitTop(S.Gfp, '|');
      if (Ops.size() != 1)
        return false;
      for (unsigned I = 0; I < FD->getNumParams(); ++I)
        if (norm(Ops[0]) == H.Params[I])
          H.GfpParam = I;
      if (H.GfpParam < 0)
        return false;
    }
    // The body's fix replaces the pattern (from the overflow check on).
    SourceLocation Begin = Overflow ? B[0]->getBeginLoc() : M->Begin;
    if (M->End.isValid()) { // a conditional: only it is replaced
      if (Overflow || !spellRange(Begin, M->End, false, S))
        return false;
    } else if (!spellRange(Begin, M->Last->getEndLoc(), endsBeforeSemi(M->Last),
                           S)) {
      return false;
    }
    // The whole definition, through the blank line after it: what removing
    // the helper removes (whether it may go, Refs and CallsOf say).
    DefinitionRemoval Removal = definitionRemoval(FD, SM, false);
    S.RemoveOffset = Removal.Offset;
    S.RemoveText = Removal.Text;
    H.Internal = !FD->isExternallyVisible() && !FD->isInlineSpecified() &&
                 SM.isInMainFile(FD->getLocation());
    H.External = FD->isExternallyVisible() && !FD->isInlineSpecified() &&
                 SM.isInMainFile(FD->getLocation());
    H.ExportSymbol = H.External && exportsSymbol(S.Helper);
    // The helper is reported at its name.
    S.Where = Points.at(FD->getLocation());
    // Another unit may call it: its calls there are sites too (--facts-out,
    // then --facts-in).
    if (Export && H.External)
      Export->addKvHelper(S.Helper, exported(H));
    if (H.ExportSymbol && H.GfpParam >= 0)
      S.Callers = callerMasks(S.Helper);
    Helpers[FD->getCanonicalDecl()] = H;
    Sites.push_back(S);
    return true;
  }

  /// The main file names Name in an EXPORT_SYMBOL(), EXPORT_SYMBOL_GPL(),
  /// EXPORT_SYMBOL_NS() ... (its text: with !CONFIG_MODULES the macros
  /// expand to nothing, and what they expand to differs between versions).
  bool exportsSymbol(llvm::StringRef Name) const {
    llvm::StringRef Text = SM.getBufferData(SM.getMainFileID());
    for (size_t At = Text.find("EXPORT_SYMBOL"); At != llvm::StringRef::npos;
         At = Text.find("EXPORT_SYMBOL", At + 1)) {
      size_t I = At + strlen("EXPORT_SYMBOL");
      while (I < Text.size() &&
             (isupper((unsigned char)Text[I]) ||
              isdigit((unsigned char)Text[I]) || Text[I] == '_'))
        ++I;
      while (I < Text.size() && isspace((unsigned char)Text[I]))
        ++I;
      if (I >= Text.size() || Text[I] != '(')
        continue;
      ++I;
      while (I < Text.size() && isspace((unsigned char)Text[I]))
        ++I;
      size_t J = I;
      while (J < Text.size() &&
             (isalnum((unsigned char)Text[J]) || Text[J] == '_'))
        ++J;
      if (Text.slice(I, J) == Name)
        return true;
    }
    return false;
  }

  static KvHelperFact exported(const Helper &H) {
    const FallbackAllocSite &S = H.Site;
    KvHelperFact K;
    K.ExportSymbol = H.ExportSymbol;
    K.Def = {S.Where.File, S.Where.Line, S.Where.Column};
    K.Params = H.Params;
    K.GfpParam = H.GfpParam;
    K.Linear = S.Linear;
    K.Fallback = S.Fallback;
    K.Zeroes = S.Zeroes;
    K.Array = S.Array;
    K.BySize = S.BySize;
    K.Count = S.Count;
    K.Size = S.Size;
    K.Gfp = S.Gfp;
    K.Node = S.Node;
    K.Dropped = S.Dropped;
    K.GfpKnown = S.GfpKnown;
    K.GfpMust = S.GfpMust;
    K.GfpMay = S.GfpMay;
    K.GfpNames = S.GfpNames;
    return K;
  }

  /// Text with each identifier that is a key of Args replaced by its value
  /// (parenthesised when it is more than one token and the text is more
  /// than the identifier).
  static std::string
  substitute(const std::string &Text,
             const std::map<std::string, std::string> &Args) {
    std::string Out;
    for (size_t I = 0; I < Text.size();) {
      if (isalpha((unsigned char)Text[I]) || Text[I] == '_') {
        size_t J = I;
        while (J < Text.size() &&
               (isalnum((unsigned char)Text[J]) || Text[J] == '_'))
          ++J;
        std::string Id = Text.substr(I, J - I);
        auto It = Args.find(Id);
        if (It == Args.end()) {
          Out += Id;
        } else {
          std::string A = It->second;
          bool Simple = true;
          for (char C : A)
            if (!(isalnum((unsigned char)C) || C == '_' || C == '.' ||
                  C == '>' || C == '-' || C == '[' || C == ']'))
              Simple = false;
          Out += (Simple || Id == Text) ? A : "(" + A + ")";
        }
        I = J;
      } else {
        Out += Text[I++];
      }
    }
    return Out;
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  SourcePoints Points;
  GfpEvaluator Eval;
  GfpFlagTable Flags;
  KernelVersion Target;
  uint64_t GfpKernel = 0, DirectReclaim = 0, NoRetry = 0, NoWarn = 0, Zero = 0;
  uint64_t Repeat = 0, CostlyMax = 0;
  const FunctionDecl *Fn = nullptr;
  const FunctionDecl *Caller = nullptr; ///< the function being traversed
  std::vector<std::pair<const CallExpr *, const FunctionDecl *>> Calls;
  std::map<const FunctionDecl *, Helper> Helpers;
  std::map<const FunctionDecl *, Helper> ImportedHelpers;
  std::map<const FunctionDecl *, unsigned> Refs, CallsOf;
  const CrossFileFacts *Imported;
  CrossFileFacts *Export;
};

} // namespace

std::vector<FallbackAllocSite>
findFallbackAllocs(ASTContext &Ctx, Preprocessor &PP, KernelVersion Target,
                   const CrossFileFacts *Imported, CrossFileFacts *Export) {
  Finder F(Ctx, PP, Target, Imported, Export);
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
  F.helperCalls();
  std::sort(F.Sites.begin(), F.Sites.end(),
            [](const FallbackAllocSite &A, const FallbackAllocSite &B) {
              return A.Where < B.Where;
            });
  findKvmallocFrees(Ctx, F.Sites);
  return std::move(F.Sites);
}

} // namespace vmalloc_lint
