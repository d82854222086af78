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
/// The most entries (a variable's value, a tag, a value's correlation with
/// a tag) the per-block states of one function may hold together while
/// pass 2 follows it; past it the function is not followed. About 100 MB
/// of values at most, the unit alone; the largest function of 6.1's
/// drivers/md, mm, fs/xfs, drivers/usb, sound/core and lib holds far
/// fewer (docs/pass2.md#budgets).
constexpr unsigned long pass2StateBudget() { return 500000; }

AnalysisResult analyzeProvenance(clang::ASTContext &Ctx,
                                 const MacroExpansionLog &Log,
                                 const AnalysisOptions &Options);

} // namespace vmalloc_lint

#endif
