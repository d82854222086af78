// The prefilter's plan kept in the results cache's directory (docs/cache.md):
// a re-run over a tree none of whose scanned files changed reuses the last
// scan's decision instead of reading the tree again. Validated like git's
// index: for every input and every scanned header, its size, modification
// and change times (nanoseconds), inode and device as the scan saw them; a
// file whose times are within two seconds of the scan's start (it may have
// changed while the scan read it, or within one tick of a coarse clock) is
// in doubt, and a scan with a file in doubt is not kept. The entry's name
// is a digest of the tool's build, what the checks need (PrefilterNeeds)
// and the lists of files; it carries a checksum. At most a few entries are
// kept (the most recently used).
#ifndef VMALLOC_LINT_SCAN_CACHE_H
#define VMALLOC_LINT_SCAN_CACHE_H

#include "matchers/text/PrefilterNeeds.h"
#include "tool/Prefilter.h"

#include <optional>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// What the prefilter scans, and where its plan is kept.
struct ScanCacheKey {
  std::string Dir;    ///< the results cache's directory
  std::string Digest; ///< of the build, the needs and the file lists
};
ScanCacheKey scanCacheKey(const std::string &CacheDir,
                          const std::vector<std::string> &Inputs,
                          const std::vector<std::string> &ExtraHeaders,
                          const PrefilterNeeds &Needs);

/// The plan of Key if it is there, whole, and no file changed since.
std::optional<PrefilterPlan>
loadScanPlan(const ScanCacheKey &Key, const std::vector<std::string> &Inputs,
             const std::vector<std::string> &ExtraHeaders);

/// Keeps P, the plan of a scan that began at ScanStart (seconds since the
/// epoch), unless a file is in doubt; whether it did. Failures are silent:
/// the next run scans again.
bool storeScanPlan(const ScanCacheKey &Key,
                   const std::vector<std::string> &Inputs,
                   const std::vector<std::string> &ExtraHeaders,
                   const PrefilterPlan &P, double ScanStart);

} // namespace vmalloc_lint

#endif
