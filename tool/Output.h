// Views of the result records: compiler-style text, JSON, the census, and
// the YAML that clang-apply-replacements reads. None of them analyses.
#ifndef VMALLOC_LINT_OUTPUT_H
#define VMALLOC_LINT_OUTPUT_H

#include "matchers/Finding.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace vmalloc_lint {

struct OutputContext {
  std::string DisplayRoot;   ///< paths under it are printed relative to it
  std::string KernelVersion; ///< rules applied ("6.1", "newest", "mixed")
  unsigned Files = 0;
  unsigned FilesWithErrors = 0;
};

std::string displayPath(const std::string &File, const std::string &Root);

void printFindingsText(llvm::raw_ostream &OS, const AnalysisResult &R,
                       const OutputContext &C);
void printFindingsJson(llvm::raw_ostream &OS, const AnalysisResult &R,
                       const OutputContext &C);
void printCensusText(llvm::raw_ostream &OS, const AnalysisResult &R,
                     const OutputContext &C);
void printCensusJson(llvm::raw_ostream &OS, const AnalysisResult &R,
                     const OutputContext &C);
/// clang-tidy's export-fixes YAML (clang::tooling::TranslationUnitDiagnostics).
std::string exportFixesYaml(const AnalysisResult &R,
                            const std::string &MainFile);

} // namespace vmalloc_lint

#endif
