#include "matchers/text/NoLint.h"

#include "matchers/checks/CheckGlob.h"
#include "matchers/text/FileText.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <memory>
#include <optional>

namespace vmalloc_lint {

bool NoLintToken::suppresses(llvm::StringRef Check) const {
  if (!Listed)
    return true;
  // clang-tidy: CachedGlobList(Checks, KeepNegativeGlobs=false): any
  // positive item matching (an empty item matches no check name).
  llvm::SmallVector<llvm::StringRef, 4> Items;
  llvm::StringRef(Checks).split(Items, ',');
  for (llvm::StringRef Item : Items) {
    Item = Item.trim();
    if (!Item.starts_with("-") && globMatch(Item.str(), Check.str()))
      return true;
  }
  return false;
}

std::vector<NoLintToken> noLintTokens(llvm::StringRef Buffer) {
  static constexpr llvm::StringLiteral Word = "NOLINT";
  std::vector<NoLintToken> Out;
  size_t Pos = 0;
  while (Pos < Buffer.size()) {
    size_t At = Buffer.find(Word, Pos);
    if (At == llvm::StringRef::npos)
      break;
    Pos = At + Word.size();
    while (Pos < Buffer.size() && llvm::isAlpha(Buffer[Pos]))
      ++Pos;
    llvm::StringRef Name = Buffer.slice(At, Pos);
    NoLintToken T;
    T.Pos = At;
    if (Name == "NOLINT")
      T.What = NoLintToken::Kind::NoLint;
    else if (Name == "NOLINTNEXTLINE")
      T.What = NoLintToken::Kind::NextLine;
    else if (Name == "NOLINTBEGIN")
      T.What = NoLintToken::Kind::Begin;
    else if (Name == "NOLINTEND")
      T.What = NoLintToken::Kind::End;
    else
      continue;
    if (Pos < Buffer.size() && Buffer[Pos] == '(') {
      size_t Close = Buffer.find_first_of("\n)", Pos + 1);
      if (Close != llvm::StringRef::npos && Buffer[Close] == ')') {
        T.Listed = true;
        llvm::SmallVector<llvm::StringRef, 4> Items;
        Buffer.slice(Pos + 1, Close).split(Items, ',');
        for (llvm::StringRef &I : Items)
          I = I.trim();
        T.Checks = llvm::join(Items, ",");
        Pos = Close + 1;
      }
    }
    Out.push_back(std::move(T));
  }
  return Out;
}

std::vector<NoLintBlock> noLintBlocks(llvm::StringRef Buffer) {
  std::vector<NoLintBlock> Done;
  std::vector<NoLintToken> Open;
  for (NoLintToken &T : noLintTokens(Buffer)) {
    if (T.What == NoLintToken::Kind::Begin) {
      Open.push_back(std::move(T));
    } else if (T.What == NoLintToken::Kind::End && !Open.empty() &&
               Open.back().Listed == T.Listed &&
               Open.back().Checks == T.Checks) {
      Done.push_back({std::move(Open.back()), T.Pos});
      Open.pop_back();
    }
  }
  return Done;
}

namespace {

/// [start, end) of the line holding Offset ('\n' ends a line).
std::pair<size_t, size_t> lineAround(llvm::StringRef Buffer, size_t Offset) {
  size_t Start = Buffer.find_last_of('\n', Offset);
  Start = Start == llvm::StringRef::npos ? 0 : Start + 1;
  size_t End = std::min(Buffer.find('\n', Offset), Buffer.size());
  return {Start, End};
}

bool lineHas(llvm::StringRef Buffer, std::pair<size_t, size_t> Line,
             NoLintToken::Kind What, llvm::StringRef Check) {
  for (const NoLintToken &T :
       noLintTokens(Buffer.slice(Line.first, Line.second)))
    if (T.What == What && T.suppresses(Check))
      return true;
  return false;
}

} // namespace

bool noLintAt(llvm::StringRef Buffer, const std::vector<NoLintBlock> &Blocks,
              size_t Offset, llvm::StringRef Check) {
  if (Offset > Buffer.size())
    return false;
  auto Line = lineAround(Buffer, Offset);
  if (lineHas(Buffer, Line, NoLintToken::Kind::NoLint, Check))
    return true;
  if (Line.first > 0 && lineHas(Buffer, lineAround(Buffer, Line.first - 1),
                                NoLintToken::Kind::NextLine, Check))
    return true;
  for (const NoLintBlock &B : Blocks)
    if (B.Begin.Pos < Offset && Offset < B.EndPos && B.Begin.suppresses(Check))
      return true;
  return false;
}

bool NoLintFilter::at(const SourcePoint &P, const std::string &Check) {
  if (!P.valid())
    return false;
  const std::string *T = Text(P.File);
  if (!T)
    return false;
  auto It = Blocks.find(P.File);
  if (It == Blocks.end())
    It = Blocks.emplace(P.File, noLintBlocks(*T)).first;
  return noLintAt(*T, It->second, P.Offset, Check);
}

bool NoLintFilter::suppresses(const Finding &F) {
  if (at(F.Where, F.Check))
    return true;
  for (const SourcePoint &E : F.Expansions)
    if (at(E, F.Check))
      return true;
  return false;
}

size_t NoLintFilter::apply(std::vector<Finding> &Findings) {
  size_t Before = Findings.size();
  std::vector<Finding> Keep;
  Keep.reserve(Findings.size());
  for (Finding &F : Findings)
    if (!suppresses(F))
      Keep.push_back(std::move(F));
  Findings = std::move(Keep);
  return Before - Findings.size();
}

NoLintFilter::TextOf
noLintTextFromDisk(const std::map<std::string, std::string> *Overlay) {
  auto Cache =
      std::make_shared<std::map<std::string, std::optional<std::string>>>();
  return [Overlay, Cache](const std::string &File) -> const std::string * {
    if (Overlay)
      if (auto It = Overlay->find(File); It != Overlay->end())
        return &It->second;
    auto It = Cache->find(File);
    if (It == Cache->end()) {
      llvm::ErrorOr<std::string> T = readWholeFile(File);
      It = Cache
               ->emplace(File, T ? std::optional<std::string>(std::move(*T))
                                 : std::nullopt)
               .first;
    }
    return It->second ? &*It->second : nullptr;
  };
}

} // namespace vmalloc_lint
