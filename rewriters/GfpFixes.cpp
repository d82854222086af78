#include "rewriters/GfpFixes.h"

#include "matchers/kernel/GfpFlags.h"
#include "rewriters/OrChain.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

using namespace clang;

namespace vmalloc_lint {

std::string filePathOf(FileID FID, const SourceManager &SM) {
  auto FE = SM.getFileEntryRefForID(FID);
  if (!FE)
    return "";
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(FE->getName(), Real))
    return std::string(Real);
  llvm::SmallString<256> Abs(FE->getName());
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, true);
  return std::string(Abs);
}

SourcePoint SourcePoints::at(SourceLocation L) {
  SourcePoint P;
  if (L.isInvalid())
    return P;
  auto [FID, Off] = SM.getDecomposedLoc(L);
  auto It = Paths.find(FID);
  if (It == Paths.end())
    It = Paths.try_emplace(FID, filePathOf(FID, SM)).first;
  P.File = It->second;
  if (P.File.empty())
    return P;
  P.Offset = Off;
  P.Line = SM.getLineNumber(FID, Off);
  P.Column = SM.getColumnNumber(FID, Off);
  return P;
}

uint64_t contentHash(llvm::StringRef Text) {
  return llvm::xxh3_64bits(llvm::arrayRefFromStringRef(Text));
}

namespace {

std::vector<ByteRange> rangesOf(const GfpChain &Chain) {
  std::vector<ByteRange> R;
  for (const ChainLeaf &L : Chain.Leaves)
    R.push_back({L.BeginOffset, L.EndOffset});
  return R;
}

FixIt toFix(const GfpChain &Chain, const BufferEdit &E, const SourceManager &SM,
            std::string Description) {
  FixIt F;
  F.Description = std::move(Description);
  llvm::StringRef Buf = SM.getBufferData(Chain.SpellingFile);
  F.Edits.push_back({filePathOf(Chain.SpellingFile, SM), E.Offset, E.Length,
                     E.Text, contentHash(Buf)});
  return F;
}

const MacroInfo *macroNamed(Preprocessor &PP, llvm::StringRef Name) {
  IdentifierInfo *II = PP.getIdentifierInfo(Name);
  return II ? PP.getMacroInfo(II) : nullptr;
}

} // namespace

std::optional<FixIt> dropGfpFlag(const GfpChain &Chain, uint64_t FlagValue,
                                 const std::string &FlagName, GfpFixContext &FC,
                                 std::string &WhyNot) {
  const SourceManager &SM = FC.Ctx.getSourceManager();
  if (!Chain.Valid || Chain.SpellingFile.isInvalid()) {
    WhyNot = "the gfp argument is not spelled in one place";
    return std::nullopt;
  }
  llvm::StringRef Buffer = SM.getBufferData(Chain.SpellingFile);
  std::vector<ByteRange> Ranges = rangesOf(Chain);
  std::optional<FixIt> Result;
  for (size_t I = 0; I < Chain.Leaves.size(); ++I) {
    const ChainLeaf &L = Chain.Leaves[I];
    if (!L.Value || !(*L.Value & FlagValue))
      continue;
    if (L.Text == FlagName && *L.Value == FlagValue) {
      if (Chain.Leaves.size() < 2) {
        WhyNot = FlagName + " is the whole gfp argument";
        return std::nullopt;
      }
      auto E = removeOrOperand(std::string_view(Buffer.data(), Buffer.size()),
                               Ranges, I);
      if (!E) {
        WhyNot = "the text around " + FlagName + " is not a plain `|`";
        return std::nullopt;
      }
      FixIt F = toFix(Chain, *E, SM, "drop " + FlagName);
      if (Result)
        Result->Edits.insert(Result->Edits.end(), F.Edits.begin(),
                             F.Edits.end());
      else
        Result = std::move(F);
      continue;
    }
    if (!L.isIdentifier()) {
      WhyNot = FlagName + " comes from '" + L.Text + "'";
      return std::nullopt;
    }
    // A macro carries the flag: a composite of the gfp headers
    // (GFP_HIGHUSER), or a gfp macro of this file.
    const MacroInfo *MI = macroNamed(FC.PP, L.Text);
    if (!MI || MI->isFunctionLike()) {
      WhyNot = FlagName + " comes from '" + L.Text + "'";
      return std::nullopt;
    }
    std::optional<FixIt> F;
    if (!SM.isInMainFile(SM.getExpansionLoc(MI->getDefinitionLoc()))) {
      std::string Repl = FC.Flags.counterpart(L.Text, *L.Value & ~FlagValue);
      if (Repl.empty()) {
        WhyNot = L.Text + " includes " + FlagName +
                 " and the tree defines no macro with exactly its other flags";
        return std::nullopt;
      }
      auto E = replaceOrOperand(std::string_view(Buffer.data(), Buffer.size()),
                                Ranges, I, Repl);
      if (!E) {
        WhyNot = "cannot replace '" + L.Text + "'";
        return std::nullopt;
      }
      F = toFix(Chain, *E, SM, "replace " + L.Text + " with " + Repl);
    } else {
      if (!FC.OnlyUsedAsVmallocGfp(MI)) {
        WhyNot = L.Text + " is also used outside vmalloc gfp arguments";
        return std::nullopt;
      }
      GfpChain Body = spellMacroBodyChain(L, FC.Ctx);
      F = dropGfpFlag(Body, FlagValue, FlagName, FC, WhyNot);
      if (!F)
        return std::nullopt;
    }
    if (Result)
      Result->Edits.insert(Result->Edits.end(), F->Edits.begin(),
                           F->Edits.end());
    else
      Result = std::move(F);
  }
  if (!Result)
    WhyNot = FlagName + " is not written in the gfp argument";
  return Result;
}

std::optional<FixIt> appendGfpFlag(const GfpChain &Chain,
                                   const std::string &FlagName,
                                   GfpFixContext &FC, std::string &WhyNot) {
  const SourceManager &SM = FC.Ctx.getSourceManager();
  if (!Chain.Valid || Chain.SpellingFile.isInvalid()) {
    WhyNot = "the gfp argument is not spelled in one place";
    return std::nullopt;
  }
  for (const ChainLeaf &L : Chain.Leaves)
    if (!L.Value) {
      WhyNot = "part of the gfp mask comes from '" + L.Text + "'";
      return std::nullopt;
    }
  llvm::StringRef Buffer = SM.getBufferData(Chain.SpellingFile);
  auto E = appendOrOperand(std::string_view(Buffer.data(), Buffer.size()),
                           rangesOf(Chain), FlagName);
  if (!E) {
    WhyNot = "no safe place to add " + FlagName;
    return std::nullopt;
  }
  return toFix(Chain, *E, SM, "add " + FlagName);
}

} // namespace vmalloc_lint
