// After the analysis: every FixRequest of the findings becomes a FixIt, or a
// "no fix" note that says why. Front ends call buildFixes once per
// translation unit, on the analysis result, before merging units.
#ifndef VMALLOC_LINT_FIX_BUILDER_H
#define VMALLOC_LINT_FIX_BUILDER_H

#include "matchers/Finding.h"

#include <optional>
#include <string>

namespace vmalloc_lint {

/// The fix one request asks for; nullopt and the reason in WhyNot when there
/// is no safe edit.
std::optional<FixIt> buildFix(const FixRequest &R, std::string &WhyNot);

/// Builds the requested fixes of every finding: the first request that
/// gives a fix (with the Joined requests after it, all of which must build:
/// their edits are its edits) is the finding's fix; when the finding's own
/// request gives none, the reason is a note. The hash of every file a built fix
/// edits is recorded in R.FileHashes. Requests are consumed.
void buildFixes(AnalysisResult &R);

} // namespace vmalloc_lint

#endif
