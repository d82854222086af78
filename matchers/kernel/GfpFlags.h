// The gfp flags of the tree being analysed: every value is evaluated from the
// tree's own macros (gfp.h / gfp_types.h as the translation unit saw them),
// never copied, so 4.9's and 6.1's bit layouts both hold, and GFP_ZONE_BAD is
// the tree's table.
#ifndef VMALLOC_LINT_GFP_FLAGS_H
#define VMALLOC_LINT_GFP_FLAGS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Preprocessor;
class MacroInfo;
} // namespace clang

namespace vmalloc_lint {

class GfpFlagTable {
public:
  GfpFlagTable(clang::Preprocessor &PP, clang::ASTContext *Ctx);

  /// Value of an object-like macro (or enum constant) as an integer constant
  /// expression: casts such as `(__force gfp_t)` are looked through.
  std::optional<uint64_t> value(llvm::StringRef Name);

  /// A flag or mask the rules need; 0 when the tree does not define it.
  uint64_t flag(llvm::StringRef Name) { return value(Name).value_or(0); }

  /// True when the tree's GFP_ZONE_BAD marks Mask's zone bits impossible;
  /// nullopt when the tree has no GFP_ZONE_BAD/GFP_ZONEMASK.
  std::optional<bool> zoneBad(uint64_t Mask);

  /// Mask as flag names: the widest GFP_* composite it contains, then the
  /// single __GFP_* bits ("GFP_KERNEL | __GFP_HIGHMEM | __GFP_ZERO").
  std::string describe(uint64_t Mask);

  /// A GFP_* / __GFP_* macro defined in the same file as Macro whose value is
  /// exactly Value; prefers Macro's name without "HIGH" (GFP_HIGHUSER ->
  /// GFP_USER). Empty when the tree has none.
  std::string counterpart(llvm::StringRef Macro, uint64_t Value);

  /// File that defines the macro (empty if not a macro).
  std::string definitionFile(llvm::StringRef Macro);

private:
  struct Candidate {
    std::string Name;
    uint64_t Value;
  };
  const std::vector<Candidate> &names();

  clang::Preprocessor &PP;
  clang::ASTContext *Ctx;
  llvm::StringMap<std::optional<uint64_t>> Cache;
  std::vector<Candidate> Names;
  bool NamesReady = false;
};

} // namespace vmalloc_lint

#endif
