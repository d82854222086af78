// Pass 1: every vmalloc-family call site of a translation unit, its gfp
// argument evaluated (GfpEvaluation.h), given to each selected pass-1 check
// of the registry (matchers/checks/) as a GfpSite; the census records and
// the findings with their fix requests.
#ifndef VMALLOC_LINT_GFP_ANALYSIS_H
#define VMALLOC_LINT_GFP_ANALYSIS_H

#include "matchers/AnalysisOptions.h"
#include "matchers/Finding.h"

namespace clang {
class ASTContext;
class Preprocessor;
} // namespace clang

namespace vmalloc_lint {

struct MacroExpansionLog;

AnalysisResult analyzeGfpArguments(clang::ASTContext &Ctx,
                                   clang::Preprocessor &PP,
                                   const MacroExpansionLog &Log,
                                   const AnalysisOptions &Options);

} // namespace vmalloc_lint

#endif
