// --series DIR: the fixes as a `git format-patch` style series, one patch
// per MAINTAINERS section (tool/Maintainers.h) and a cover letter, each
// patch's To/Cc from the tree's scripts/get_maintainer.pl, checked with
// the tree's scripts/checkpatch.pl --strict, and with --series-build each
// touched .c file compiled with kbuild before and after the fix. The diffs
// are --diff's (tool/ApplyFixes.h); the words are tool/SeriesText.h's.
#ifndef VMALLOC_LINT_SERIES_MODE_H
#define VMALLOC_LINT_SERIES_MODE_H

#include "matchers/Finding.h"
#include "tool/ApplyFixes.h"
#include "tool/Maintainers.h"

#include <string>
#include <vector>

namespace vmalloc_lint {

struct SeriesRequest {
  std::string Dir;     ///< --series DIR (created if missing)
  std::string Signoff; ///< --signoff "Name <email>" ("": git's user)
  bool Build = false;  ///< --series-build
  std::string Root;    ///< the tree root the diffs are relative to
  std::string Rules;   ///< the kernel rules applied ("6.1")
  /// The tree's own version when --kernel-version chose newer rules.
  std::string TreeVersion;
  std::string Command; ///< the command line, for the cover letter
  /// The analysed units (absolute): --series-build builds those that
  /// include a header the series changes.
  std::vector<std::string> Units;
};

/// Writes the series; returns the exit status (0, or 1 when a patch is
/// not checkpatch-clean or a build shows new warnings or fails); usage
/// errors exit.
int writeSeries(const SeriesRequest &Q, const FixPlan &Plan,
                const AnalysisResult &R);

/// How a subsystem writes its subjects, from Subjects (git log %s, newest
/// first): the most common prefix, the leading "part: part: " of a subject
/// (a part is one or two words, commas joining words: "mm, vmalloc",
/// "dm writecache", "drm/i915"; ties go to the newest), and whether the
/// text after it usually begins with a capital ("KVM: arm64: Fix ...").
/// Prefix is "" if no subject has one.
struct SubjectStyle {
  std::string Prefix;
  bool Capitalised = false;
};
SubjectStyle subjectStyle(const std::vector<std::string> &Subjects);
/// The prefix a path gives when neither the history nor MAINTAINERS
/// gives one: the arch of arch/X/..., drm/X of drivers/gpu/drm/X/..., else
/// the deepest directory ("drivers/block/drbd/drbd_bitmap.c" -> "drbd",
/// "mm/vmalloc.c" -> "mm"), or the header's stem for include/linux/x.h.
std::string pathSubjectPrefix(const std::string &Rel);
/// The prefix a MAINTAINERS section's name gives when the history gives
/// none: its parenthesised "SUBSYSTEM/part" ("... (KVM/arm64)" -> "KVM:
/// arm64"), else "".
std::string sectionSubjectPrefix(const std::string &Section);
/// The longest a subject's summary phrase ("prefix: what", after "[PATCH
/// n/m] ") should be: submitting-patches.rst's "no more than 70-75
/// characters" (git log --oneline, shortlogs).
constexpr size_t MaxSubjectSummary = 75;
/// A patch subject's what from the wordings of its checks (registry
/// order), each longest first (the callees named, their family, the short
/// form): of the "a, b and c" that fit in MaxSubjectSummary after a prefix
/// of PrefixLen characters and ": ", the one with the fewest wordings
/// shortened (the sum of their ranks), then the longest; if none fits, the
/// shortest.
std::string
seriesSubjectWhat(const std::vector<std::vector<std::string>> &Forms,
                  size_t PrefixLen);
/// The prefix a section's file family gives when neither the history nor
/// the section's name gives one: an F: glob "dir/stem*" of the section
/// matching each of Rels, each named "stem-part..." (DEVICE-MAPPER's
/// "drivers/md/dm*"): "stem part" for one file ("dm bufio", as dm's own
/// subjects write it), "stem" for several ("dm"); else "".
std::string familySubjectPrefix(const MaintainersEntry &E,
                                const std::vector<std::string> &Rels);
/// Body text wrapped at Width columns (paragraphs kept).
std::string wrapText(const std::string &Text, unsigned Width);

} // namespace vmalloc_lint

#endif
