#include "rewriters/GfpFixes.h"

#include "matchers/text/CIdentifier.h"
#include "rewriters/OrChain.h"

namespace vmalloc_lint {

namespace {

using Operand = SpelledGfp::Operand;

/// The operands' ranges in Gfp.Text (Gfp.Base is offset 0).
std::vector<ByteRange> rangesOf(const SpelledGfp &Gfp) {
  std::vector<ByteRange> R;
  for (const Operand &O : Gfp.Operands)
    R.push_back({O.Begin - Gfp.Base, O.End - Gfp.Base});
  return R;
}

FixIt toFix(const SpelledGfp &Gfp, const BufferEdit &E,
            std::string Description) {
  FixIt F;
  F.Description = std::move(Description);
  F.Edits.push_back(
      {Gfp.File, Gfp.Base + E.Offset, E.Length, E.Text, Gfp.FileHash});
  return F;
}

void append(std::optional<FixIt> &Into, FixIt &&F) {
  if (Into)
    Into->Edits.insert(Into->Edits.end(), F.Edits.begin(), F.Edits.end());
  else
    Into = std::move(F);
}

} // namespace

std::optional<FixIt> dropGfpFlag(const SpelledGfp &Gfp, uint64_t FlagValue,
                                 const std::string &FlagName,
                                 std::string &WhyNot) {
  if (!Gfp.Valid) {
    WhyNot = "the gfp argument is not spelled in one place";
    return std::nullopt;
  }
  std::vector<ByteRange> Ranges = rangesOf(Gfp);
  std::optional<FixIt> Result;
  for (size_t I = 0; I < Gfp.Operands.size(); ++I) {
    const Operand &L = Gfp.Operands[I];
    if (!L.Value || !(*L.Value & FlagValue))
      continue;
    if (L.Text == FlagName && *L.Value == FlagValue) {
      if (Gfp.Operands.size() < 2) {
        WhyNot = FlagName + " is the whole gfp argument";
        return std::nullopt;
      }
      auto E = removeOrOperand(Gfp.Text, Ranges, I);
      if (!E) {
        WhyNot = Gfp.Text.find("//") != std::string::npos
                     ? "a `//` comment beside " + FlagName +
                           " would run into the code after it once the "
                           "flag is dropped: drop it by hand, or make the "
                           "comment a /* */ one"
                     : "the text around " + FlagName + " is not a plain `|`";
        return std::nullopt;
      }
      append(Result, toFix(Gfp, *E, "drop " + FlagName));
      continue;
    }
    // A macro carries the flag: a composite of the gfp headers
    // (GFP_HIGHUSER), or a gfp macro of this file.
    if (!isCIdentifier(L.Text) || L.Kind == Operand::Macro::None ||
        L.Kind == Operand::Macro::FunctionLike) {
      WhyNot = FlagName + " comes from '" + L.Text + "'";
      return std::nullopt;
    }
    if (L.Kind == Operand::Macro::Header) {
      if (L.Counterpart.empty()) {
        WhyNot = L.Text + " includes " + FlagName +
                 " and the tree defines no macro with exactly its other flags";
        return std::nullopt;
      }
      auto E = replaceOrOperand(Gfp.Text, Ranges, I, L.Counterpart);
      if (!E) {
        WhyNot = "cannot replace '" + L.Text + "'";
        return std::nullopt;
      }
      append(Result,
             toFix(Gfp, *E, "replace " + L.Text + " with " + L.Counterpart));
      continue;
    }
    if (!L.OnlyVmallocGfp) {
      WhyNot = L.Text + " is also used outside vmalloc gfp arguments";
      return std::nullopt;
    }
    std::optional<FixIt> F = dropGfpFlag(L.Body ? *L.Body : SpelledGfp(),
                                         FlagValue, FlagName, WhyNot);
    if (!F)
      return std::nullopt;
    append(Result, std::move(*F));
  }
  if (!Result)
    WhyNot = FlagName + " is not written in the gfp argument";
  return Result;
}

std::optional<FixIt> appendGfpFlag(const SpelledGfp &Gfp,
                                   const std::string &FlagName,
                                   std::string &WhyNot) {
  if (!Gfp.Valid) {
    WhyNot = "the gfp argument is not spelled in one place";
    return std::nullopt;
  }
  for (const Operand &L : Gfp.Operands)
    if (!L.Value) {
      WhyNot = "part of the gfp mask comes from '" + L.Text + "'";
      return std::nullopt;
    }
  auto E = appendOrOperand(Gfp.Text, rangesOf(Gfp), FlagName);
  if (!E) {
    WhyNot = "no safe place to add " + FlagName;
    return std::nullopt;
  }
  return toFix(Gfp, *E, "add " + FlagName);
}

} // namespace vmalloc_lint
