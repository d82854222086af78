#include "matchers/refactor/KvmallocFrees.h"

#include "matchers/SourcePoints.h"
#include "matchers/kernel/MemoryApi.h"
#include "matchers/refactor/SamePointer.h"
#include "matchers/text/CodeText.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include "llvm/ADT/DenseMap.h"

#include <algorithm>
#include <map>
#include <set>

using namespace clang;

namespace vmalloc_lint {

namespace {

/// The local, global or field an expression names (casts and parentheses
/// aside): what a store writes and a free releases.
const ValueDecl *objectOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenCasts();
  if (const auto *D = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()))
      return VD->getCanonicalDecl();
  if (const auto *M = dyn_cast<MemberExpr>(E))
    if (const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl()))
      return FD->getCanonicalDecl();
  return nullptr;
}

/// A write of an object: `X = Value`, an initialiser, or (Value null) a
/// write the unit cannot see the value of (`X += n`, `&X` taken).
struct Store {
  const Expr *Value = nullptr;
  SourceLocation At;
  const char *How = ""; ///< Value null: what the code does to it
};

/// A vfree()/kfree() call of an object, outside a guard's choice.
struct Free {
  const CallExpr *Call = nullptr;
  const FreeChoice *Choice = nullptr;
};

class Collector : public RecursiveASTVisitor<Collector> {
  using Base = RecursiveASTVisitor<Collector>;

public:
  std::map<const ValueDecl *, std::vector<Store>> Stores;
  std::map<const ValueDecl *, std::vector<Free>> Frees;
  ASTContext *Ctx = nullptr;

  bool VisitBinaryOperator(BinaryOperator *B) {
    if (!B->isAssignmentOp())
      return true;
    if (const ValueDecl *O = objectOf(B->getLHS()))
      Stores[O].push_back({B->getOpcode() == BO_Assign ? B->getRHS() : nullptr,
                           B->getOperatorLoc(), "changes it in place"});
    return true;
  }

  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->getOpcode() != UO_AddrOf)
      return true;
    const Expr *E = U->getSubExpr()->IgnoreParens();
    if (!isa<DeclRefExpr>(E) && !isa<MemberExpr>(E))
      return true;
    if (const ValueDecl *O = objectOf(E))
      Stores[O].push_back({nullptr, U->getOperatorLoc(), "takes its address"});
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasInit() && !isa<ParmVarDecl>(VD))
      Stores[VD->getCanonicalDecl()].push_back(
          {VD->getInit(), VD->getLocation(), ""});
    return true;
  }

  /// `{ .table = ... }`: a store of each pointer field it initialises.
  bool VisitInitListExpr(InitListExpr *IL) {
    if (!IL->isSemanticForm())
      return true;
    const auto *RT = IL->getType()->getAs<RecordType>();
    if (!RT || RT->getDecl()->isUnion())
      return true;
    unsigned I = 0;
    for (const FieldDecl *FD : RT->getDecl()->fields()) {
      if (I >= IL->getNumInits())
        break;
      const Expr *Init = IL->getInit(I++);
      if (FD->getType()->isPointerType() && !isa<ImplicitValueInitExpr>(Init))
        Stores[FD->getCanonicalDecl()].push_back(
            {Init, Init->getBeginLoc(), ""});
    }
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !FD->getIdentifier() || CE->getNumArgs() != 1)
      return true;
    StringRef Name = FD->getName();
    for (const FreeChoice &C : freeChoices()) {
      if (Name != C.WhenTrue && Name != C.WhenFalse)
        continue;
      if (Guarded.count(C.Guard))
        break;
      if (const ValueDecl *O = objectOf(CE->getArg(0)))
        Frees[O].push_back({CE, &C});
      break;
    }
    return true;
  }

  /// `if (cond) vfree(X); else kfree(X);` with a condition that has no
  /// side effect (a choice by size): the two frees of X by the if.
  std::map<const CallExpr *, const IfStmt *> Pairs;

  // A free inside an is_vmalloc_addr() choice is that check's.
  bool TraverseIfStmt(IfStmt *S, DataRecursionQueue * = nullptr) {
    pair(S);
    return guarded(S->getCond(),
                   [&] { return Base::TraverseIfStmt(S, nullptr); });
  }
  bool TraverseConditionalOperator(ConditionalOperator *S,
                                   DataRecursionQueue * = nullptr) {
    return guarded(S->getCond(), [&] {
      return Base::TraverseConditionalOperator(S, nullptr);
    });
  }

private:
  static const CallExpr *freeCall(const Stmt *S) {
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
      S = CS->size() == 1 ? CS->body_front() : nullptr;
    const auto *CE = dyn_cast_or_null<CallExpr>(S);
    if (!CE || CE->getNumArgs() != 1 || !CE->getDirectCallee() ||
        !CE->getDirectCallee()->getIdentifier())
      return nullptr;
    return CE;
  }

  void pair(const IfStmt *S) {
    if (!S->getElse() || isa<IfStmt>(S->getElse()) || S->getInit() ||
        S->getConditionVariable() || !S->getCond() ||
        S->getCond()->HasSideEffects(*Ctx))
      return;
    const CallExpr *A = freeCall(S->getThen()), *B = freeCall(S->getElse());
    if (!A || !B)
      return;
    const ValueDecl *O = objectOf(A->getArg(0));
    if (!O || O != objectOf(B->getArg(0)) ||
        !samePointer(A->getArg(0)->IgnoreParenCasts(),
                     B->getArg(0)->IgnoreParenCasts()))
      return;
    StringRef NA = A->getDirectCallee()->getName(),
              NB = B->getDirectCallee()->getName();
    for (const FreeChoice &C : freeChoices())
      if ((NA == C.WhenTrue && NB == C.WhenFalse) ||
          (NA == C.WhenFalse && NB == C.WhenTrue)) {
        Pairs[A] = S;
        Pairs[B] = S;
      }
  }

  /// Traverse() with the guard Cond calls (if any) in force.
  template <typename Fn> bool guarded(const Expr *Cond, Fn Traverse) {
    std::string G = guardIn(Cond);
    if (!G.empty())
      Guarded.insert(G);
    bool R = Traverse();
    if (!G.empty())
      Guarded.erase(Guarded.find(G));
    return R;
  }

  /// The guard of a free choice the condition calls ("" for none).
  static std::string guardIn(const Stmt *S) {
    if (!S)
      return "";
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = CE->getDirectCallee();
          FD && FD->getIdentifier())
        for (const FreeChoice &C : freeChoices())
          if (FD->getName() == C.Guard)
            return C.Guard;
    for (const Stmt *C : S->children())
      if (std::string G = guardIn(C); !G.empty())
        return G;
    return "";
  }

  std::multiset<std::string> Guarded;
};

class Matcher {
public:
  Matcher(ASTContext &Ctx, std::vector<FallbackAllocSite> &Sites)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Sites(Sites) {}

  void run() {
    C.Ctx = &Ctx;
    C.TraverseDecl(Ctx.getTranslationUnitDecl());
    // The object each site stores its memory in.
    std::vector<const ValueDecl *> Objects(Sites.size(), nullptr);
    for (const auto &[O, List] : C.Stores)
      for (const Store &St : List)
        if (St.Value && isa<CallExpr>(St.Value->IgnoreParenCasts()))
          if (int I = siteOf(St.Value->getBeginLoc()); I >= 0 && !Objects[I])
            Objects[I] = O;
    for (size_t I = 0; I < Sites.size(); ++I)
      if (Objects[I] && Sites[I].Form != FallbackAllocSite::Shape::HelperBody)
        frees(Sites[I], (int)I, Objects[I]);
  }

private:
  /// The site whose replaced bytes hold L (-1 for none).
  int siteOf(SourceLocation L) {
    L = SM.getExpansionLoc(L);
    if (L.isInvalid())
      return -1;
    auto [FID, Off] = SM.getDecomposedLoc(L);
    const std::string &Path = pathOf(FID);
    for (size_t I = 0; I < Sites.size(); ++I) {
      const FallbackAllocSite &S = Sites[I];
      if (S.File != Path)
        continue;
      if ((Off >= S.Offset && Off < S.Offset + S.Text.size()) ||
          (!S.TailText.empty() && Off >= S.TailOffset &&
           Off < S.TailOffset + S.TailText.size()))
        return (int)I;
    }
    return -1;
  }

  const std::string &pathOf(FileID FID) {
    auto It = Paths.find(FID);
    if (It == Paths.end())
      It = Paths.try_emplace(FID, filePathOf(FID, SM)).first;
    return It->second;
  }

  unsigned lineOf(SourceLocation L) { return SM.getExpansionLineNumber(L); }

  std::string textOf(const Expr *E) {
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(E->getSourceRange()), SM,
        Ctx.getLangOpts());
    std::string T = Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
    // One line, and short: the message names the code, it does not copy it.
    std::string Out = oneLine(T);
    if (Out.size() > 48)
      Out = Out.substr(0, 45) + "...";
    return Out;
  }

  /// Why the frees of O stay ("" when every store is the site's own
  /// allocation or NULL).
  std::string whyLeft(int Site, const ValueDecl *O, const std::string &Name) {
    if (const auto *VD = dyn_cast<VarDecl>(O)) {
      if (isa<ParmVarDecl>(VD))
        return Name + " is a parameter: the caller's memory is in it too";
      if (!VD->hasLocalStorage() && VD->isExternallyVisible())
        return Name + " is a global other files may store";
    }
    for (const Store &St : C.Stores[O]) {
      unsigned Line = lineOf(St.At);
      if (!St.Value)
        return "line " + std::to_string(Line) + " " + St.How;
      if (St.Value->IgnoreParenCasts()->isNullPointerConstant(
              Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull)
        continue;
      int Other = siteOf(St.Value->getBeginLoc());
      if (Other == Site)
        continue;
      if (Other >= 0)
        return Name + " is also stored by the open-coded allocation at line " +
               std::to_string(Sites[Other].Where.Line);
      return Name + " is also assigned " + textOf(St.Value) + " at line " +
             std::to_string(Line);
    }
    return "";
  }

  void frees(FallbackAllocSite &S, int Site, const ValueDecl *O) {
    auto It = C.Frees.find(O);
    if (It == C.Frees.end())
      return;
    std::vector<FallbackAllocSite::FreeEdit> Edits;
    std::map<const IfStmt *, size_t> Choices; // the edit of each by-size if
    std::string Name;
    for (const Free &F : It->second) {
      const auto *Callee =
          dyn_cast<DeclRefExpr>(F.Call->getCallee()->IgnoreParenImpCasts());
      if (!Callee || !Callee->getLocation().isFileID())
        continue;
      auto [FID, Off] = SM.getDecomposedLoc(Callee->getLocation());
      if (pathOf(FID) != S.File)
        continue;
      unsigned Line = SM.getSpellingLineNumber(Callee->getLocation());
      if (Name.empty())
        Name = textOf(F.Call->getArg(0)->IgnoreParenCasts());
      // The two frees of a choice by size: one kvfree() for the if.
      auto P = C.Pairs.find(F.Call);
      if (P != C.Pairs.end()) {
        if (auto Done = Choices.find(P->second); Done != Choices.end()) {
          Edits[Done->second].Lines.push_back(Line);
          continue;
        }
        if (std::optional<FallbackAllocSite::FreeEdit> E =
                wholeIf(P->second, F)) {
          E->Lines.push_back(Line);
          Choices[P->second] = Edits.size();
          Edits.push_back(std::move(*E));
          continue;
        }
      }
      FallbackAllocSite::FreeEdit E;
      E.Offset = Off;
      E.Lines.push_back(Line);
      E.Old = Callee->getDecl()->getName().str();
      E.New = F.Choice->Helper;
      Edits.push_back(std::move(E));
    }
    if (Edits.empty())
      return;
    std::sort(Edits.begin(), Edits.end(),
              [](const auto &A, const auto &B) { return A.Offset < B.Offset; });
    S.Freed = Name;
    S.FreeHelper = It->second.front().Choice->Helper;
    S.FreesLeft = whyLeft(Site, O, Name);
    S.Frees = std::move(Edits);
  }

  /// The edit that makes a by-size choice of frees one kvfree() call: the
  /// if through the else's `;` (nullopt when a macro writes it).
  std::optional<FallbackAllocSite::FreeEdit> wholeIf(const IfStmt *If,
                                                     const Free &F) {
    SourceLocation B = If->getBeginLoc(), E = If->getEndLoc();
    if (!B.isFileID() || !E.isFileID())
      return std::nullopt;
    const LangOptions &LO = Ctx.getLangOpts();
    std::optional<Token> Semi = Lexer::findNextToken(E, SM, LO);
    bool Block = isa<CompoundStmt>(If->getElse());
    unsigned Stop;
    if (Block)
      Stop = SM.getFileOffset(E) + 1;
    else if (Semi && Semi->is(tok::semi) && Semi->getLocation().isFileID())
      Stop = SM.getFileOffset(Semi->getLocation()) + 1;
    else
      return std::nullopt;
    auto [FID, Off] = SM.getDecomposedLoc(B);
    if (SM.getFileID(E) != FID || Stop < Off)
      return std::nullopt;
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(FID, &Invalid);
    if (Invalid || Stop > Buf.size())
      return std::nullopt;
    const Expr *Arg = F.Call->getArg(0);
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Arg->getSourceRange()), SM, LO);
    if (R.isInvalid())
      return std::nullopt;
    FallbackAllocSite::FreeEdit Ed;
    Ed.Offset = Off;
    Ed.Old = Buf.substr(Off, Stop - Off).str();
    // A comment in it would go with it: each callee edited instead.
    if (Ed.Old.find("/*") != std::string::npos ||
        Ed.Old.find("//") != std::string::npos)
      return std::nullopt;
    Ed.New = std::string(F.Choice->Helper) + "(" +
             Lexer::getSourceText(R, SM, LO).str() + ");";
    return Ed;
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  std::vector<FallbackAllocSite> &Sites;
  Collector C;
  llvm::DenseMap<FileID, std::string> Paths;
};

} // namespace

void findKvmallocFrees(ASTContext &Ctx, std::vector<FallbackAllocSite> &Sites) {
  if (Sites.empty())
    return;
  Matcher(Ctx, Sites).run();
}

} // namespace vmalloc_lint
