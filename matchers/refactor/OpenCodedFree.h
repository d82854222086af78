// Frees chosen by a guard (matchers/kernel/MemoryApi.h's FreeChoice rows):
// the AST matchers that find
//
//   if (is_vmalloc_addr(p)) vfree(p); else kfree(p);   (braces or not)
//   if (!is_vmalloc_addr(p)) kfree(p); else vfree(p);
//   is_vmalloc_addr(p) ? vfree(p) : kfree(p);
//
// where the guard's argument and both frees' arguments are the same pointer
// (the same variable, field, element or dereference, written without side
// effects) and
// each branch is that one call and nothing more. Not a site: a branch that
// frees another way (vunmap, free_pages, kmem_cache_free, kfree_sensitive),
// or does more than the free; frees of different pointers; a guard on
// another pointer; a statement a macro writes; the helper's own definition
// (mm/util.c's kvfree()).
#ifndef VMALLOC_LINT_OPEN_CODED_FREE_H
#define VMALLOC_LINT_OPEN_CODED_FREE_H

#include "matchers/checks/RefactorCheck.h"

#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace vmalloc_lint {

struct CrossFileFacts;

/// Every free chosen by a guard in the unit, and every call of a kvfree()
/// wrapper (a function whose whole body is `kvfree(p);`: the unit's, or
/// another unit's from Imported), in source order. Export (if any) gets
/// the unit's kvfree() wrappers of external linkage.
std::vector<FreeChoiceSite>
findFreeChoices(clang::ASTContext &Ctx,
                const CrossFileFacts *Imported = nullptr,
                CrossFileFacts *Export = nullptr);

} // namespace vmalloc_lint

#endif
