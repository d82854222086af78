#include "rewriters/GfpFixes.h"

#include "matchers/text/CIdentifier.h"
#include "rewriters/OrChain.h"

#include <algorithm>

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

/// Columns of a line, a tab to the next multiple of 8.
unsigned columns(llvm::StringRef Line) {
  unsigned C = 0;
  for (char Ch : Line)
    C = Ch == '\t' ? (C / 8 + 1) * 8 : C + 1;
  return C;
}

/// A fix that leaves a two-line statement short enough for one line of 80
/// columns (the kernel coding style's limit) joins its lines, as upstream
/// does (4.12's kernel/bpf/core.c, kernel/bpf/syscall.c,
/// fs/btrfs/free-space-tree.c): one edit of both lines. Lines with a
/// comment, a string or a line continuation stay as they are.
void joinLines(const SpelledGfp &Gfp, FixIt &F) {
  if (Gfp.Lines.empty())
    return;
  unsigned B = Gfp.LinesBase, E = B + unsigned(Gfp.Lines.size());
  std::vector<TextEdit> Edits = F.Edits;
  for (const TextEdit &Ed : Edits)
    if (Ed.File != Gfp.File || Ed.Offset < B || Ed.Offset + Ed.Length > E)
      return;
  std::sort(
      Edits.begin(), Edits.end(),
      [](const TextEdit &X, const TextEdit &Y) { return X.Offset > Y.Offset; });
  std::string T = Gfp.Lines;
  for (const TextEdit &Ed : Edits)
    T.replace(Ed.Offset - B, Ed.Length, Ed.Text);
  size_t NL = T.find('\n');
  if (NL == std::string::npos || T.find('\n', NL + 1) != std::string::npos ||
      T.find_first_of("\\\"'") != std::string::npos ||
      T.find("/*") != std::string::npos || T.find("//") != std::string::npos)
    return;
  llvm::StringRef First = llvm::StringRef(T).substr(0, NL).rtrim(" \t\r");
  llvm::StringRef Second = llvm::StringRef(T).substr(NL + 1).ltrim(" \t");
  if (First.trim(" \t").empty() || Second.empty())
    return;
  std::string Joined = First.str();
  if (!First.ends_with("(") && !Second.starts_with(")") &&
      !Second.starts_with(",") && !Second.starts_with(";"))
    Joined += ' ';
  Joined += Second.str();
  if (columns(Joined) > 80)
    return;
  F.Edits = {{Gfp.File, B, E - B, Joined, Gfp.FileHash}};
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
      // The gfp headers' composites (GFP_HIGHUSER) have a counterpart; a
      // subsystem header's own macro is another file's to change, and every
      // file that includes the header may expand it.
      bool GfpHeader = L.Where.rfind("gfp", 0) == 0;
      if (L.Counterpart.empty() && !GfpHeader && !L.Where.empty()) {
        // The body's edit; the run keeps it only when every expansion of
        // the macro in the tree is a vmalloc gfp argument that it fixes
        // the same way (rewriters/HeaderMacroFixes.h).
        if (L.Body && L.Body->Valid) {
          std::optional<FixIt> F =
              dropGfpFlag(*L.Body, FlagValue, FlagName, WhyNot);
          if (!F)
            return std::nullopt;
          append(Result, std::move(*F));
          continue;
        }
        WhyNot = L.Text + " is defined in a header (" + L.Where +
                 "), which other files may expand too: drop " + FlagName +
                 " from its body by hand once each of its expansions is a "
                 "vmalloc gfp argument";
        return std::nullopt;
      }
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
      WhyNot = L.Where.empty()
                   ? L.Text + " is also used outside vmalloc gfp arguments"
                   : L.Text + " is also expanded at " + L.Where +
                         ", not a vmalloc gfp argument: dropping " + FlagName +
                         " from its body would change that use too";
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
  else
    joinLines(Gfp, *Result);
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
