// Pass 1: every vmalloc-family call site of a translation unit, its gfp
// argument evaluated and classified, findings with fixes. The one analysis
// core; the CLI and the clang-tidy plugin only adapt it.
#ifndef VMALLOC_LINT_VMALLOC_ANALYSIS_H
#define VMALLOC_LINT_VMALLOC_ANALYSIS_H

#include "matchers/checks/CheckGlob.h"
#include "matchers/Finding.h"
#include "matchers/kernel/KernelVersion.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class MacroInfo;
class Preprocessor;
class PPCallbacks;
class FrontendAction;
} // namespace clang

namespace vmalloc_lint {

/// Check names of pass 1, stable.
inline constexpr const char *CheckRedundantHighmem =
    "vmalloc-redundant-highmem";
inline constexpr const char *CheckLowmemGfp = "vmalloc-lowmem-gfp";
inline constexpr const char *CheckZoneGfp = "vmalloc-zone-gfp";
inline constexpr const char *CheckKvmallocHighmem = "vmalloc-kvmalloc-highmem";
inline constexpr const char *CheckUnsupportedGfp = "vmalloc-unsupported-gfp";

/// Check names of pass 2 (provenance: where vmalloc memory goes), stable.
inline constexpr const char *CheckVirtToPhys = "vmalloc-virt-to-phys";
inline constexpr const char *CheckDmaMap = "vmalloc-dma-map";
inline constexpr const char *CheckDma32Device = "vmalloc-dma32-device";
inline constexpr const char *CheckFreeMismatch = "vmalloc-free-mismatch";
inline constexpr const char *CheckStackDma = "vmalloc-stack-dma";

struct CheckInfo {
  const char *Name;
  const char *Summary;
};
/// Every check of pass 1 with a one-line summary (for --help, --list-checks).
const std::vector<CheckInfo> &passOneChecks();
/// Every check of pass 2.
const std::vector<CheckInfo> &passTwoChecks();
/// Every check of both passes, pass 1 first: what front ends register.
const std::vector<CheckInfo> &allChecks();

/// A gfp flag the target kernel's vmalloc does not honour: data, keyed by
/// kernel version.
struct UnsupportedGfpRule {
  const char *Flag; ///< macro name; for a required flag, the flag required
  bool Required;    ///< true: the mask must contain Flag
  VersionRange Versions;
  const char *Why;
};
const std::vector<UnsupportedGfpRule> &unsupportedGfpRules();

struct BodySkipping;

struct AnalysisOptions {
  KernelVersion Version = KernelVersion::newest();
  CheckGlob Checks{"vmalloc-*"};
  /// When set, the parse skips function bodies that cannot hold what the
  /// selected checks look for (matchers/BodySkipping.h). Null: every body
  /// is parsed.
  std::shared_ptr<const BodySkipping> SkipBodies;
  /// Fill AnalysisResult::Facts (pass 2's facts are computed then even when
  /// no pass-2 check is selected).
  bool ExportFacts = false;
  /// Facts of other units (--facts-in): a callee the unit does not define
  /// is looked up here by name. Shared, read-only.
  std::shared_ptr<const CrossFileFacts> Imported;
};

/// Expansions of object-like macros defined in the main file, recorded while
/// preprocessing: a gfp macro's body is edited only when every one of its
/// expansions is a vmalloc-family gfp argument.
struct MacroExpansionLog {
  llvm::DenseMap<const clang::MacroInfo *,
                 llvm::SmallVector<clang::SourceLocation, 4>>
      Expansions;

  /// Expansions of function-like macros pass 2 knows as sinks (__pa,
  /// virt_to_page, dma_map_single ...): the name token and where each
  /// argument's tokens were written, to find the argument's expression.
  struct CallMacro {
    std::string Name;
    clang::SourceLocation NameLoc;
    std::vector<std::pair<clang::SourceLocation, clang::SourceLocation>> Args;
  };
  std::vector<CallMacro> CallMacros;
};
std::unique_ptr<clang::PPCallbacks>
recordMacroExpansions(clang::Preprocessor &PP, MacroExpansionLog &Log);

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
