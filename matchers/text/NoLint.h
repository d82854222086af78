// Inline suppressions with clang-tidy 19's rules
// (clang-tools-extra/clang-tidy/NoLintDirectiveHandler.cpp), as a filter over
// the result records, shared by every CLI mode, the gate and the plugin:
//
//  - `NOLINT` or `NOLINT(checks)` anywhere on the finding's line,
//  - `NOLINTNEXTLINE` or `NOLINTNEXTLINE(checks)` on the line before it,
//  - the finding between a `NOLINTBEGIN(checks)` and the next
//    `NOLINTEND(checks)` of the same check list (blocks nest; an unmatched
//    BEGIN or END is ignored, clang-tidy reports it as clang-tidy-nolint),
//  - for a finding in a macro, the same at each macro expansion site.
//
// The directive is found in the raw text of the line (a comment or not, as
// clang-tidy does); the check list is comma-separated globs ('*' matches any
// run), trimmed, '-' items dropped; `NOLINT()` suppresses nothing and a
// `(` without its `)` on the line is the bare form (every check).
#ifndef VMALLOC_LINT_NOLINT_H
#define VMALLOC_LINT_NOLINT_H

#include "matchers/Finding.h"

#include "llvm/ADT/StringRef.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// A NOLINT directive in a buffer.
struct NoLintToken {
  enum class Kind { NoLint, NextLine, Begin, End };
  Kind What = Kind::NoLint;
  size_t Pos = 0;      ///< offset of "NOLINT"
  bool Listed = false; ///< has a (check list)
  std::string Checks;  ///< the list, its items trimmed ("" when !Listed)
  /// Whether it names Check (a bare directive names every check).
  bool suppresses(llvm::StringRef Check) const;
};

/// Every NOLINT directive of Buffer, in order.
std::vector<NoLintToken> noLintTokens(llvm::StringRef Buffer);

/// A NOLINTBEGIN/NOLINTEND pair: suppresses Begin's checks strictly between.
struct NoLintBlock {
  NoLintToken Begin;
  size_t EndPos = 0;
};
/// The blocks of Buffer (a stack: an END closes the innermost open BEGIN if
/// their check lists are the same, else it is unmatched).
std::vector<NoLintBlock> noLintBlocks(llvm::StringRef Buffer);

/// Whether a directive of Buffer suppresses Check at byte Offset: on the line,
/// on the line before, or by one of Blocks (noLintBlocks(Buffer)).
bool noLintAt(llvm::StringRef Buffer, const std::vector<NoLintBlock> &Blocks,
              size_t Offset, llvm::StringRef Check);
/// The same: the offset of the directive that suppresses it (a
/// NOLINTBEGIN's for a block), or StringRef::npos.
size_t noLintDirectiveAt(llvm::StringRef Buffer,
                         const std::vector<NoLintBlock> &Blocks, size_t Offset,
                         llvm::StringRef Check);

/// --warn-unused-nolint: the directives of Buffer that suppressed nothing
/// (their offsets are not in Used) and that only this tool's checks can use:
/// a check list whose every item matches checks of Known (the registry's
/// names), each of them Enabled in this run. A bare NOLINT, a list naming
/// another tool's check, and NOLINTEND are never reported.
std::vector<NoLintToken>
unusedNoLints(llvm::StringRef Buffer, const std::set<size_t> &Used,
              const std::vector<std::string> &Known,
              const std::function<bool(const std::string &)> &Enabled);

/// The filter over the records: the text of the files findings point into
/// comes from TextOf (the text as analysed: a gate's post-image, a plugin's
/// buffer); nullptr when it cannot be read (nothing there is suppressed).
class NoLintFilter {
public:
  using TextOf = std::function<const std::string *(const std::string &File)>;
  explicit NoLintFilter(TextOf Text) : Text(std::move(Text)) {}
  /// A directive at the finding's place or at one of its expansion sites.
  bool suppresses(const Finding &F);
  /// Drops the suppressed findings; returns how many it dropped.
  size_t apply(std::vector<Finding> &Findings);
  /// The offsets of the directives that suppressed a finding, by file.
  const std::map<std::string, std::set<size_t>> &used() const { return Used; }

private:
  bool at(const SourcePoint &P, const std::string &Check);
  TextOf Text;
  std::map<std::string, std::vector<NoLintBlock>> Blocks;
  std::map<std::string, std::set<size_t>> Used;
};

/// A TextOf that reads the files from disk (once each), Overlay's text first
/// (absolute path -> text; may be null).
NoLintFilter::TextOf
noLintTextFromDisk(const std::map<std::string, std::string> *Overlay);

} // namespace vmalloc_lint

#endif
