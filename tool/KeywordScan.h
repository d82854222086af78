// The prefilter's multi-keyword scan: which groups of names a text mentions
// as whole C identifiers (also with the `_noprof` suffix of 6.10+
// allocation profiling), on a multi-literal matcher (Vectorscan, Debian's
// libvectorscan-dev) instead of a walk over every identifier of the tree.
// Exactly the answer of a forEachIdentifier() walk that looks each
// identifier up (test/unit/PrefilterTest.cpp compares the two).
#ifndef VMALLOC_LINT_KEYWORD_SCAN_H
#define VMALLOC_LINT_KEYWORD_SCAN_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vmalloc_lint {

class KeywordScan {
public:
  /// Names with the groups (bits) each belongs to. Names that are no C
  /// identifier can never be mentioned as one and are left out.
  explicit KeywordScan(
      const std::vector<std::pair<std::string, uint32_t>> &Names);
  ~KeywordScan();
  KeywordScan(const KeywordScan &) = delete;
  KeywordScan &operator=(const KeywordScan &) = delete;

  /// The groups Text mentions; may stop early once it has all of Want.
  /// Safe to call from several threads at once.
  uint32_t scan(llvm::StringRef Text, uint32_t Want) const;

private:
  struct Impl;
  std::unique_ptr<Impl> I;
};

} // namespace vmalloc_lint

#endif
