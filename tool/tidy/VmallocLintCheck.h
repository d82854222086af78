// One clang-tidy check of vmalloc-lint: a thin adapter that reports, through
// clang-tidy's diag(), the findings of the analysis core that carry its name.
// Every check of allChecks() is an instance of this class; the analysis runs
// once per translation unit however many of them are enabled.
#ifndef VMALLOC_LINT_TIDY_VMALLOC_LINT_CHECK_H
#define VMALLOC_LINT_TIDY_VMALLOC_LINT_CHECK_H

#include "matchers/Finding.h"
#include "matchers/kernel/KernelVersion.h"

#include "clang-tidy/ClangTidyCheck.h"

#include <memory>
#include <optional>
#include <string>

namespace vmalloc_lint {
struct CrossFileFacts;
} // namespace vmalloc_lint

namespace vmalloc_lint::tidy {

class TranslationUnitRun;

class VmallocLintCheck : public clang::tidy::ClangTidyCheck {
public:
  VmallocLintCheck(llvm::StringRef Name,
                   clang::tidy::ClangTidyContext *Context);

  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerPPCallbacks(const clang::SourceManager &SM,
                           clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

private:
  /// CheckOptions KernelVersion (local or global); empty: the version of the
  /// kernel tree that contains the main file, else the newest rules.
  std::string KernelVersionOption;
  /// MinConfidence (definite|likely|possible, default likely): pass-2
  /// findings less sure are not reported, as the CLI's --min-confidence.
  std::string MinConfidenceOption;
  Confidence MinConfidence = Confidence::Likely;
  /// KernelVersionOption parsed; nullopt when empty or invalid.
  std::optional<KernelVersion> ConfiguredVersion;
  KernelVersion Version = KernelVersion::newest();
  /// CheckOptions MigrateTo (local or global): vmalloc-api-migration's
  /// target; without it that check is silent.
  std::string MigrateToOption;
  std::optional<KernelVersion> MigrateTo;
  /// CheckOptions FactsFile (local or global): the facts of the other
  /// translation units, as the CLI's --facts-in (a path relative to the
  /// current directory, as the paths in the file are); empty: none.
  std::string FactsFileOption;
  std::shared_ptr<const CrossFileFacts> Facts;
  clang::Preprocessor *PP = nullptr;
  std::shared_ptr<TranslationUnitRun> Run;
};

} // namespace vmalloc_lint::tidy

#endif
