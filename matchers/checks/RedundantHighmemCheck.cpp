// vmalloc-redundant-highmem: __GFP_HIGHMEM passed to a vmalloc allocator.
//
// Since v4.12 ("mm, vmalloc: use __GFP_HIGHMEM implicitly") vmalloc adds
// __GFP_HIGHMEM to the mask itself (from v4.14 unless the mask has a zone
// modifier), so a caller that still passes it carries a redundant flag. The
// fix drops it from the argument as written (or from the caller's gfp macro,
// or swaps a composite such as GFP_HIGHUSER for its counterpart without the
// flag). The kernel range (>= 4.12) is the check's registry row.
#include "matchers/checks/GfpCheck.h"
#include "matchers/kernel/VmallocApi.h"

namespace vmalloc_lint::checks {

void redundantHighmem(GfpSite &S) {
  const uint64_t Highmem = S.zones().Highmem;
  if (S.allocator().Returns != Provenance::Vmalloc || !Highmem ||
      !(S.ownMust() & Highmem))
    return;
  S.classify("redundant-highmem");
  if (!S.enabled())
    return;
  Finding F = S.atFlag(Highmem, "redundant __GFP_HIGHMEM passed to " +
                                    S.allocatorCall() +
                                    ": vmalloc adds it itself since v4.12");
  S.fixByDropping(F, Highmem, "__GFP_HIGHMEM");
  S.report(std::move(F));
}

} // namespace vmalloc_lint::checks
