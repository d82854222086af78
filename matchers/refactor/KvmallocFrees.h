// The frees of memory an open-coded kvmalloc fix turns into kv* memory.
//
// When vmalloc-open-coded-kvmalloc's fix makes an allocation one kv* call,
// the vfree()/kfree() calls of that memory become kvfree() (v4.12's
// conversions did both at once). The memory is followed by where the site
// stores it, not by dataflow:
//
//   - a local (`p = kmalloc(...); if (!p) p = vmalloc(...);`): the frees
//     `vfree(p)` / `kfree(p)` in its function;
//   - a struct field (`x->table = ...`, the same FieldDecl through any
//     base) or a static global: the frees of it anywhere in the file;
//
// and only when every store to that local or field the unit has is the
// site's own allocation or NULL: a field stored elsewhere by something else
// (a plain kmalloc, another function's result), by another open-coded site,
// or whose address is taken, keeps its frees, and FreesLeft says why. A
// free inside an is_vmalloc_addr() choice is left out (vmalloc-open-coded-
// kvfree fixes the whole choice). The frees and the guard are the rows of
// matchers/kernel/MemoryApi.h's freeChoices(). Frees in other files than
// the site's are not edited.
#ifndef VMALLOC_LINT_KVMALLOC_FREES_H
#define VMALLOC_LINT_KVMALLOC_FREES_H

#include "matchers/checks/RefactorCheck.h"

#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace vmalloc_lint {

/// Fills in Freed, Frees and FreesLeft of each site that stores its memory
/// in a local or a field (sites that return it, and helpers' bodies, get
/// none).
void findKvmallocFrees(clang::ASTContext &Ctx,
                       std::vector<FallbackAllocSite> &Sites);

} // namespace vmalloc_lint

#endif
