// Views of the result records: compiler-style text and the census (text and
// JSON), and what every view shares (the output context, displayed paths,
// the analysed text). The findings JSON, written and read back, is in
// tool/FindingsJson.h; the CI views (checkpatch.pl style, SARIF 2.1.0,
// GitHub workflow commands) in tool/CiOutput.h; the YAML that
// clang-apply-replacements reads in tool/ExportFixes.h. None of them
// analyses.
#ifndef VMALLOC_LINT_OUTPUT_H
#define VMALLOC_LINT_OUTPUT_H

#include "matchers/Finding.h"
#include "tool/PatchGate.h"

#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// A file that was not analysed, and why (--format json's "not_analysed",
/// SARIF's toolExecutionNotifications).
struct NotAnalysedFile {
  std::string File;
  /// "out-of-memory", "worker-failed-to-start", "crashed" or "timed-out".
  std::string Reason;
  std::string Message; ///< one line: what happened and what to do
};

struct OutputContext {
  std::string DisplayRoot;   ///< paths under it are printed relative to it
  std::string KernelVersion; ///< rules applied ("6.1", "newest", "mixed")
  unsigned Files = 0;
  unsigned FilesWithErrors = 0;
  /// Files whose analysed text is not the one on disk (a patch's
  /// post-image): absolute path -> text. Null: every file as on disk.
  const std::map<std::string, std::string> *Contents = nullptr;
  /// Gate mode: where File:Line is in the patch (nullopt: in no hunk) and
  /// whether the patch added or changed it.
  struct PatchLineRef {
    unsigned InputLine = 0; ///< line of the patch input
    std::string Raw;        ///< the patch line, with its '+' or ' '
    bool Changed = false;
  };
  std::function<std::optional<PatchLineRef>(const std::string &File,
                                            unsigned Line)>
      PatchLineOf;
  /// The census's "build" of a site's file: what the tree's configuration
  /// builds of it ("built-in", "module", "not-built", "unknown"). Null:
  /// no kernel tree, every site "unknown".
  std::function<std::string(const std::string &File)> BuildOf;
  /// --summary: the analysed units by what the configuration builds of
  /// them, and the ones that did not fully compile by cause (JSON's
  /// summary.units). Null: not asked for, or no kernel tree.
  struct UnitBuildCounts {
    /// "built-in", "module", "not-built", "unknown" (BuildOf's names).
    std::map<std::string, unsigned> ByBuild;
    unsigned WithErrors = 0;
    /// Of WithErrors: "other-arch-no-clang-target" (another arch's file
    /// with no view: its clang target is missing), then "not-built" (the
    /// configuration does not build it), then "other" (the rest).
    std::map<std::string, unsigned> ErrorsByCause;
    /// The "other" units (file, build state), in file order: those whose
    /// errors neither a missing clang target nor the configuration explain.
    std::vector<std::pair<std::string, std::string>> Rest;
  };
  std::optional<UnitBuildCounts> Units;
  /// For the summary line: how other arches' files were analysed.
  std::string ArchViewsNote;
  std::string PatchName = "Your patch"; ///< checkpatch's closing line
  unsigned LinesChecked = 0;            ///< checkpatch's "lines checked"
  /// The files the run did not analyse, by file name.
  std::vector<NotAnalysedFile> NotAnalysed;
};

/// The text of File as analysed (Contents first, then the disk).
llvm::StringRef analysedText(const std::string &File, const OutputContext &C);
/// The baseline key of a finding (file as displayed).
FindingKey keyOf(const Finding &F, const OutputContext &C);

std::string displayPath(const std::string &File, const std::string &Root);
/// Line Line of File as analysed, without its newline ("" past the end).
std::string sourceLine(const std::string &File, unsigned Line,
                       const OutputContext &C);

/// --format: the views of the findings.
enum class OutputFormat { Text, Json, Checkpatch, Sarif, Github };

/// The findings in Format: text here, json in tool/FindingsJson.h, the CI
/// views in tool/CiOutput.h.
void printFindings(llvm::raw_ostream &OS, OutputFormat Format,
                   const AnalysisResult &R, const OutputContext &C);
void printFindingsText(llvm::raw_ostream &OS, const AnalysisResult &R,
                       const OutputContext &C);
void printCensusText(llvm::raw_ostream &OS, const AnalysisResult &R,
                     const OutputContext &C);
void printCensusJson(llvm::raw_ostream &OS, const AnalysisResult &R,
                     const OutputContext &C);
} // namespace vmalloc_lint

#endif
