#include "matchers/kernel/VmallocGfpRules.h"

namespace vmalloc_lint {

const std::vector<UnsupportedGfpRule> &unsupportedGfpRules() {
  // Sources: 6.1 mm/vmalloc.c, __vmalloc_node_range(): "Zone modifiers are
  // not supported. From the reclaim modifiers __GFP_DIRECT_RECLAIM is
  // required (aka GFP_NOWAIT is not supported) and only __GFP_NOFAIL is
  // supported (i.e. __GFP_NORETRY and __GFP_RETRY_MAYFAIL are not
  // supported)." vmalloc has always mapped its pages with page tables
  // allocated GFP_KERNEL, so a non-sleeping mask was never honoured. The
  // reclaim-modifier rules are keyed from 6.1, the earliest tree this
  // project verified the sentence in.
  static const std::vector<UnsupportedGfpRule> Rules = {
      {"__GFP_DIRECT_RECLAIM",
       true,
       {{2, 6}, {0, 0}},
       "no __GFP_DIRECT_RECLAIM, but vmalloc may sleep (it allocates page "
       "tables with GFP_KERNEL); GFP_NOWAIT and GFP_ATOMIC are not "
       "supported"},
      {"__GFP_NORETRY",
       false,
       {{6, 1}, {0, 0}},
       "not supported by vmalloc (of the reclaim modifiers only __GFP_NOFAIL "
       "is)"},
      {"__GFP_RETRY_MAYFAIL",
       false,
       {{6, 1}, {0, 0}},
       "not supported by vmalloc (of the reclaim modifiers only __GFP_NOFAIL "
       "is)"},
  };
  return Rules;
}

} // namespace vmalloc_lint
