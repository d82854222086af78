// What the preprocessor did that the AST does not keep: the expansions of
// the main file's object-like macros (a gfp macro's body is edited only when
// every expansion is a vmalloc-family gfp argument) and of the function-like
// macros pass 2 knows as sinks (__pa, virt_to_page ...), recorded by
// PPCallbacks while the unit is parsed; and where the front end reported
// errors.
#ifndef VMALLOC_LINT_MACRO_EXPANSIONS_H
#define VMALLOC_LINT_MACRO_EXPANSIONS_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace clang {
class MacroInfo;
class Preprocessor;
class PPCallbacks;
} // namespace clang

namespace vmalloc_lint {

struct MacroExpansionLog {
  llvm::DenseMap<const clang::MacroInfo *,
                 llvm::SmallVector<clang::SourceLocation, 4>>
      Expansions;

  /// Expansions of function-like macros pass 2 knows as sinks: the name
  /// token and where each argument's tokens were written, to find the
  /// argument's expression.
  struct CallMacro {
    std::string Name;
    clang::SourceLocation NameLoc;
    std::vector<std::pair<clang::SourceLocation, clang::SourceLocation>> Args;
  };
  std::vector<CallMacro> CallMacros;

  /// Where the front end reported an error (shared with the diagnostic
  /// consumer that records them, which may outlive the log): a call with an
  /// error inside comes from recovered code (a RecoveryExpr, or an
  /// identifier clang replaced by a typo correction).
  std::shared_ptr<std::vector<clang::SourceLocation>> Errors =
      std::make_shared<std::vector<clang::SourceLocation>>();
};

std::unique_ptr<clang::PPCallbacks>
recordMacroExpansions(clang::Preprocessor &PP, MacroExpansionLog &Log);

} // namespace vmalloc_lint

#endif
