// The CI patch gate: what a patch touches. Parses unified diffs, `git diff`
// output and `git format-patch` mails (a series, or an mbox of them), checks
// that the patch applies to a tree (or is already applied), and gives the
// post-image of every touched file with its added/changed lines and where
// each line is in the patch. Also the baseline key of a finding (the
// baseline file itself is read by tool/FindingsJson.h). Needs only LLVM
// Support: no Clang, no analysis.
#ifndef VMALLOC_LINT_PATCH_GATE_H
#define VMALLOC_LINT_PATCH_GATE_H

#include "matchers/Finding.h"

#include "llvm/ADT/StringRef.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace vmalloc_lint {

/// One line of a hunk body.
struct PatchLine {
  char Kind = ' ';        ///< ' ' context, '-' removed, '+' added
  std::string Text;       ///< without the prefix; ends in "\n" unless the
                          ///< patch says "\ No newline at end of file"
  unsigned InputLine = 0; ///< 1-based line in the patch input
};

struct Hunk {
  unsigned OldStart = 0, OldCount = 0, NewStart = 0, NewCount = 0;
  std::string Header;     ///< "@@ -1,3 +1,4 @@"
  unsigned InputLine = 0; ///< line of the @@ header
  std::vector<PatchLine> Lines;
};

/// The change of one file in one patch. Paths are relative to the tree root
/// with git's a/ and b/ prefixes removed; "" stands for /dev/null.
struct FilePatch {
  std::string OldPath, NewPath;
  bool Binary = false;
  bool Symlink = false;   ///< mode 120000: the text is a link's target
  unsigned InputLine = 0; ///< first line of the file's header
  std::vector<Hunk> Hunks;
  bool isNew() const { return OldPath.empty(); }
  bool isDeleted() const { return NewPath.empty(); }
  const std::string &path() const {
    return NewPath.empty() ? OldPath : NewPath;
  }
};

/// A parsed patch: every file change, in input order (a series touches a
/// file once per patch that changes it).
struct PatchSet {
  std::vector<FilePatch> Files;
  unsigned Mails = 0;     ///< format-patch mails seen ("From <sha> ..." lines)
  unsigned HunkLines = 0; ///< lines of every hunk body (checkpatch's "lines
                          ///< checked")
};

/// Git's C-style quoting ("a/dir/\303\251 x.c": octal escapes, \t \n \"
/// \\ ...): unquotes the quoted string at the start of S into Out and drops
/// it from S. False (S untouched) when S does not start with a well-formed
/// quoted string.
bool unquoteGitPath(llvm::StringRef &S, std::string &Out);

/// P as git quotes it when it holds a control character, '"' or '\' (else
/// P itself): one line whatever the name holds. Bytes >= 0x80 are kept.
std::string quotePath(llvm::StringRef P);

/// Why P, a path of a patch, cannot name a file inside the tree (absolute,
/// a '..', '.' or empty component, a NUL byte), or "".
std::string unsafePath(llvm::StringRef P);

/// Parses Text. Returns "" or a one-line reason ("patch line N: ...").
std::string parsePatch(llvm::StringRef Text, PatchSet &Out);

/// Where a line of a post-image comes from in the patch.
struct PatchOrigin {
  unsigned InputLine = 0; ///< 0: the line is not in any hunk
  char Kind = ' ';        ///< '+' or ' '
};

/// A file as it is after the patch, with the lines the patch added or
/// changed.
struct TouchedFile {
  std::string Path;                 ///< relative to the tree root
  std::string Content;              ///< post-image
  std::set<unsigned> Changed;       ///< 1-based lines added or changed
  std::vector<PatchOrigin> Origins; ///< per line (index line-1)
};

/// What a tree looks like from the patch's side.
struct GateChanges {
  std::vector<TouchedFile> Files;   ///< files that exist after the patch
  bool AlreadyApplied = false;      ///< the tree holds the post-image
  unsigned Deleted = 0;             ///< files the patch deletes
  std::vector<std::string> Skipped; ///< binary files not checked (git modes)
  std::vector<std::string> SkippedLinks; ///< symlink changes, not checked
};

/// Reads a file of the tree (relative path); nullopt when it does not exist.
using TreeReader =
    std::function<std::optional<std::string>(const std::string &RelPath)>;

struct ApplyOptions {
  bool AllowForward = true;  ///< the tree may be at the pre-image
  bool BinaryIsError = true; ///< else binary file changes are skipped
};

/// Checks the patch against the tree: if the tree already holds the
/// post-image (every file patch reverses cleanly, as `git apply -R --check`)
/// the tree is used as it is; else if the patch applies (`git apply
/// --check`, hunks found at their line or shifted, context exact) the
/// post-image is computed in memory. Returns "" or a one-line reason naming
/// the file and hunk.
std::string resolveChanges(const PatchSet &P, const TreeReader &Read,
                           const ApplyOptions &Options, GateChanges &Out);

/// Finds the TouchedFile of an absolute path (nullptr: not touched).
using TouchedLookup =
    std::function<const TouchedFile *(const std::string &AbsPath)>;

/// Whether a change touches F: its location, one of its macro expansion
/// sites or one of its notes' locations (pass 2: the allocation whose memory
/// reaches the sink) is on a line the change added or changed, or its fix
/// edits such a line.
bool touchesFinding(const Finding &F, const TouchedLookup &Touched);

/// The baseline key of a finding: check, file, the code line and its
/// context, not the line number. Code is the finding's line with runs of
/// whitespace collapsed and trimmed; Context is a hash of the nearest
/// non-blank line above and below it (normalised the same way).
struct FindingKey {
  std::string Check, File, Code, Context;
  bool operator<(const FindingKey &O) const {
    return std::tie(Check, File, Code, Context) <
           std::tie(O.Check, O.File, O.Code, O.Context);
  }
};
FindingKey findingKey(const std::string &Check, const std::string &DisplayFile,
                      llvm::StringRef FileText, unsigned Line);
/// A stable 16-hex-digit digest of a key (SARIF partialFingerprints).
std::string keyDigest(const FindingKey &K);

/// Which of Current are in the baseline: first exact keys (check, file, code,
/// context), then, for what is left, check, file and code alone, one
/// baseline entry per finding. Returns one flag per entry of Current.
std::vector<bool> matchBaseline(const std::vector<FindingKey> &Current,
                                const std::vector<FindingKey> &Baseline);

/// 1-based line of a byte offset in Text.
unsigned lineOfOffset(llvm::StringRef Text, unsigned Offset);

} // namespace vmalloc_lint

#endif
