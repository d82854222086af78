#include "rewriters/HeaderMacroFixes.h"

#include "matchers/text/CodeText.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>
#include <optional>
#include <utility>

namespace vmalloc_lint {

namespace {

/// The first byte of the logical line (continuation lines joined) that
/// holds Offset.
size_t logicalLineStart(llvm::StringRef T, size_t Offset) {
  size_t LS = Offset == 0 ? 0 : T.rfind('\n', Offset - 1);
  LS = LS == llvm::StringRef::npos ? 0 : LS + 1;
  while (LS >= 2) {
    size_t P = LS - 2; // the byte before the newline ending the line above
    if (T[P] == '\r' && P > 0)
      --P;
    if (T[P] != '\\')
      break;
    size_t Above = P == 0 ? llvm::StringRef::npos : T.rfind('\n', P - 1);
    LS = Above == llvm::StringRef::npos ? 0 : Above + 1;
  }
  return LS;
}

/// The end of the logical line that starts at LS (its last newline's
/// offset, or the text's end).
size_t logicalLineEnd(llvm::StringRef T, size_t LS) {
  for (size_t I = LS;;) {
    size_t NL = T.find('\n', I);
    if (NL == llvm::StringRef::npos)
      return T.size();
    size_t P = NL;
    if (P > LS && T[P - 1] == '\r')
      --P;
    if (P == LS || T[P - 1] != '\\')
      return NL;
    I = NL + 1;
  }
}

size_t skipBlanks(llvm::StringRef T, size_t I, size_t End) {
  while (I < End && (T[I] == ' ' || T[I] == '\t' || T[I] == '\\' ||
                     T[I] == '\r' || T[I] == '\n'))
    ++I;
  return I;
}

/// The directive keyword of the logical line at LS ("" when it is none)
/// and, for a #define, its name and the name's offset.
llvm::StringRef directive(llvm::StringRef T, size_t LS, size_t End,
                          llvm::StringRef &Name, size_t &NameAt) {
  size_t I = skipBlanks(T, LS, End);
  if (I >= End || T[I] != '#')
    return "";
  I = skipBlanks(T, I + 1, End);
  size_t K = I;
  while (I < End && isIdentChar(T[I]))
    ++I;
  llvm::StringRef Key = T.slice(K, I);
  if (Key == "define") {
    I = skipBlanks(T, I, End);
    NameAt = I;
    while (I < End && isIdentChar(T[I]))
      ++I;
    Name = T.slice(NameAt, I);
  }
  return Key;
}

unsigned lineOf(llvm::StringRef T, size_t Offset) {
  return unsigned(T.take_front(Offset).count('\n')) + 1;
}

std::string canonical(const std::string &P) {
  llvm::SmallString<256> Out;
  if (!llvm::sys::fs::real_path(P, Out))
    return std::string(Out);
  Out = P;
  llvm::sys::path::remove_dots(Out, true);
  return std::string(Out);
}

struct Group {
  std::string File, Canon; ///< the header
  std::string Name;
  unsigned NameOffset = 0, Line = 0;
  size_t Begin = 0, End = 0; ///< the #define's logical line
  std::set<std::pair<std::string, unsigned>> Uses; ///< canonical file, offset
  std::vector<size_t> Findings;
  std::string Flag;
  std::string Veto; ///< why the fix goes ("": it stays)
};

class TextCache {
public:
  explicit TextCache(const std::map<std::string, std::string> *Overlay)
      : Overlay(Overlay) {}
  const std::string *get(const std::string &File) {
    if (Overlay) {
      auto O = Overlay->find(File);
      if (O != Overlay->end())
        return &O->second;
    }
    auto It = Texts.find(File);
    if (It != Texts.end())
      return It->second ? &*It->second : nullptr;
    auto B = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
    auto &Slot = Texts[File];
    if (B)
      Slot = (*B)->getBuffer().str();
    return Slot ? &*Slot : nullptr;
  }

private:
  const std::map<std::string, std::string> *Overlay;
  std::map<std::string, std::optional<std::string>> Texts;
};

std::string flagOf(const FixIt &F) {
  llvm::StringRef D = F.Description;
  if (D.consume_front("drop ")) {
    llvm::StringRef Flag = D.take_while(isIdentChar);
    if (!Flag.empty())
      return Flag.str();
  }
  return "the flag";
}

} // namespace

bool headerMacroOf(const std::string &File, llvm::StringRef Text,
                   unsigned Offset, std::string &Name, unsigned &NameOffset) {
  if (!llvm::StringRef(File).ends_with(".h") || Offset > Text.size())
    return false;
  size_t LS = logicalLineStart(Text, Offset);
  size_t End = logicalLineEnd(Text, LS);
  llvm::StringRef N;
  size_t At = 0;
  if (directive(Text, LS, End, N, At) != "define" || N.empty())
    return false;
  size_t After = At + N.size();
  // A function-like macro's parameters follow its name without a blank.
  if (After < End && Text[After] == '(')
    return false;
  if (Offset < After || Offset >= End)
    return false;
  Name = N.str();
  NameOffset = unsigned(At);
  return true;
}

unsigned decideHeaderMacroFixes(std::vector<Finding> &Findings,
                                const HeaderMacroScope &Scope) {
  TextCache Texts(Scope.Overlay);
  std::map<std::string, std::string> Canon;
  auto canon = [&Canon](const std::string &P) -> const std::string & {
    auto It = Canon.find(P);
    if (It == Canon.end())
      It = Canon.emplace(P, canonical(P)).first;
    return It->second;
  };
  std::map<std::pair<std::string, unsigned>, Group> Groups;
  for (size_t I = 0; I < Findings.size(); ++I) {
    Finding &F = Findings[I];
    if (!F.Fix)
      continue;
    for (const TextEdit &E : F.Fix->Edits) {
      if (!llvm::StringRef(E.File).ends_with(".h"))
        continue;
      const std::string *T = Texts.get(E.File);
      std::string Name;
      unsigned At = 0;
      if (!T || !headerMacroOf(E.File, *T, E.Offset, Name, At))
        continue;
      Group &G = Groups[{E.File, At}];
      if (G.Name.empty()) {
        G.File = E.File;
        G.Canon = canon(E.File);
        G.Name = Name;
        G.NameOffset = At;
        G.Line = lineOf(*T, At);
        G.Begin = logicalLineStart(*T, At);
        G.End = logicalLineEnd(*T, G.Begin);
        G.Flag = flagOf(*F.Fix);
      }
      if (G.Findings.empty() || G.Findings.back() != I)
        G.Findings.push_back(I);
      auto Use = [&](const SourcePoint &P) {
        if (!P.valid())
          return;
        const std::string &C = canon(P.File);
        if (C == G.Canon && P.Offset >= G.Begin && P.Offset < G.End)
          return; // the flag in the body itself
        G.Uses.insert({C, P.Offset});
      };
      Use(F.Where);
      for (const SourcePoint &P : F.Expansions)
        Use(P);
    }
  }
  if (Groups.empty())
    return 0;

  auto Head = [](const Group &G) {
    return G.Name + " is defined in a header (" +
           llvm::sys::path::filename(G.File).str() + ":" +
           std::to_string(G.Line) + ")";
  };
  std::string Root = Scope.Root.empty() ? "" : canonical(Scope.Root);
  if (Root.empty()) {
    for (auto &KV : Groups) {
      Group &G = KV.second;
      G.Veto =
          Head(G) + ", which other files may expand too, and the run " +
          "has no kernel tree (--kernel-tree) to search for them: " + "drop " +
          G.Flag + " from its body by hand once each of its " +
          "expansions is a vmalloc gfp argument";
    }
  } else {
    std::set<std::string> Analysed;
    for (const std::string &A : Scope.Analysed)
      Analysed.insert(canon(A));
    auto Rel = [&Root](const std::string &C) {
      llvm::StringRef S(C);
      if (S.consume_front(Root) && S.consume_front("/"))
        return S.str();
      return C;
    };
    // The overlay's texts (new files too) instead of the disk's.
    std::map<std::string, const std::string *> Replaced;
    if (Scope.Overlay)
      for (const auto &KV : *Scope.Overlay)
        Replaced[canon(KV.first)] = &KV.second;
    auto Scan = [&](const std::string &Path, llvm::StringRef Raw) {
      bool Named = false;
      for (auto &KV : Groups)
        if (KV.second.Veto.empty() &&
            Raw.find(KV.second.Name) != llvm::StringRef::npos)
          Named = true;
      if (!Named)
        return;
      std::string C = canonical(Path);
      std::string Code = stripComments(Raw);
      llvm::StringRef T(Code);
      for (auto &KV : Groups) {
        Group &G = KV.second;
        if (!G.Veto.empty())
          continue;
        for (size_t At = T.find(G.Name); At != llvm::StringRef::npos;
             At = T.find(G.Name, At + 1)) {
          size_t E = At + G.Name.size();
          if ((At > 0 && isIdentChar(T[At - 1])) ||
              (E < T.size() && isIdentChar(T[E])))
            continue;
          if (C == G.Canon && At == G.NameOffset)
            continue; // the definition
          std::string Where = Rel(C) + ":" + std::to_string(lineOf(T, At));
          size_t LS = logicalLineStart(T, At);
          llvm::StringRef DefName;
          size_t DefAt = 0;
          llvm::StringRef Key =
              directive(T, LS, logicalLineEnd(T, LS), DefName, DefAt);
          if (Key == "ifdef" || Key == "ifndef" || Key == "undef")
            continue;
          if ((Key == "if" || Key == "elif") &&
              T.slice(LS, At).rtrim(" \t(").ends_with("defined"))
            continue;
          if (Key == "define" && DefAt == At) {
            G.Veto = Head(G) + " and again at " + Where + ": drop " + G.Flag +
                     " from its bodies by hand once each of its expansions " +
                     "is a vmalloc gfp argument";
          } else if (Key == "define") {
            G.Veto = Head(G) + " and named in the body of " + DefName.str() +
                     " at " + Where + ": dropping " + G.Flag +
                     " from its body would change " + DefName.str() +
                     "'s expansions too";
          } else if (!Key.empty()) {
            G.Veto = Head(G) + " and also expanded at " + Where + ", in an #" +
                     Key.str() + ": dropping " + G.Flag +
                     " from its body would change that use too";
          } else if (G.Uses.count({C, unsigned(At)})) {
            continue;
          } else if (Analysed.count(C)) {
            G.Veto =
                Head(G) + " and also expanded at " + Where +
                ", not a vmalloc gfp argument this run fixes: " + "dropping " +
                G.Flag + " from its body would change that use too";
          } else {
            G.Veto = Head(G) + " and also expanded at " + Where +
                     ", in a file this run did not analyse: analyse it " +
                     "too, or drop " + G.Flag + " from the macro's body by " +
                     "hand once each of its expansions is a vmalloc gfp " +
                     "argument";
          }
          break;
        }
      }
    };
    std::error_code EC;
    for (llvm::sys::fs::recursive_directory_iterator It(Root, EC, false), End;
         It != End && !EC; It.increment(EC)) {
      llvm::StringRef P = It->path();
      llvm::StringRef Base = llvm::sys::path::filename(P);
      if (It->type() == llvm::sys::fs::file_type::directory_file) {
        if (Base.starts_with("."))
          It.no_push();
        continue;
      }
      if (!(Base.ends_with(".c") || Base.ends_with(".h")))
        continue;
      if (It->type() != llvm::sys::fs::file_type::regular_file &&
          !llvm::sys::fs::is_regular_file(P))
        continue;
      if (!Replaced.empty() && Replaced.count(canonical(P.str())))
        continue;
      auto B = llvm::MemoryBuffer::getFile(P, false, false);
      if (B)
        Scan(P.str(), (*B)->getBuffer());
    }
    for (const auto &KV : Replaced) {
      llvm::StringRef Base = llvm::sys::path::filename(KV.first);
      if ((Base.ends_with(".c") || Base.ends_with(".h")) &&
          llvm::StringRef(KV.first).starts_with(Root + "/"))
        Scan(KV.first, *KV.second);
    }
  }

  std::set<size_t> Withdrawn;
  for (auto &KV : Groups) {
    const Group &G = KV.second;
    if (G.Veto.empty())
      continue;
    for (size_t I : G.Findings) {
      Finding &F = Findings[I];
      if (!F.Fix)
        continue;
      F.Fix.reset();
      F.Notes.push_back({F.Where, "no fix: " + G.Veto});
      Withdrawn.insert(I);
    }
  }
  return unsigned(Withdrawn.size());
}

} // namespace vmalloc_lint
