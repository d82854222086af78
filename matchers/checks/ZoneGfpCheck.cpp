// vmalloc-zone-gfp: GFP_DMA or GFP_DMA32 passed to __vmalloc*, or a zone mix
// the tree's GFP_ZONE_BAD rejects.
//
// vmalloc does not honour zone modifiers (6.1's __vmalloc_node_range(): "Zone
// modifiers are not supported"); a caller that passes one wanted memory a
// 32-bit device can reach, which is what vmalloc_32*() gives. Between v4.12
// and v4.14 vmalloc added __GFP_HIGHMEM even to a DMA mask, so the mix is
// judged with it there. The impossible mixes are the tree's own GFP_ZONE_BAD
// table, evaluated from its gfp.h. No fix: the right call is a human's choice.
#include "matchers/checks/GfpCheck.h"
#include "matchers/kernel/VmallocApi.h"

#include "llvm/ADT/StringRef.h"

namespace vmalloc_lint::checks {

void zoneGfp(GfpSite &S) {
  const ZoneFlags &Z = S.zones();
  const uint64_t Zone = Z.Dma | Z.Dma32, Own = S.ownMust();
  if (S.allocator().Returns != Provenance::Vmalloc || !Zone || !(Own & Zone))
    return;
  uint64_t ZoneBits = S.effective() & Z.ZoneMask;
  if (S.version() >= KernelVersion{4, 12} && S.version() < KernelVersion{4, 14})
    ZoneBits |= Z.Highmem;
  std::optional<bool> Bad = S.zoneBad(ZoneBits);
  const bool IsBad = Bad && *Bad;
  S.classify(IsBad ? "zone-bad" : "zone-modifier");
  if (!S.enabled())
    return;
  const bool Dma32 = Own & Z.Dma32;
  std::string Name =
      S.spelledFlag(Dma32 ? Z.Dma32 : Z.Dma, Dma32 ? "GFP_DMA32" : "GFP_DMA");
  bool User = llvm::StringRef(S.allocator().Name).contains("user");
  std::string Msg = Name + " passed to " + S.allocatorCall() +
                    ": vmalloc does not honour zone modifiers";
  if (IsBad)
    Msg += ", and " + S.describe(ZoneBits) +
           " is a zone combination the tree's GFP_ZONE_BAD rejects";
  Msg += std::string("; use ") + (User ? "vmalloc_32_user()" : "vmalloc_32()") +
         " for 32-bit addressable memory";
  S.report(S.atFlag(Dma32 ? Z.Dma32 : Z.Dma, Msg));
}

} // namespace vmalloc_lint::checks
