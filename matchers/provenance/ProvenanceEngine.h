// Pass 2: follows memory from where it is allocated to where it must not go
// (linear-map helpers, streaming DMA, the wrong free, a 32-bit device), with
// a forward dataflow over each function's Clang CFG. Facts about functions
// (what they return, where their parameters go) and struct fields/globals
// (what the translation unit stores in them) are iterated to a fixpoint
// over the translation unit, then findings are reported in one last walk.
#ifndef VMALLOC_LINT_PROVENANCE_ANALYSIS_H
#define VMALLOC_LINT_PROVENANCE_ANALYSIS_H

#include "matchers/Analysis.h"

namespace vmalloc_lint {

AnalysisResult analyzeProvenance(clang::ASTContext &Ctx,
                                 const MacroExpansionLog &Log,
                                 const AnalysisOptions &Options);

} // namespace vmalloc_lint

#endif
