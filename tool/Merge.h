// `vmalloc-lint merge`: the --format json results of several runs (shards
// of one tree, or any runs) read back into one result.
#ifndef VMALLOC_LINT_MERGE_H
#define VMALLOC_LINT_MERGE_H

#include "matchers/Finding.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace vmalloc_lint {

/// Adds the findings of one --format json output to Into (de-duplicated as
/// mergeResults does). Relative paths are taken relative to Root, as the
/// run that wrote them printed them. KernelVersion is set from the input
/// ("mixed" when inputs disagree). Returns "" or a one-line reason.
std::string mergeFindingsJson(llvm::StringRef Json, const std::string &Root,
                              AnalysisResult &Into, std::string &KernelVersion);

} // namespace vmalloc_lint

#endif
