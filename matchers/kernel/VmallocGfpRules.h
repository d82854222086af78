// The gfp flags vmalloc does not honour, as data keyed by kernel version:
// what the tree's mm/vmalloc.c documents for __vmalloc_node_range().
#ifndef VMALLOC_LINT_VMALLOC_GFP_RULES_H
#define VMALLOC_LINT_VMALLOC_GFP_RULES_H

#include "matchers/kernel/KernelVersion.h"

#include <vector>

namespace vmalloc_lint {

struct UnsupportedGfpRule {
  const char *Flag; ///< macro name; for a required flag, the flag required
  bool Required;    ///< true: the mask must contain Flag
  VersionRange Versions;
  const char *Why;
};
const std::vector<UnsupportedGfpRule> &unsupportedGfpRules();

} // namespace vmalloc_lint

#endif
