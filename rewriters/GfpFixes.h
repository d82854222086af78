// Finding -> text edits for gfp arguments: drop a flag (or replace the
// composite macro that carries it), or append a missing one. Edits keep the
// code's layout byte-for-byte (rewriters/OrChain.h) and never touch a macro
// definition that code other than vmalloc gfp arguments shares.
#ifndef VMALLOC_LINT_GFP_FIXES_H
#define VMALLOC_LINT_GFP_FIXES_H

#include "matchers/Finding.h"
#include "matchers/gfp/GfpChain.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class MacroInfo;
class Preprocessor;
} // namespace clang

namespace vmalloc_lint {

class GfpFlagTable;

struct GfpFixContext {
  clang::ASTContext &Ctx;
  clang::Preprocessor &PP;
  GfpFlagTable &Flags;
  /// True when every expansion of the (main-file, object-like) macro is a
  /// vmalloc-family gfp argument.
  std::function<bool(const clang::MacroInfo *)> OnlyUsedAsVmallocGfp;
};

/// Drops Flag (e.g. __GFP_HIGHMEM) from the chain. Sets WhyNot when there is
/// no safe edit.
std::optional<FixIt> dropGfpFlag(const GfpChain &Chain, uint64_t FlagValue,
                                 const std::string &FlagName, GfpFixContext &FC,
                                 std::string &WhyNot);

/// Appends `| Flag` after the chain's last operand (all operands must be
/// constants written in the chain itself).
std::optional<FixIt> appendGfpFlag(const GfpChain &Chain,
                                   const std::string &FlagName,
                                   GfpFixContext &FC, std::string &WhyNot);

/// Hash of file contents (the --fix freshness check).
uint64_t contentHash(llvm::StringRef Text);

/// Absolute path of a FileID's file ("" for none).
std::string filePathOf(clang::FileID FID, const clang::SourceManager &SM);

/// File locations as SourcePoints, with the paths of files looked up once.
class SourcePoints {
public:
  explicit SourcePoints(const clang::SourceManager &SM) : SM(SM) {}
  /// The point of a file location (a spelling or expansion location: the
  /// caller chooses); an invalid point for an invalid location.
  SourcePoint at(clang::SourceLocation FileLoc);

private:
  const clang::SourceManager &SM;
  llvm::DenseMap<clang::FileID, std::string> Paths;
};

} // namespace vmalloc_lint

#endif
