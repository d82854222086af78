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

/// The offset of the first directive of kind What on Line that names
/// Check, or npos.
size_t lineHas(llvm::StringRef Buffer, std::pair<size_t, size_t> Line,
               NoLintToken::Kind What, llvm::StringRef Check) {
  for (const NoLintToken &T :
       noLintTokens(Buffer.slice(Line.first, Line.second)))
    if (T.What == What && T.suppresses(Check))
      return Line.first + T.Pos;
  return llvm::StringRef::npos;
}

} // namespace

size_t noLintDirectiveAt(llvm::StringRef Buffer,
                         const std::vector<NoLintBlock> &Blocks, size_t Offset,
                         llvm::StringRef Check) {
  const size_t None = llvm::StringRef::npos;
  if (Offset > Buffer.size())
    return None;
  auto Line = lineAround(Buffer, Offset);
  if (size_t At = lineHas(Buffer, Line, NoLintToken::Kind::NoLint, Check);
      At != None)
    return At;
  if (Line.first > 0)
    if (size_t At = lineHas(Buffer, lineAround(Buffer, Line.first - 1),
                            NoLintToken::Kind::NextLine, Check);
        At != None)
      return At;
  for (const NoLintBlock &B : Blocks)
    if (B.Begin.Pos < Offset && Offset < B.EndPos && B.Begin.suppresses(Check))
      return B.Begin.Pos;
  return None;
}

bool noLintAt(llvm::StringRef Buffer, const std::vector<NoLintBlock> &Blocks,
              size_t Offset, llvm::StringRef Check) {
  return noLintDirectiveAt(Buffer, Blocks, Offset, Check) !=
         llvm::StringRef::npos;
}

std::vector<NoLintToken>
unusedNoLints(llvm::StringRef Buffer, const std::set<size_t> &Used,
              const std::vector<std::string> &Known,
              const std::function<bool(const std::string &)> &Enabled) {
  std::vector<NoLintToken> Out;
  for (NoLintToken &T : noLintTokens(Buffer)) {
    if (T.What == NoLintToken::Kind::End || !T.Listed || T.Checks.empty() ||
        Used.count(T.Pos))
      continue;
    // Every item names checks of this tool, every one of them run: a
    // directive for another tool's checks (or a check not run) may be in
    // use elsewhere.
    llvm::SmallVector<llvm::StringRef, 4> Items;
    llvm::StringRef(T.Checks).split(Items, ',');
    bool Ours = true, Positive = false;
    for (llvm::StringRef Item : Items) {
      if (Item.empty() || Item.starts_with("-"))
        continue;
      Positive = true;
      bool Any = false;
      for (const std::string &K : Known)
        if (globMatch(Item.str(), K)) {
          Any = true;
          Ours &= Enabled(K);
        }
      Ours &= Any;
    }
    if (Ours && Positive)
      Out.push_back(std::move(T));
  }
  return Out;
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
  size_t At = noLintDirectiveAt(*T, It->second, P.Offset, Check);
  if (At == llvm::StringRef::npos)
    return false;
  Used[P.File].insert(At);
  return true;
}

bool NoLintFilter::suppresses(const Finding &F) {
  // Every directive that applies is in use (the finding's line and each
  // expansion site's): none of them is reported as unused.
  bool Suppressed = at(F.Where, F.Check);
  for (const SourcePoint &E : F.Expansions)
    Suppressed |= at(E, F.Check);
  return Suppressed;
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
