// The findings JSON of --format json: its writer and its readers (a
// --baseline, the inputs of `vmalloc-lint merge`). One format, one file:
// what the writer prints, the readers take back.
#ifndef VMALLOC_LINT_FINDINGS_JSON_H
#define VMALLOC_LINT_FINDINGS_JSON_H

#include "matchers/Finding.h"
#include "tool/Output.h"
#include "tool/PatchGate.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace vmalloc_lint {

/// --format json: every finding with its place, gfp report, expansions,
/// notes, fix and baseline fingerprint, and counts per check.
void printFindingsJson(llvm::raw_ostream &OS, const AnalysisResult &R,
                       const OutputContext &C);

/// --summary's summary.units (OutputContext::Units): {"analysed",
/// "built-in", "module", "not-built", "unknown", "did_not_fully_compile":
/// {"total", "other-arch-no-clang-target", "not-built", "other",
/// "other_units": [{"file", "build"}]}}, files relative to Root.
llvm::json::Object unitsJson(const OutputContext::UnitBuildCounts &U,
                             const std::string &Root);

/// The shapes the census JSON shares: {file, line, column} (file as
/// displayed) and a gfp report.
llvm::json::Object pointJson(const SourcePoint &P, const std::string &Root);
llvm::json::Object gfpJson(const GfpReport &G);

/// Parses a --format json result into Doc and points Findings at its
/// "findings" array; the reason when it is not one ("" on success).
std::string parseFindingsJson(llvm::StringRef Json, llvm::json::Value &Doc,
                              const llvm::json::Array *&Findings);

/// Reads a --format json result as baseline keys. Returns "" or a reason.
std::string loadBaseline(llvm::StringRef Json, std::vector<FindingKey> &Out);

/// `vmalloc-lint merge`: adds the findings of one --format json output to
/// Into (de-duplicated as mergeResults does). Relative paths are taken
/// relative to Root, as the run that wrote them printed them. KernelVersion
/// is set from the input ("mixed" when inputs disagree). The input's
/// "not_analysed" records are appended to NotAnalysed, so that a merged
/// result still says which files it lacks. Returns "" or a one-line reason.
std::string mergeFindingsJson(llvm::StringRef Json, const std::string &Root,
                              AnalysisResult &Into, std::string &KernelVersion,
                              std::vector<NotAnalysedFile> &NotAnalysed);

} // namespace vmalloc_lint

#endif
