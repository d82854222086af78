// The tree's MAINTAINERS file, read as scripts/get_maintainer.pl reads it:
// sections of typed lines (M:, R:, L:, F:, X:, N: ...), F:/X: patterns
// turned into the same regular expressions (`.` literal, `*` any text, `?`
// one character, a directory given a trailing `/`), and a file matched the
// same way (an X: excludes the section; an F: without a trailing `/`
// matches files at its own depth only; an N: is a regular expression on the
// path; the section's depth is its last matching line's, N: counting 0).
// The most specific section of a file is the deepest; a tie goes to the
// section that comes first in the file.
#ifndef VMALLOC_LINT_MAINTAINERS_H
#define VMALLOC_LINT_MAINTAINERS_H

#include <string>
#include <utility>
#include <vector>

namespace vmalloc_lint {

struct MaintainersEntry {
  std::string Name;                     ///< the section's title line
  std::vector<std::string> Maintainers; ///< M:
  std::vector<std::string> Reviewers;   ///< R:
  std::vector<std::string> Lists;       ///< L:
  std::string Status;                   ///< S:
  std::vector<std::string> Files;       ///< F:, converted to regexes
  std::vector<std::string> Excludes;    ///< X:, converted to regexes
  std::vector<std::string> Names;       ///< N:
  /// The F: and N: lines in their order ('F' or 'N', converted value).
  std::vector<std::pair<char, std::string>> Patterns;
};

/// A match of a file: the section and its depth (get_maintainer.pl's
/// "pattern depth": the number of `/` of the pattern, plus one for a file
/// pattern; -1 for a pattern that begins with `*`).
struct MaintainersMatch {
  size_t Entry = 0;
  int Depth = 0;
};

class Maintainers {
public:
  /// Parses Text (a MAINTAINERS file); Root is the directory the F: and X:
  /// patterns are relative to (get_maintainer.pl runs at the tree root),
  /// for the "a directory gets a trailing /" rule.
  static Maintainers parse(const std::string &Text, const std::string &Root);
  const std::vector<MaintainersEntry> &entries() const { return Entries; }
  /// Every section matching Rel (a path relative to the root), deepest
  /// first (ties in file order), as get_maintainer.pl orders them.
  std::vector<MaintainersMatch> match(const std::string &Rel) const;
  /// The most specific section of Rel, or nullptr.
  const MaintainersEntry *best(const std::string &Rel) const;

private:
  std::vector<MaintainersEntry> Entries;
};

/// get_maintainer.pl's file_match_pattern: Pattern is a converted F:/X:
/// regex.
bool maintainersFileMatch(const std::string &Rel, const std::string &Pattern);

} // namespace vmalloc_lint

#endif
