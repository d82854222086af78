// Whether two expressions name the same object without side effects: what
// the refactorings (open-coded kvfree, open-coded kvmalloc) ask of the
// pointer a guard tests, an allocation assigns and a free releases.
#ifndef VMALLOC_LINT_REFACTOR_SAMEPOINTER_H
#define VMALLOC_LINT_REFACTOR_SAMEPOINTER_H

namespace clang {
class Expr;
} // namespace clang

namespace vmalloc_lint {

/// A and B name the same object with no side effect: the same variable,
/// field (through the same base), element (constant or variable index) or
/// dereference. Implicit casts and parentheses do not count (the guard and
/// the frees take `const void *`).
bool samePointer(const clang::Expr *A, const clang::Expr *B);

} // namespace vmalloc_lint

#endif
