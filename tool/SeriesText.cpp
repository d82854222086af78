#include "tool/SeriesText.h"

namespace vmalloc_lint {

namespace {
// Verified: 19809c2da28a is the id linux-mm threads cite for the v4.12
// change ("Regression after commit 19809c2da28a ..."); a7c3e901a46f and
// 39f1f78d53b9 are cited with their titles by compat layers (amdgpu's
// dkms configure checks) and by later upstream commits.
const UpstreamCommit ImplicitHighmem{
    "19809c2da28a", "mm, vmalloc: use __GFP_HIGHMEM implicitly", "4.12"};
const UpstreamCommit KvmallocHelpers{
    "a7c3e901a46f", "mm: introduce kv[mz]alloc helpers", "4.12"};
const UpstreamCommit Kvfree{"39f1f78d53b9", "nick kvfree() from apparmor",
                            "3.15"};
// Cited by docs/api-migration.md (checked there with the search tool).
const UpstreamCommit VmallocPgprot{
    "88dca4ca5a93", "mm: remove the pgprot argument to __vmalloc", "5.8"};
} // namespace

const std::vector<SeriesText> &seriesTexts() {
  static const std::vector<SeriesText> Rows = {
      {"vmalloc-redundant-highmem",
       "drop redundant __GFP_HIGHMEM from {callees}",
       "vmalloc calls",
       "drop redundant __GFP_HIGHMEM",
       "Since Linux 4.12 the vmalloc allocator adds __GFP_HIGHMEM itself to "
       "the gfp mask of the pages it maps ({commit0}); only a mask with a "
       "zone modifier (GFP_DMA, GFP_DMA32, as vmalloc_32() uses) goes "
       "without it. The __GFP_HIGHMEM passed to {callees} is therefore "
       "redundant.",
       "Drop __GFP_HIGHMEM from the mask. The allocation does not change.",
       {ImplicitHighmem}},
      {"vmalloc-lowmem-gfp",
       "pass __GFP_HIGHMEM to {callees}",
       "vmalloc calls",
       "pass __GFP_HIGHMEM to vmalloc",
       "Before Linux 4.12 the vmalloc allocator used the caller's gfp mask "
       "as it is for the pages it maps, so the mask passed to {callees} "
       "without __GFP_HIGHMEM takes them from lowmem on CONFIG_HIGHMEM "
       "systems, although they are only ever reached through the vmalloc "
       "mapping. Linux 4.12 made the "
       "allocator add __GFP_HIGHMEM itself ({commit0}); this tree is older.",
       "Add __GFP_HIGHMEM to the mask, as vmalloc() does, so that the pages "
       "can come from highmem.",
       {ImplicitHighmem}},
      {"vmalloc-kvmalloc-highmem",
       "drop __GFP_HIGHMEM from {callees}",
       "kvmalloc calls",
       "drop __GFP_HIGHMEM from kvmalloc",
       "The kvmalloc() family ({callees} here) tries kmalloc() first and "
       "falls back to vmalloc (Linux 4.12, {commit0}). "
       "The slab allocator does not take __GFP_HIGHMEM: it is in "
       "GFP_SLAB_BUG_MASK (mm/internal.h), so the kmalloc() attempt hits "
       "the slab allocator's invalid gfp mask check, while the vmalloc "
       "fallback adds __GFP_HIGHMEM by itself ({commit1}).",
       "Drop __GFP_HIGHMEM from the mask.",
       {KvmallocHelpers, ImplicitHighmem}},
      {"vmalloc-virt-to-phys",
       "use {new} for vmalloc memory",
       "",
       "use {new}",
       "{old} is valid only for addresses of the kernel's linear mapping. "
       "The memory passed to it here comes from vmalloc, vmap or kvmalloc "
       "(which falls back to vmalloc), and vmalloc memory is mapped "
       "elsewhere: {old} of it gives a wrong result, and a warning with "
       "CONFIG_DEBUG_VIRTUAL.",
       "Use {new}, which looks the address up in the vmalloc mapping.",
       {}},
      {"vmalloc-open-coded-kvfree",
       "use kvfree()",
       "",
       "use kvfree()",
       "The code chooses between vfree() and kfree() with "
       "is_vmalloc_addr(), which is what kvfree() does (Linux 3.15, "
       "{commit0}).",
       "Replace the open-coded choice with kvfree().",
       {Kvfree},
       // A call of a function whose whole body is kvfree() of its
       // parameter (drbd's bm_vk_free(), cxgb4's t4_free_mem() in 4.11).
       {{"wrapper-call",
         "{callees} does nothing but pass its parameter to kvfree() (Linux "
         "3.15, {commit0}).",
         "With that, {callees} does nothing but pass its parameter to "
         "kvfree().",
         "Call kvfree() in place of {callees}."}}},
      {"vmalloc-open-coded-kvmalloc",
       "use kvmalloc() instead of open-coding it",
       "",
       "use kvmalloc()",
       "The code tries kmalloc() and falls back to vmalloc() on failure or "
       "by size, which is what kvmalloc() and its variants do (Linux 4.12, "
       "{commit0}); this kernel's kvmalloc() falls back to vmalloc for this "
       "gfp mask.",
       "Replace the open-coded fallback with one kvmalloc-family call.",
       {KvmallocHelpers}},
      {"vmalloc-api-migration",
       "convert {callees} to the current vmalloc API",
       "vmalloc calls",
       "convert to the current vmalloc API",
       "The vmalloc API of the target kernel no longer has these calls in "
       "this form (for instance {commit0}).",
       "Rewrite each call as upstream rewrote its own callers.",
       {VmallocPgprot}},
  };
  return Rows;
}

const SeriesText *seriesText(llvm::StringRef Check) {
  for (const SeriesText &T : seriesTexts())
    if (Check == T.Check)
      return &T;
  return nullptr;
}

} // namespace vmalloc_lint
