// The prefilter's knowledge of the checks: which names each selected check
// needs in a unit's text (tool/Prefilter.h's PrefilterNeeds).
#ifndef VMALLOC_LINT_PREFILTER_NEEDS_H
#define VMALLOC_LINT_PREFILTER_NEEDS_H

#include "matchers/CheckGlob.h"
#include "matchers/CrossFileFacts.h"
#include "tool/Prefilter.h"

namespace vmalloc_lint {

/// What each selected check needs in a unit's text (the prefilter's
/// groups; tool/Prefilter.h). A check about one flag needs the family and a
/// name of the flag (a macro or function of the scanned headers that spells
/// it counts too); checks whose finding is a flag's absence (lowmem-gfp, the
/// required-flag rules of unsupported-gfp) need the family only; pass 2
/// needs any name its tables know. A check not listed here gets pass 2's
/// group, which holds the family too.
PrefilterNeeds prefilterNeeds(const CheckGlob &Glob, bool Census,
                              const CrossFileFacts *Imported, bool ExportFacts);

} // namespace vmalloc_lint

#endif
