// vmalloc-lowmem-gfp: a gfp mask without __GFP_HIGHMEM (or a zone modifier)
// passed to __vmalloc* before v4.12.
//
// Until v4.12 __vmalloc*() used the caller's mask as is: without
// __GFP_HIGHMEM the pages came from lowmem, which on 32-bit CONFIG_HIGHMEM
// systems is the scarce part of memory. The rule is about an absence, so it
// needs every bit of the mask: a wrapper's forwarding call is not judged
// (its callers are). The fix appends `| __GFP_HIGHMEM` when the mask is a
// constant written in the argument. The kernel range (< 4.12) is the
// registry row's. The message says whether the unit's configuration has
// CONFIG_HIGHMEM.
#include "matchers/checks/GfpCheck.h"
#include "matchers/kernel/VmallocApi.h"

namespace vmalloc_lint::checks {

void lowmemGfp(GfpSite &S) {
  const ZoneFlags &Z = S.zones();
  if (S.allocator().Returns != Provenance::Vmalloc || !Z.Highmem ||
      S.forwarded() || (S.effectiveMay() & (Z.Highmem | Z.Dma | Z.Dma32)))
    return;
  S.classify("lowmem");
  if (!S.enabled())
    return;
  // What the unit's own configuration says: lowmem is scarce only where
  // CONFIG_HIGHMEM is set (32-bit arm, x86, mips, powerpc ... with highmem).
  std::optional<bool> Highmem = S.configured("HIGHMEM");
  std::string Config =
      !Highmem   ? ""
      : *Highmem ? " (this configuration has CONFIG_HIGHMEM)"
                 : " (this configuration has no CONFIG_HIGHMEM: it matters on "
                   "those that do)";
  Finding F = S.atMask("gfp mask " + S.spelledMask() + " passed to " +
                       S.allocatorCall() +
                       " has no __GFP_HIGHMEM: before v4.12 the pages come "
                       "from lowmem on CONFIG_HIGHMEM systems" +
                       Config + "; add __GFP_HIGHMEM");
  S.fixByAppending(F, "__GFP_HIGHMEM");
  S.report(std::move(F));
}

} // namespace vmalloc_lint::checks
