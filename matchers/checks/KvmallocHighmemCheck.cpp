// vmalloc-kvmalloc-highmem: __GFP_HIGHMEM or __GFP_DMA32 passed to kvmalloc*.
//
// kvmalloc*() try kmalloc first, and slab rejects both flags
// (GFP_SLAB_BUG_MASK in mm/internal.h): this is a bug, not a redundancy.
// __GFP_HIGHMEM is dropped by the fix (the vmalloc fallback adds it itself);
// __GFP_DMA32 asks for memory kvmalloc cannot give (vmalloc_32() or the DMA
// API can), so it gets no fix.
#include "matchers/checks/GfpCheck.h"
#include "matchers/kernel/VmallocApi.h"

namespace vmalloc_lint::checks {

void kvmallocHighmem(GfpSite &S) {
  if (S.allocator().Returns != Provenance::MaybeVmalloc)
    return;
  const ZoneFlags &Z = S.zones();
  for (uint64_t Flag : {Z.Highmem, Z.Dma32}) {
    if (!Flag || !(S.ownMust() & Flag))
      continue;
    const bool IsHigh = Flag == Z.Highmem;
    S.classify("kvmalloc-highmem");
    if (!S.enabled())
      continue;
    std::string Name =
        S.spelledFlag(Flag, IsHigh ? "__GFP_HIGHMEM" : "__GFP_DMA32");
    Finding F = S.atFlag(
        Flag, IsHigh ? Name + " passed to " + S.allocatorCall() +
                           ": the kmalloc path rejects it (GFP_SLAB_BUG_MASK) "
                           "and the vmalloc fallback adds it itself"
                     : Name + " passed to " + S.allocatorCall() +
                           ": slab rejects it (GFP_SLAB_BUG_MASK) and "
                           "kvmalloc memory is not 32-bit addressable; use "
                           "vmalloc_32() or the DMA API");
    if (IsHigh)
      S.fixByDropping(F, Z.Highmem, "__GFP_HIGHMEM");
    S.report(std::move(F));
  }
}

} // namespace vmalloc_lint::checks
