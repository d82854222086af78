// vmalloc-unsupported-gfp: gfp flags the target kernel's vmalloc does not
// honour.
//
// The rules are the data of matchers/kernel/VmallocGfpRules.cpp (from the
// tree's mm/vmalloc.c documentation, keyed by version): a mask without
// __GFP_DIRECT_RECLAIM (GFP_NOWAIT, GFP_ATOMIC: vmalloc may sleep), and
// __GFP_NORETRY / __GFP_RETRY_MAYFAIL (only __GFP_NOFAIL of the reclaim
// modifiers is supported). The required-flag rule is about an absence, so a
// wrapper's forwarding call is not judged. No fix: the caller must choose.
#include "matchers/checks/GfpCheck.h"
#include "matchers/kernel/VmallocApi.h"
#include "matchers/kernel/VmallocGfpRules.h"

namespace vmalloc_lint::checks {

void unsupportedGfp(GfpSite &S) {
  if (S.allocator().Returns != Provenance::Vmalloc)
    return;
  for (const UnsupportedGfpRule &Rule : unsupportedGfpRules()) {
    if (!Rule.Versions.contains(S.version()))
      continue;
    uint64_t Flag = S.flag(Rule.Flag);
    if (!Flag)
      continue;
    bool Hit = Rule.Required ? (!S.forwarded() && !(S.effectiveMay() & Flag))
                             : (S.ownMust() & Flag) != 0;
    if (!Hit)
      continue;
    S.classify("unsupported-gfp");
    if (!S.enabled())
      continue;
    if (Rule.Required)
      S.report(S.atMask("gfp mask " + S.spelledMask() + " passed to " +
                        S.allocatorCall() + ": " + Rule.Why));
    else
      S.report(S.atFlag(Flag, std::string(Rule.Flag) + " passed to " +
                                  S.allocatorCall() + ": " + Rule.Why));
  }
}

} // namespace vmalloc_lint::checks
