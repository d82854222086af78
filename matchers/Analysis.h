// The analysis core's entry: one parsed translation unit in, plain result
// records out (matchers/Finding.h). The CLI runs it through
// makeAnalysisAction; the clang-tidy plugin calls analyzeTranslationUnit on
// the AST clang-tidy parsed. Fix requests in the result are built by
// rewriters/FixBuilder.h afterwards.
#ifndef VMALLOC_LINT_ANALYSIS_H
#define VMALLOC_LINT_ANALYSIS_H

#include "matchers/AnalysisOptions.h"
#include "matchers/Finding.h"
#include "matchers/MacroExpansions.h"

#include <memory>

namespace clang {
class ASTContext;
class Preprocessor;
class FrontendAction;
} // namespace clang

namespace vmalloc_lint {

/// Analyse a parsed translation unit (also a partial one: a TU with errors
/// still yields the sites that were parsed).
AnalysisResult analyzeTranslationUnit(clang::ASTContext &Ctx,
                                      clang::Preprocessor &PP,
                                      const MacroExpansionLog &Log,
                                      const AnalysisOptions &Options);

/// A syntax-only frontend action that records macro expansions, keeps going
/// past missing headers (include-not-found is an error, not fatal; no error
/// limit) and stores the analysis of the translation unit in Out.
std::unique_ptr<clang::FrontendAction>
makeAnalysisAction(const AnalysisOptions &Options, AnalysisResult &Out);

} // namespace vmalloc_lint

#endif
