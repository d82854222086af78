// What a patch of --series says for each check that has a fix: the
// subject's "what" in kernel style and the body's "why" and "what", with
// the kernel change behind the rule (version, upstream commit id and
// title, verified against the mailing-list archives and kernel trees).
// Kernel knowledge as data: one row per check with a fix (registry
// FixKind other than None; test/unit/SeriesTest.cpp checks they all have
// one).
#ifndef VMALLOC_LINT_SERIES_TEXT_H
#define VMALLOC_LINT_SERIES_TEXT_H

#include "llvm/ADT/StringRef.h"

#include <vector>

namespace vmalloc_lint {

struct UpstreamCommit {
  const char *Id;      ///< 12 hex digits
  const char *Title;   ///< its subject line
  const char *Release; ///< the first release that has it ("4.12")
};

/// Placeholders: {callees} the functions of the findings ("__vmalloc()",
/// "__vmalloc() and vzalloc()"); {old} and {new} the text a fix replaces
/// and its replacement (renames); {commit0}, {commit1} the commits.
/// The words of a check's findings of one class (Finding::Class) where the
/// check's own Why and What would not be true of them: a call of a kvfree()
/// wrapper chooses nothing. {callees} are then those findings' only.
struct SeriesClassText {
  const char *Class;
  const char *Why;
  /// Why, when the patch also has findings of the check's own class (a
  /// wrapper whose body the patch itself turns into the call).
  const char *WhyWithOwn;
  const char *What;
};

struct SeriesText {
  const char *Check;
  const char *Subject; ///< lower case, no final period
  /// {callees} in a subject that would be too long with their names.
  const char *Family;
  /// The subject's what at its shortest ("drop redundant __GFP_HIGHMEM"):
  /// for a patch of several checks whose subject would be over 75
  /// characters otherwise (seriesSubjectWhat()).
  const char *Short;
  const char *Why;  ///< one paragraph
  const char *What; ///< one paragraph: what the patch does
  std::vector<UpstreamCommit> Commits;
  std::vector<SeriesClassText> Classes = {};
};

/// The row of Check, or nullptr.
const SeriesText *seriesText(llvm::StringRef Check);
const std::vector<SeriesText> &seriesTexts();

} // namespace vmalloc_lint

#endif
