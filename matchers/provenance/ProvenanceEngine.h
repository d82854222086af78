// Pass 2: follows memory from where it is allocated to where it must not go
// (linear-map helpers, streaming DMA, the wrong free, a 32-bit device), with
// a forward dataflow over each function's Clang CFG. Facts about functions
// (what they return, where their parameters go) and struct fields/globals
// (what the translation unit stores in them) are iterated to a fixpoint
// over the translation unit, then each value that reaches a sink is given
// to the selected pass-2 checks of the registry (matchers/checks/), whose
// verdicts are the findings.
#ifndef VMALLOC_LINT_PROVENANCE_ENGINE_H
#define VMALLOC_LINT_PROVENANCE_ENGINE_H

#include "matchers/AnalysisOptions.h"
#include "matchers/Finding.h"

namespace clang {
class ASTContext;
} // namespace clang

namespace vmalloc_lint {

struct MacroExpansionLog;

/// The most CFG blocks a function may have for pass 2 to follow it.
constexpr unsigned pass2CfgBudget() { return 5000; }

AnalysisResult analyzeProvenance(clang::ASTContext &Ctx,
                                 const MacroExpansionLog &Log,
                                 const AnalysisOptions &Options);

} // namespace vmalloc_lint

#endif
