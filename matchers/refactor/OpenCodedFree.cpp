#include "matchers/refactor/OpenCodedFree.h"
#include "matchers/refactor/SamePointer.h"

#include "matchers/SourcePoints.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/Stmt.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <algorithm>

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

} // namespace

std::vector<FreeChoiceSite> findFreeChoices(ASTContext &Ctx) {
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
  std::sort(C.Sites.begin(), C.Sites.end(),
            [](const FreeChoiceSite &A, const FreeChoiceSite &B) {
              return A.Where < B.Where;
            });
  return std::move(C.Sites);
}

} // namespace vmalloc_lint
