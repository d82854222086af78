// kvmalloc() and the code it replaced, as data: the kmalloc-family and
// vmalloc-family allocators an open-coded "kmalloc, else vmalloc" pairs,
// the kv* helpers that replace the pair (and since when), and, per kernel
// version, which gfp masks the target's kvmalloc_node() falls back to
// vmalloc for (from each tree's mm/util.c).
#ifndef VMALLOC_LINT_KVMALLOC_API_H
#define VMALLOC_LINT_KVMALLOC_API_H

#include "matchers/kernel/KernelVersion.h"

#include <string>
#include <vector>

namespace vmalloc_lint {

/// A kmalloc-family allocator (physically contiguous memory): its
/// arguments by index (-1: none).
struct LinearAllocator {
  const char *Name;
  int CountArg; ///< kmalloc_array/kcalloc: the element count
  int SizeArg;  ///< the size (of one element when CountArg >= 0)
  int GfpArg;
  int NodeArg; ///< the _node forms: the NUMA node
  bool Zeroes;
};
const std::vector<LinearAllocator> &linearAllocators();
const LinearAllocator *lookupLinearAllocator(const std::string &Name);

/// A vmalloc-family allocator the open-coded fallback calls.
struct FallbackAllocator {
  const char *Name;
  int SizeArg;
  int GfpArg;  ///< __vmalloc: the mask (-1: GFP_KERNEL implied)
  int ProtArg; ///< __vmalloc before 5.8: the pgprot (PAGE_KERNEL only)
  int NodeArg; ///< vmalloc_node/vzalloc_node: the NUMA node
  bool Zeroes;
};
const std::vector<FallbackAllocator> &fallbackAllocators();
const FallbackAllocator *lookupFallbackAllocator(const std::string &Name);

/// A kv* helper: Array takes (n, size, gfp), else (size, gfp); Node: a
/// last argument, the NUMA node.
struct KvHelper {
  const char *Name;
  bool Array;
  bool Zeroes;
  bool Node;
  VersionRange Kernels;
};
/// The helper for the shape, in the target kernel; nullptr when it has
/// none (before 4.12; an array on a node). An array that zeroes before
/// kvcalloc() is kvmalloc_array() with __GFP_ZERO (what v4.12's
/// conversions wrote).
const KvHelper *kvHelperFor(bool Array, bool Zeroes, bool Node,
                            KernelVersion Target);

/// A memalloc scope: every allocation between Save() and Restore(its
/// value) gets the scope's mask (GFP_NOIO, GFP_NOFS) whatever it asks for.
struct MemallocScope {
  const char *Save;
  const char *Restore;
};
const MemallocScope *lookupMemallocScope(const std::string &Save);

/// A warning macro an open-coded fallback may check its mask with before
/// the vmalloc call (`WARN_ON(!(flags & __GFP_FS))`, lustre's
/// libcfs_kvzalloc_cpt() in 4.11): kvmalloc_node() judges the mask itself
/// (4.12 warns, later kernels do not fall back), so the kv* call replaces
/// it, as v4.12 did.
bool isMaskWarning(const std::string &Macro);

/// Which masks kvmalloc_node() falls back to vmalloc for.
enum class KvmallocMaskRule {
  /// (flags & GFP_KERNEL) == GFP_KERNEL: v4.12 warns otherwise
  /// (WARN_ON_ONCE), v4.13+ quietly returns kmalloc_node()'s result.
  GfpKernelSuperset,
  /// gfpflags_allow_blocking(flags): GFP_NOFS and GFP_NOIO too (memalloc
  /// scopes inside vmalloc); GFP_NOWAIT/GFP_ATOMIC still kmalloc only.
  Blocking,
};
struct KvmallocRule {
  VersionRange Kernels;
  KvmallocMaskRule Masks;
  /// __GFP_NORETRY in the mask is "not supported" (kvmalloc_node's
  /// comment, every version).
  bool NoRetryUnsupported;
  const char *Source; ///< where the rule is read from
  /// This kernel's kvmalloc_node() overrides __GFP_REPEAT with
  /// __GFP_NORETRY for sizes up to PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER
  /// ("!costly requests"), so there the flag does nothing and the fix drops
  /// it: where that is read (nullptr: the flag is kept).
  const char *RepeatOverridden = nullptr;
};
/// The rule of the target kernel; nullptr before v4.12 (no kvmalloc).
const KvmallocRule *kvmallocRule(KernelVersion Target);

} // namespace vmalloc_lint

#endif
