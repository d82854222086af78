// The vmalloc API as data: one row per allocator. Adding an allocator is one
// row in VmallocApi.cpp. The gfp argument is never given by position: it is
// the parameter whose declared type is gfp_t in the callee's declaration, so
// 4.9's __vmalloc(size, gfp, prot) and 5.8+'s __vmalloc(size, gfp) both work.
#ifndef VMALLOC_LINT_VMALLOC_API_H
#define VMALLOC_LINT_VMALLOC_API_H

#include "matchers/kernel/KernelVersion.h"

#include <string>
#include <vector>

namespace vmalloc_lint {

/// What kind of memory an allocator returns (pass 2 provenance uses this).
enum class Provenance {
  Vmalloc,      ///< vmalloc memory: virtually contiguous only
  Vmalloc32,    ///< vmalloc_32*: pages a 32-bit device can address
  MaybeVmalloc, ///< kvmalloc*: kmalloc first, vmalloc fallback
};

/// How the allocator gets its gfp mask.
enum class GfpArgument {
  Explicit,       ///< a gfp_t parameter (__vmalloc, kvmalloc ...)
  ImplicitKernel, ///< GFP_KERNEL inside the allocator (vmalloc, vzalloc ...)
  Implicit32,     ///< GFP_VMALLOC32 inside the allocator (vmalloc_32 ...)
};

struct VmallocApiEntry {
  const char *Name;
  Provenance Returns;
  GfpArgument Gfp;
  VersionRange Versions; ///< where the kernel has it (documentation only:
                         ///< a tree that declares it has it)
  const char *Doc;
};

/// Every row of the table.
const std::vector<VmallocApiEntry> &vmallocApi();
/// The row for Name, or nullptr.
const VmallocApiEntry *lookupVmallocApi(const std::string &Name);
const char *provenanceName(Provenance P);

} // namespace vmalloc_lint

#endif
