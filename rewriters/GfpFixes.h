// Gfp argument fixes from the spelled chain (matchers/Finding.h SpelledGfp):
// drop a flag (or replace the composite macro that carries it), or append a
// missing one. Plain text: edits keep the code's layout byte for byte
// (rewriters/OrChain.h) and never touch a macro definition that code other
// than vmalloc gfp arguments shares (the analysis said which ones do).
#ifndef VMALLOC_LINT_GFP_FIXES_H
#define VMALLOC_LINT_GFP_FIXES_H

#include "matchers/Finding.h"

#include <cstdint>
#include <optional>
#include <string>

namespace vmalloc_lint {

/// Drops FlagName (value FlagValue) from the chain. Sets WhyNot when there
/// is no safe edit.
std::optional<FixIt> dropGfpFlag(const SpelledGfp &Gfp, uint64_t FlagValue,
                                 const std::string &FlagName,
                                 std::string &WhyNot);

/// Appends `| FlagName` after the chain's last operand (every operand must be
/// a constant written in the chain itself).
std::optional<FixIt> appendGfpFlag(const SpelledGfp &Gfp,
                                   const std::string &FlagName,
                                   std::string &WhyNot);

} // namespace vmalloc_lint

#endif
