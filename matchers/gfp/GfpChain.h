// How a gfp argument is spelled: the operands of its OR chain as written in
// one place (the call's own text, or the body of the macro that spells it),
// with their constant values and byte ranges in that text. Locations of
// findings and the rewriters' edits both come from here.
#ifndef VMALLOC_LINT_GFP_CHAIN_H
#define VMALLOC_LINT_GFP_CHAIN_H

#include "matchers/Finding.h"

#include "clang/Basic/SourceLocation.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class MacroInfo;
class Preprocessor;
} // namespace clang

namespace vmalloc_lint {

struct ChainLeaf {
  const clang::Expr *E = nullptr;
  clang::SourceLocation Begin; ///< first token, in the chain's context
  clang::SourceLocation End;   ///< last token, in the chain's context
  std::optional<uint64_t> Value;
  std::string Text;         ///< as spelled
  unsigned BeginOffset = 0; ///< in the spelling buffer
  unsigned EndOffset = 0;   ///< one past the last byte
  bool isIdentifier() const;
};

struct GfpChain {
  bool Valid = false;
  clang::FileID Context;      ///< file or macro expansion spelling the chain
  bool InMacroBody = false;   ///< Context is a macro body
  clang::FileID SpellingFile; ///< the buffer holding the text
  std::vector<ChainLeaf> Leaves;
};

/// Where a location's token was written, one macro argument level up at a
/// time: macro-argument expansions resolve to where the argument was written.
clang::SourceLocation normalizeArgLoc(clang::SourceLocation L,
                                      const clang::SourceManager &SM);

/// The context (file or macro expansion) in which the call's argument list is
/// written.
clang::FileID callArgumentContext(const clang::CallExpr *Call,
                                  const clang::SourceManager &SM);

/// The OR chain of E as spelled in Context. Descends through `|` and
/// parentheses written in Context; anything else (a macro such as
/// GFP_HIGHUSER, a variable, a call) is one leaf.
GfpChain spellChain(const clang::Expr *E, clang::FileID Context,
                    clang::ASTContext &Ctx);

/// The chain inside the body of the object-like macro that Leaf names (for
/// `#define FOO_GFP (GFP_NOFS | __GFP_HIGHMEM)` used as `FOO_GFP`).
GfpChain spellMacroBodyChain(const ChainLeaf &Leaf, clang::ASTContext &Ctx);

class GfpFlagTable;

/// What spellForFix needs to resolve the operands.
struct FixSpelling {
  clang::ASTContext &Ctx;
  clang::Preprocessor &PP;
  GfpFlagTable &Flags;
  /// Every expansion of the (main-file, object-like) macro is a
  /// vmalloc-family gfp argument; otherwise OtherUse says where the first
  /// other one is ("vl-macro-gfp.c:52, in alloc_page()'s argument").
  std::function<bool(const clang::MacroInfo *, std::string &OtherUse)>
      OnlyUsedAsVmallocGfp;
};

/// The chain as plain data for a fix about the flag FlagValue: each operand
/// that carries the flag without being it resolved (which macro, the tree's
/// macro without the flag, the body of a macro of this file).
SpelledGfp spellForFix(const GfpChain &Chain, uint64_t FlagValue,
                       FixSpelling &S);

} // namespace vmalloc_lint

#endif
