// Plain result records. Every output format (text, JSON, YAML, diff) is a
// view of these. The analysis (matchers/) produces them and never edits
// text: a finding that can be fixed carries a FixRequest, which rewriters/
// turns into a FixIt after the analysis (rewriters/FixBuilder.h), from
// these records alone.
#ifndef VMALLOC_LINT_FINDING_H
#define VMALLOC_LINT_FINDING_H

#include "matchers/provenance/CrossFileFacts.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// A place in a file. File is an absolute path; Offset is in bytes.
struct SourcePoint {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  unsigned Offset = 0;

  bool valid() const { return !File.empty(); }
  friend bool operator<(const SourcePoint &A, const SourcePoint &B) {
    if (A.File != B.File)
      return A.File < B.File;
    return A.Offset < B.Offset;
  }
  friend bool operator==(const SourcePoint &A, const SourcePoint &B) {
    return A.File == B.File && A.Offset == B.Offset;
  }
};

/// How sure a pass-2 finding is, most sure last (--min-confidence):
/// possible (memory that is vmalloc memory only through a field or global
/// the unit also assigns other memory), likely (on some paths only, through
/// a field assigned elsewhere or another file's facts, or kvmalloc memory:
/// vmalloc memory above a size), definite (the offending memory on every
/// path, in this function or its helpers).
enum class Confidence : uint8_t { None, Possible, Likely, Definite };
/// "possible", "likely", "definite" ("" for None).
const char *confidenceName(Confidence C);
/// The level of a name of confidenceName(), or nullopt.
std::optional<Confidence> parseConfidence(llvm::StringRef Name);
/// The finding is shown at this --min-confidence (pass-1 findings always).
inline bool meetsConfidence(Confidence Sure, Confidence Min) {
  return Sure == Confidence::None || Sure >= Min;
}
struct Finding;
/// Drops the findings below Min; returns how many.
size_t dropBelowConfidence(std::vector<Finding> &Findings, Confidence Min);

/// One text replacement (clang::tooling::Replacement as plain data).
struct TextEdit {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
  uint64_t FileHash = 0; ///< hash of the file as analysed (not compared)
  friend bool operator<(const TextEdit &A, const TextEdit &B) {
    if (A.File != B.File)
      return A.File < B.File;
    if (A.Offset != B.Offset)
      return A.Offset < B.Offset;
    if (A.Length != B.Length)
      return A.Length < B.Length;
    return A.Text < B.Text;
  }
  friend bool operator==(const TextEdit &A, const TextEdit &B) {
    return A.File == B.File && A.Offset == B.Offset && A.Length == B.Length &&
           A.Text == B.Text;
  }
};

struct FixIt {
  std::string Description;
  std::vector<TextEdit> Edits;
};

/// A gfp argument, or the body of a gfp macro, as it is written: the
/// operands of its OR chain (`GFP_KERNEL | __GFP_HIGHMEM`) with their values
/// and byte ranges, and the text that holds them. What the analysis knows of
/// the operands that carry the flag a fix is about is resolved here, so that
/// the rewriter needs neither the AST nor the preprocessor.
struct SpelledGfp {
  /// The argument is written in one place (one buffer, every operand's
  /// tokens in it).
  bool Valid = false;
  std::string File;      ///< absolute path of the buffer ("" if none)
  uint64_t FileHash = 0; ///< contentHash of the buffer as analysed
  unsigned Base = 0;     ///< offset of Text in the buffer
  std::string Text;      ///< the bytes from the first operand to the last

  struct Operand {
    std::string Text;              ///< as spelled
    std::optional<uint64_t> Value; ///< when it is a constant
    unsigned Begin = 0, End = 0;   ///< byte range in the buffer
    /// What an identifier operand that carries the fix's flag (without being
    /// the flag itself) names.
    enum class Macro {
      None,         ///< not a macro (an enum constant, a variable)
      FunctionLike, ///< a function-like macro
      Header,       ///< an object-like macro of a header (GFP_HIGHUSER)
      MainFile,     ///< an object-like macro of the analysed file
    };
    Macro Kind = Macro::None;
    /// Header: a GFP_* macro of the tree whose value is exactly this one's
    /// without the flag ("" when the tree has none).
    std::string Counterpart;
    /// MainFile: every expansion of the macro is a vmalloc-family gfp
    /// argument, so its body may be edited.
    bool OnlyVmallocGfp = false;
    /// Where the macro stands in the way of an edit of its body, as a note
    /// says it: MainFile and not OnlyVmallocGfp, the first other expansion
    /// ("vl-macro-gfp.c:52, in alloc_page()'s argument"); Header, the
    /// definition ("vl-macro-gfp.h:12").
    std::string Where;
    /// MainFile and OnlyVmallocGfp: the macro body's chain.
    std::shared_ptr<const SpelledGfp> Body;
  };
  std::vector<Operand> Operands;

  /// The statement the argument is in, when it is two lines of its own
  /// (its first line starts with it, its last ends with it): the offset of
  /// its first line and the two lines' bytes, without the last newline. A
  /// fix that shortens it enough joins them, as upstream does (Linux 4.12's
  /// kernel/bpf/core.c: `gfp_t gfp_flags = GFP_KERNEL | __GFP_ZERO |
  /// gfp_extra_flags;` on one line once __GFP_HIGHMEM is gone).
  unsigned LinesBase = 0;
  std::string Lines;
};

/// A fix a finding asks for, by kind; rewriters/ builds it after the
/// analysis, or says why it cannot.
struct FixRequest {
  enum class Kind {
    DropGfpFlag,   ///< drop Name (value FlagValue) from Gfp
    AppendGfpFlag, ///< append `| Name` to Gfp
    RenameHelper,  ///< replace the helper name at Rename (virt_to_page ...)
    ReplaceCode,   ///< replace the code Original with Replace.Text
  };
  Kind What = Kind::DropGfpFlag;
  std::string Name; ///< the flag, or the new helper's name
  uint64_t FlagValue = 0;
  SpelledGfp Gfp;
  /// RenameHelper: the edit (the analysis checked the old name is there).
  TextEdit Rename;
  /// ReplaceCode: the bytes Replace covers as analysed (a whole statement),
  /// and what replaces them (Name is the helper the new code calls).
  TextEdit Replace;
  std::string Original;
  /// ReplaceCode: the call in Replace.Text, [CallBegin, CallBegin +
  /// CallLength), that the rewriter lays out to 80 columns
  /// (rewriters/CallLayout.h), and the bytes of the line before Replace
  /// (LineHead) and after it (LineTail); CallLength 0: the text as it is.
  size_t CallBegin = 0, CallLength = 0;
  std::string LineHead, LineTail;
  /// Where a "no fix" note goes among the finding's notes.
  unsigned NoteIndex = 0;
  /// Came with a duplicate finding merged into this one (a macro body that
  /// several calls share): it may give the fix, never a note.
  bool FromDuplicate = false;
  /// One more piece of the request before it (not an alternative to it):
  /// its edits join that request's fix, and the fix is built only when
  /// every piece builds (code replaced in two places, the bytes between
  /// them, comments and all, kept as they are).
  bool Joined = false;
};

/// The evaluated gfp argument of a call site.
struct GfpReport {
  bool Present = false;  ///< the callee takes a gfp argument
  bool Constant = false; ///< every bit is known
  uint64_t Must = 0;     ///< bits certainly set
  std::string Flags;     ///< Must as flag names ("GFP_KERNEL | __GFP_ZERO")
  std::vector<std::string>
      Symbolic; ///< unknown parts: "param gfp", "var lflags"
};

struct Note {
  SourcePoint Where;
  std::string Message;
};

struct Finding {
  std::string Check; ///< stable check name, e.g. vmalloc-redundant-highmem
  SourcePoint Where; ///< the offending flag (spelling location)
  std::vector<SourcePoint> Expansions; ///< macro expansion sites, if any
  std::string Message;
  std::string Class;  ///< class of the call site
  std::string Callee; ///< the function called at the site
  /// The calls the message names, as it names them ("__vmalloc()",
  /// "buf_alloc() -> __vmalloc()"): one finding for a flag that several
  /// calls share (a gfp macro) names each (mergeResults). Empty: the
  /// message names no call that another could join.
  std::vector<std::string> Calls;
  GfpReport Gfp;
  std::vector<Note> Notes;
  std::optional<FixIt> Fix;
  /// Fixes asked for and not built yet (rewriters/FixBuilder.h empties it).
  std::vector<FixRequest> FixRequests;
  /// Pass 2: how sure the finding is (confidenceName()) and why ("on every
  /// path"); Confidence::None for pass 1, whose findings are certain.
  Confidence Sure = Confidence::None;
  std::string SureWhy;
};

/// One call of the vmalloc family (or of a wrapper of it).
struct CallSite {
  SourcePoint Where;                    ///< callee token (spelling if the gfp
                                        ///< is spelled in a macro body)
  std::optional<SourcePoint> Expansion; ///< file-level macro expansion site
  std::string Callee;
  std::string Allocator;        ///< table row reached (through wrappers)
  std::vector<std::string> Via; ///< wrapper chain, outermost first
  std::string Function;         ///< enclosing function
  std::string Provenance;       ///< vmalloc | vmalloc_32 | maybe-vmalloc
  std::string GfpText;          ///< gfp argument as written ("" if none)
  GfpReport Gfp;                ///< effective mask (caller | wrapper)
  std::string Class;
  bool Wrapper = false; ///< Function is a wrapper: its gfp is a parameter
  /// The call did not fully compile (clang kept it as recovered code): the
  /// site is classified from the gfp argument as far as it parsed.
  bool Recovered = false;
  /// How the units that saw the site were compiled (the census's "view"):
  /// "" or "configured" (the tree's own arch and configuration), "arm64
  /// defconfig" (another arch's prepared view), "configured flags: why".
  /// The unit's, not the file's: a header site seen by units of two views
  /// has both, sorted and joined by "; " (mergeResults).
  std::string View;
};

/// What one translation unit (or a whole run) produced.
struct AnalysisResult {
  std::vector<CallSite> Sites;
  std::vector<Finding> Findings;
  /// Hash of every file a fix edits, as the analysis read it (for --fix to
  /// refuse files that changed since).
  std::vector<std::pair<std::string, uint64_t>> FileHashes;
  /// Every file the translation unit read (main file and includes), as
  /// absolute paths: a header some analysed file includes needs no parse of
  /// its own.
  std::vector<std::string> FilesRead;
  /// contentHash of each of FilesRead as the parse read it (the buffers of
  /// the SourceManager), in the same order; empty when one could not be
  /// taken: the results cache (tool/ResultCache.h) reuses a unit's result
  /// while they and FilesAbsent hold.
  std::vector<uint64_t> FilesReadHashes;
  /// Where the parse looked for a header it did not find (an #include not
  /// found, a false __has_include): every place the name could have been
  /// found, absolute. A file created at one of them would change the parse.
  std::vector<std::string> FilesAbsent;
  /// Function bodies the parse gave to Sema and the ones it skipped
  /// (AnalysisOptions::SkipBodies), summed over translation units; of the
  /// skipped, those the lexer jumped over unpreprocessed.
  unsigned long BodiesParsed = 0, BodiesSkipped = 0, BodiesJumped = 0;
  /// Functions pass 2 did not follow because their CFG is over its budget
  /// (pass2CfgBudget()): "name (file:line, N blocks)". Nothing is reported
  /// inside them, and what they do is unknown to their callers.
  std::vector<std::string> NotFollowed;
  /// What the unit exports to other units (AnalysisOptions::ExportFacts):
  /// joined by mergeResults.
  CrossFileFacts Facts;
};

/// Adds From to Into, dropping what Into already has: a site once per
/// location (a header included by many files), a finding once per check and
/// location (expansion sites merged).
void mergeResults(AnalysisResult &Into, AnalysisResult &&From);
/// Sorts sites and findings by file, line, column.
void sortResults(AnalysisResult &R);

/// Hash of file contents (the --fix freshness check).
uint64_t contentHash(llvm::StringRef Text);

} // namespace vmalloc_lint

#endif
