#include "matchers/refactor/SamePointer.h"

#include "clang/AST/Expr.h"

using namespace clang;

namespace vmalloc_lint {

bool samePointer(const Expr *A, const Expr *B) {
  A = A->IgnoreParenImpCasts();
  B = B->IgnoreParenImpCasts();
  if (A->getStmtClass() != B->getStmtClass())
    return false;
  if (const auto *DA = dyn_cast<DeclRefExpr>(A))
    return DA->getDecl()->getCanonicalDecl() ==
           cast<DeclRefExpr>(B)->getDecl()->getCanonicalDecl();
  if (const auto *MA = dyn_cast<MemberExpr>(A)) {
    const auto *MB = cast<MemberExpr>(B);
    return MA->getMemberDecl() == MB->getMemberDecl() &&
           MA->isArrow() == MB->isArrow() &&
           samePointer(MA->getBase(), MB->getBase());
  }
  if (const auto *SA = dyn_cast<ArraySubscriptExpr>(A)) {
    const auto *SB = cast<ArraySubscriptExpr>(B);
    return samePointer(SA->getBase(), SB->getBase()) &&
           samePointer(SA->getIdx(), SB->getIdx());
  }
  if (const auto *UA = dyn_cast<UnaryOperator>(A)) {
    const auto *UB = cast<UnaryOperator>(B);
    return UA->getOpcode() == UO_Deref && UB->getOpcode() == UO_Deref &&
           samePointer(UA->getSubExpr(), UB->getSubExpr());
  }
  if (const auto *IA = dyn_cast<IntegerLiteral>(A))
    return IA->getValue() == cast<IntegerLiteral>(B)->getValue();
  return false;
}

} // namespace vmalloc_lint
