#include "matchers/refactor/OpenCodedFree.h"
#include "matchers/refactor/DefinitionRemoval.h"
#include "matchers/refactor/SamePointer.h"

#include "matchers/SourcePoints.h"
#include "matchers/provenance/CrossFileFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <algorithm>
#include <map>

using namespace clang;
using namespace clang::ast_matchers;

namespace vmalloc_lint {

namespace {

/// The one call a branch is, `f(x);` or `{ f(x); }`, of a one-argument
/// function named Name.
const CallExpr *onlyCallOf(const Stmt *S, StringRef Name) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S)) {
    if (CS->size() != 1)
      return nullptr;
    S = CS->body_front();
  }
  if (const auto *E = dyn_cast_or_null<Expr>(S))
    S = E->IgnoreParens();
  const auto *CE = dyn_cast_or_null<CallExpr>(S);
  if (!CE || CE->getNumArgs() != 1)
    return nullptr;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getIdentifier() || FD->getName() != Name)
    return nullptr;
  return CE;
}

/// The guard's argument when Cond is `Guard(x)` or `!Guard(x)`.
const Expr *guardArg(const Expr *Cond, StringRef Guard, bool &Negated) {
  Cond = Cond->IgnoreParenImpCasts();
  Negated = false;
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    if (UO->getOpcode() == UO_LNot) {
      Negated = true;
      Cond = UO->getSubExpr()->IgnoreParenImpCasts();
    }
  const auto *CE = dyn_cast<CallExpr>(Cond);
  if (!CE || CE->getNumArgs() != 1)
    return nullptr;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getIdentifier() || FD->getName() != Guard)
    return nullptr;
  return CE->getArg(0);
}

class Collector : public MatchFinder::MatchCallback {
public:
  Collector(ASTContext &Ctx) : Ctx(Ctx), SM(Ctx.getSourceManager()), P(SM) {}

  void run(const MatchFinder::MatchResult &R) override {
    const auto *Fn = R.Nodes.getNodeAs<FunctionDecl>("fn");
    if (const auto *If = R.Nodes.getNodeAs<IfStmt>("if"))
      site(If, If->getCond(), If->getThen(), If->getElse(), Fn, false);
    else if (const auto *CO =
                 R.Nodes.getNodeAs<ConditionalOperator>("ternary")) {
      if (isStatement(CO))
        site(CO, CO->getCond(), CO->getTrueExpr(), CO->getFalseExpr(), Fn,
             true);
    }
  }

  std::vector<FreeChoiceSite> Sites;

private:
  /// The ternary is a statement of its own (a block's, or an if's branch):
  /// replacing it with `kvfree(p);` keeps the code well-formed.
  bool isStatement(const ConditionalOperator *CO) {
    for (const DynTypedNode &N : Ctx.getParents(*CO)) {
      if (N.get<CompoundStmt>())
        return true;
      if (const auto *If = N.get<IfStmt>())
        return If->getThen() == CO || If->getElse() == CO;
    }
    return false;
  }

  void site(const Stmt *S, const Expr *Cond, const Stmt *Then, const Stmt *Else,
            const FunctionDecl *Fn, bool Ternary) {
    if (!Fn || !Fn->getIdentifier())
      return;
    for (const FreeChoice &C : freeChoices()) {
      if (Fn->getName() == C.Helper)
        continue; // the helper's own definition
      bool Negated = false;
      const Expr *Tested = guardArg(Cond, C.Guard, Negated);
      if (!Tested)
        continue;
      const CallExpr *T = onlyCallOf(Then, Negated ? C.WhenFalse : C.WhenTrue);
      const CallExpr *E = onlyCallOf(Else, Negated ? C.WhenTrue : C.WhenFalse);
      if (!T || !E || !samePointer(Tested, T->getArg(0)) ||
          !samePointer(Tested, E->getArg(0)))
        continue;
      FreeChoiceSite Site;
      Site.Form = Ternary   ? FreeChoiceSite::Shape::Ternary
                  : Negated ? FreeChoiceSite::Shape::NegatedIf
                            : FreeChoiceSite::Shape::If;
      Site.Choice = &C;
      Site.Function = Fn->getName().str();
      if (const auto *Body = dyn_cast_or_null<CompoundStmt>(Fn->getBody()))
        Site.WholeBody = Body->size() == 1 && Body->body_front() == S;
      if (spell(S, Else, T->getArg(0), Site))
        Sites.push_back(std::move(Site));
      return;
    }
  }

  /// The statement's bytes (through the `;` that ends a last branch that
  /// is an expression) and the pointer as written; false when a macro
  /// writes the statement.
  bool spell(const Stmt *S, const Stmt *Last, const Expr *Ptr,
             FreeChoiceSite &Site) {
    SourceLocation Begin = S->getBeginLoc(), End = S->getEndLoc();
    if (Begin.isInvalid() || End.isInvalid() || !Begin.isFileID() ||
        !End.isFileID())
      return false;
    auto [FID, Off] = SM.getDecomposedLoc(Begin);
    auto [EndFID, EndOff] = SM.getDecomposedLoc(End);
    if (FID != EndFID || EndOff < Off)
      return false;
    const LangOptions &LO = Ctx.getLangOpts();
    unsigned Stop = EndOff + Lexer::MeasureTokenLength(End, SM, LO);
    if (!isa<CompoundStmt>(Last)) {
      std::optional<Token> Semi = Lexer::findNextToken(End, SM, LO);
      if (!Semi || !Semi->is(tok::semi) || !Semi->getLocation().isFileID())
        return false;
      Stop = SM.getFileOffset(Semi->getLocation()) + 1;
    }
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(FID, &Invalid);
    if (Invalid || Stop > Buf.size())
      return false;
    CharSourceRange PtrRange = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Ptr->getSourceRange()), SM, LO);
    StringRef PtrText = Lexer::getSourceText(PtrRange, SM, LO);
    if (PtrText.empty())
      return false;
    Site.File = filePathOf(FID, SM);
    if (Site.File.empty())
      return false;
    Site.Where = P.at(Begin);
    Site.Pointer = PtrText.str();
    Site.FileHash = contentHash(Buf);
    Site.Offset = Off;
    Site.Text = Buf.substr(Off, Stop - Off).str();
    return true;
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  SourcePoints P;
};

/// kvfree() wrappers, `void f(void *p) { kvfree(p); }` (cxgb4's
/// t4_free_mem(), cxgb3's cxgb_free_mem() in 4.11), and their calls: the
/// unit's, and (with the facts) another unit's of external linkage. Each
/// call is a site: the callee becomes kvfree, as v4.12 did.
class WrapperCalls : public RecursiveASTVisitor<WrapperCalls> {
public:
  WrapperCalls(ASTContext &Ctx, const CrossFileFacts *Imported,
               CrossFileFacts *Export)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), P(SM), Imported(Imported),
        Export(Export) {
    for (const FreeChoice &C : freeChoices())
      if (!Helper)
        Helper = &C;
  }

  bool TraverseFunctionDecl(FunctionDecl *FD) {
    const FunctionDecl *Outer = Fn;
    Fn = FD;
    bool R = RecursiveASTVisitor::TraverseFunctionDecl(FD);
    Fn = Outer;
    return R;
  }

  /// The unit's own file's wrappers only: a header's inline one
  /// (__kvm_arch_free_vm() in kvm_host.h) is an API of its own, not a
  /// driver's private copy (and its callers would not pass the prefilter,
  /// which looks for kvfree in the file itself).
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!Helper || !FD->doesThisDeclarationHaveABody() ||
        !FD->getIdentifier() || FD->getNumParams() != 1 ||
        !SM.isInMainFile(FD->getLocation()) ||
        FD->getName() == Helper->Helper) // kvfree()'s own definition
      return true;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
    if (!Body || Body->size() != 1)
      return true;
    // kvfree(p), or the choice kvfree() is (whose body the check fixes to
    // kvfree(p) in the same run: its calls are sites at once, so a second
    // --fix has nothing left).
    const Expr *Freed = nullptr;
    if (const CallExpr *CE = onlyCallOf(Body, Helper->Helper))
      Freed = CE->getArg(0);
    const Stmt *St = Body->body_front();
    if (const auto *E = dyn_cast<Expr>(St))
      St = E->IgnoreParens();
    if (const auto *If = dyn_cast<IfStmt>(St))
      Freed =
          Freed ? Freed : choiceOf(If->getCond(), If->getThen(), If->getElse());
    else if (const auto *CO = dyn_cast<ConditionalOperator>(St))
      Freed = Freed ? Freed
                    : choiceOf(CO->getCond(), CO->getTrueExpr(),
                               CO->getFalseExpr());
    const auto *D =
        Freed ? dyn_cast<DeclRefExpr>(Freed->IgnoreParenImpCasts()) : nullptr;
    if (!D || D->getDecl() != FD->getParamDecl(0))
      return true;
    KvfreeWrapperFact W;
    SourcePoint At = P.at(FD->getLocation());
    W.Def = {At.File, At.Line, At.Column};
    W.Params = 1;
    W.Param = 0;
    W.Body = Helper->Helper;
    Local[FD->getCanonicalDecl()] = W;
    Defs[FD->getCanonicalDecl()] = FD;
    if (Export && FD->isExternallyVisible() && !FD->isInlineSpecified())
      Export->addKvfreeWrapper(FD->getName().str(), W);
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    if (Fn)
      Calls.push_back({CE, Fn});
    return true;
  }

  /// Every use of a function, calls and others (its address taken).
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *FD = dyn_cast<FunctionDecl>(E->getDecl()))
      ++Uses[FD->getCanonicalDecl()];
    return true;
  }

  /// The pointer a guard's choice frees (both branches that one free).
  const Expr *choiceOf(const Expr *Cond, const Stmt *Then, const Stmt *Else) {
    if (!Cond || !Then || !Else)
      return nullptr;
    for (const FreeChoice &C : freeChoices()) {
      bool Negated = false;
      const Expr *Tested = guardArg(Cond, C.Guard, Negated);
      if (!Tested)
        continue;
      const CallExpr *T = onlyCallOf(Then, Negated ? C.WhenFalse : C.WhenTrue);
      const CallExpr *E = onlyCallOf(Else, Negated ? C.WhenTrue : C.WhenFalse);
      if (T && E && samePointer(Tested, T->getArg(0)) &&
          samePointer(Tested, E->getArg(0)))
        return Tested;
    }
    return nullptr;
  }

  /// The calls, once every function has been seen.
  void sites(std::vector<FreeChoiceSite> &Out) {
    const LangOptions &LO = Ctx.getLangOpts();
    for (auto [CE, Caller] : Calls) {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (!FD || !FD->getIdentifier() || CE->getNumArgs() != 1 ||
          Caller->getCanonicalDecl() == FD->getCanonicalDecl())
        continue;
      const KvfreeWrapperFact *W = nullptr;
      if (auto It = Local.find(FD->getCanonicalDecl()); It != Local.end())
        W = &It->second;
      else if (Imported && !FD->isDefined() && FD->isExternallyVisible())
        if (auto I = Imported->KvfreeWrappers.find(FD->getName().str());
            I != Imported->KvfreeWrappers.end() &&
            I->second.Params == FD->getNumParams() && I->second.Param == 0)
          W = &I->second;
      if (!W)
        continue;
      // The callee's name, written in the file (not by a macro): kvfree
      // replaces it.
      const auto *Ref =
          dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreImpCasts());
      if (!Ref || !Ref->getLocation().isFileID() ||
          !CE->getArg(0)->getBeginLoc().isFileID() ||
          !CE->getArg(0)->getEndLoc().isFileID())
        continue;
      SourceLocation L = Ref->getLocation();
      auto [FID, Off] = SM.getDecomposedLoc(L);
      bool Invalid = false;
      StringRef Buf = SM.getBufferData(FID, &Invalid);
      unsigned Len = Lexer::MeasureTokenLength(L, SM, LO);
      if (Invalid || Off + Len > Buf.size() ||
          Buf.substr(Off, Len) != FD->getName())
        continue;
      CharSourceRange ArgRange = Lexer::makeFileCharRange(
          CharSourceRange::getTokenRange(CE->getArg(0)->getSourceRange()), SM,
          LO);
      FreeChoiceSite S;
      S.Form = FreeChoiceSite::Shape::WrapperCall;
      S.Choice = Helper;
      S.Function = Caller->getIdentifier() ? Caller->getName().str() : "";
      S.Wrapper = FD->getName().str();
      S.WrapperAt.File = W->Def.File;
      S.WrapperAt.Line = W->Def.Line;
      S.WrapperAt.Column = W->Def.Column;
      S.Pointer = Lexer::getSourceText(ArgRange, SM, LO).str();
      S.File = filePathOf(FID, SM);
      if (S.File.empty() || S.Pointer.empty())
        continue;
      S.Where = P.at(L);
      S.FileHash = contentHash(Buf);
      S.Offset = Off;
      S.Text = Buf.substr(Off, Len).str();
      Out.push_back(std::move(S));
      Converted[Out.size() - 1] = FD->getCanonicalDecl();
    }
    // A static wrapper each of whose uses is a site: converting them all
    // would leave it unused (gcc warns of a static function that is not
    // inline; 6.1's mm/percpu.c pcpu_mem_free(), kernel/relay.c
    // relay_free_page_array(): -Werror=unused-function, found by
    // scripts/kbuild-proof.sh).
    std::map<const FunctionDecl *, std::vector<size_t>> Sites;
    for (const auto &[I, FD] : Converted)
      Sites[FD].push_back(I);
    for (const auto &[FD, Is] : Sites) {
      if (FD->isExternallyVisible() || FD->isInlineSpecified() ||
          !Local.count(FD) || Is.size() != Uses[FD])
        continue;
      for (size_t I : Is)
        Out[I].LeavesWrapperUnused = true;
      // Removable when the main file names it only there and in its calls
      // (Uses counts what the unit compiles; the text also has what it does
      // not: code under #ifdef, a prototype, a comment), and the definition
      // holds no comment or preprocessor line.
      DefinitionRemoval Removal =
          definitionRemoval(Defs[FD], SM, true, Uses[FD]);
      if (!Removal.Why.empty()) {
        for (size_t I : Is)
          Out[I].NoRemoval = Removal.Why;
        continue;
      }
      FreeChoiceSite &First = Out[Is.front()];
      for (size_t K = 1; K < Is.size(); ++K) {
        FreeChoiceSite &S = Out[Is[K]];
        First.MoreEdits.push_back({S.Offset, S.Text, First.Choice->Helper});
        S.FixedWithLine = First.Where.Line;
      }
      First.MoreEdits.push_back({Removal.Offset, Removal.Text, ""});
    }
  }

private:
  ASTContext &Ctx;
  const SourceManager &SM;
  SourcePoints P;
  const CrossFileFacts *Imported;
  CrossFileFacts *Export;
  const FreeChoice *Helper = nullptr;
  const FunctionDecl *Fn = nullptr;
  std::vector<std::pair<const CallExpr *, const FunctionDecl *>> Calls;
  std::map<const FunctionDecl *, KvfreeWrapperFact> Local;
  std::map<const FunctionDecl *, unsigned> Uses;
  /// The unit's wrappers' definitions, by canonical declaration.
  std::map<const FunctionDecl *, const FunctionDecl *> Defs;
  /// The sites of sites(): index in its Out, the wrapper called.
  std::map<size_t, const FunctionDecl *> Converted;
};

} // namespace

std::vector<FreeChoiceSite> findFreeChoices(ASTContext &Ctx,
                                            const CrossFileFacts *Imported,
                                            CrossFileFacts *Export) {
  std::vector<std::string> Guards;
  for (const FreeChoice &C : freeChoices())
    Guards.push_back(C.Guard);
  std::vector<StringRef> GuardNames(Guards.begin(), Guards.end());
  auto GuardCall = callExpr(argumentCountIs(1),
                            callee(functionDecl(hasAnyName(GuardNames))));
  auto Cond = ignoringParenImpCasts(
      anyOf(GuardCall,
            unaryOperator(hasOperatorName("!"),
                          hasUnaryOperand(ignoringParenImpCasts(GuardCall)))));
  Collector C(Ctx);
  MatchFinder Finder;
  Finder.addMatcher(ifStmt(hasCondition(Cond), hasElse(stmt()),
                           forFunction(functionDecl().bind("fn")))
                        .bind("if"),
                    &C);
  Finder.addMatcher(conditionalOperator(hasCondition(Cond),
                                        forFunction(functionDecl().bind("fn")))
                        .bind("ternary"),
                    &C);
  Finder.matchAST(Ctx);
  WrapperCalls W(Ctx, Imported, Export);
  W.TraverseDecl(Ctx.getTranslationUnitDecl());
  W.sites(C.Sites);
  std::sort(C.Sites.begin(), C.Sites.end(),
            [](const FreeChoiceSite &A, const FreeChoiceSite &B) {
              return A.Where < B.Where;
            });
  return std::move(C.Sites);
}

} // namespace vmalloc_lint
