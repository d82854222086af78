// An open-coded kvmalloc() (matchers/kernel/KvmallocApi.h's allocators):
// the AST shapes that find
//
//   p = kmalloc(n, GFP_KERNEL | __GFP_NOWARN); if (!p) p = vmalloc(n);
//   T *p = kzalloc(n, gfp);                    if (p == NULL) p = vzalloc(n);
//   if (n > PAGE_SIZE) p = vzalloc(n); else p = kzalloc(n, gfp);
//   if (n <= PAGE_SIZE) return kmalloc(n, gfp); return vmalloc(n);
//
// (braces or not, blank lines and comments between; kcalloc/kmalloc_array
// with vmalloc(n * size), vmalloc(size * n) or vmalloc(array_size(n, size));
// __vmalloc(n, gfp[, PAGE_KERNEL])) where both calls assign the same
// pointer (or both are returned) and allocate the same size: the same text,
// or the same two factors. By size: the condition compares that size with
// anything, and the vmalloc call is the branch of the large sizes.
//
// A function whose whole body is that (after declarations without an
// initialiser; an overflow check `if (... SIZE_MAX ...) return NULL;` first
// makes it an array allocation), ending in `return p;`, with sizes and mask
// made of its parameters and constants, is a helper: it is one site, and
// every call of it in the unit is one more (drm_malloc_ab(), mlx5_vzalloc(),
// ipc_alloc(), f2fs_kvmalloc()...). A helper of external linkage is
// exported as a cross-file fact (KvHelperFact); with the facts imported, a
// call in another unit of a function that unit does not define is a site
// as a local helper's call is (t4_alloc_mem(), kvm_kvzalloc()...).
//
// Not a site: the two calls for different pointers or sizes; a vmalloc
// branch taken for small sizes; a __vmalloc with another pgprot; code a
// macro writes.
#ifndef VMALLOC_LINT_OPEN_CODED_KVMALLOC_H
#define VMALLOC_LINT_OPEN_CODED_KVMALLOC_H

#include "matchers/checks/RefactorCheck.h"

#include <vector>

namespace clang {
class ASTContext;
class Preprocessor;
} // namespace clang

namespace vmalloc_lint {

struct CrossFileFacts;

/// Every open-coded kvmalloc of the unit, helpers and their calls (of
/// another unit's helpers too, with Imported facts), in source order;
/// Target is the kernel the fixes are for. Export (if any) gets the unit's
/// helpers of external linkage.
std::vector<FallbackAllocSite> findFallbackAllocs(
    clang::ASTContext &Ctx, clang::Preprocessor &PP, KernelVersion Target,
    const CrossFileFacts *Imported = nullptr, CrossFileFacts *Export = nullptr);

} // namespace vmalloc_lint

#endif
