// The CI views of the findings: checkpatch.pl's report, SARIF 2.1.0 for
// code-scanning services, GitHub Actions workflow commands. In a gate run
// (OutputContext::PatchLineOf) they point at the patch's lines.
#ifndef VMALLOC_LINT_CI_OUTPUT_H
#define VMALLOC_LINT_CI_OUTPUT_H

#include "matchers/Finding.h"
#include "tool/Output.h"

#include "llvm/Support/raw_ostream.h"

namespace vmalloc_lint {

/// checkpatch.pl's shape: "WARNING: msg", "#N: FILE: path:line:", the line,
/// a blank line; then "total: 0 errors, N warnings, M lines checked".
void printFindingsCheckpatch(llvm::raw_ostream &OS, const AnalysisResult &R,
                             const OutputContext &C);
/// SARIF 2.1.0: one run, a rule per row of the check registry, results with
/// locations, related locations (expansions, notes), fixes, fingerprints.
void printFindingsSarif(llvm::raw_ostream &OS, const AnalysisResult &R,
                        const OutputContext &C);
/// GitHub Actions workflow commands: "::warning file=,line=,col=,title=::".
void printFindingsGithub(llvm::raw_ostream &OS, const AnalysisResult &R,
                         const OutputContext &C);
} // namespace vmalloc_lint

#endif
