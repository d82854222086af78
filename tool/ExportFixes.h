// --export-fixes: the findings and their fixes as clang-tidy's export-fixes
// YAML (clang::tooling::TranslationUnitDiagnostics), which
// clang-apply-replacements applies. The only view that needs Clang headers.
#ifndef VMALLOC_LINT_EXPORT_FIXES_H
#define VMALLOC_LINT_EXPORT_FIXES_H

#include "matchers/Finding.h"

#include <string>

namespace vmalloc_lint {

/// clang-tidy's export-fixes YAML (clang::tooling::TranslationUnitDiagnostics).
std::string exportFixesYaml(const AnalysisResult &R,
                            const std::string &MainFile);

} // namespace vmalloc_lint

#endif
