// From findings to changed files: collect the edits (a header's fix once),
// refuse files that changed since the analysis read them, write atomically,
// or render a unified diff that `git apply` accepts at the tree root.
#ifndef VMALLOC_LINT_APPLY_FIXES_H
#define VMALLOC_LINT_APPLY_FIXES_H

#include "matchers/Finding.h"

#include <map>
#include <string>
#include <vector>

namespace vmalloc_lint {

struct PlannedFile {
  std::string File;
  std::string Original;
  std::string Fixed;
  std::vector<TextEdit> Edits;
};

struct FixPlan {
  std::vector<PlannedFile> Files;
  std::vector<std::string> Problems; ///< one line each: a file refused
  /// One line each: a finding's fix left out because it overlaps another's
  /// (a note, not an error: --quiet does not print them).
  std::vector<std::string> Dropped;
  bool Refused = false; ///< a file changed since it was read: nothing written
};

/// Edits of every finding with a fix, grouped by file. A finding whose edits
/// overlap another's is dropped (and said in Dropped). Contents, if given,
/// holds the text of files analysed from memory (a patch's post-image).
FixPlan planFixes(const AnalysisResult &R,
                  const std::map<std::string, std::string> *Contents = nullptr);

/// Writes every planned file (temporary file + rename, all files staged
/// before the first rename). Returns "" or a one-line error.
std::string writeFixes(const FixPlan &Plan);

/// `diff -u` style, paths a/REL b/REL relative to Root; each hunk header
/// ends with git's function name for it (the `cpp` driver for the
/// extensions Root's .gitattributes gives `diff=cpp`, else git's default),
/// as `git diff` and `git format-patch` write it.
std::string unifiedDiff(const FixPlan &Plan, const std::string &Root);

} // namespace vmalloc_lint

#endif
