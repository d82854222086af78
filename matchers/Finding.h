// Plain result records. Every output format (text, JSON, YAML, diff) is a
// view of these; the analysis core produces them and never edits text.
#ifndef VMALLOC_LINT_FINDING_H
#define VMALLOC_LINT_FINDING_H

#include "matchers/provenance/CrossFileFacts.h"

#include <cstdint>
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
  GfpReport Gfp;
  std::vector<Note> Notes;
  std::optional<FixIt> Fix;
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
  /// Function bodies the parse gave to Sema and the ones it skipped
  /// (AnalysisOptions::SkipBodies), summed over translation units.
  unsigned long BodiesParsed = 0, BodiesSkipped = 0;
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

} // namespace vmalloc_lint

#endif
