#include "tool/Prefilter.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <deque>
#include <set>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

bool isIdentStart(char C) {
  return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') || C == '_';
}
bool isIdentChar(char C) { return isIdentStart(C) || (C >= '0' && C <= '9'); }

/// Text with comments blanked (newlines kept), strings and characters kept.
std::string stripComments(llvm::StringRef T) {
  std::string Out(T.str());
  size_t N = T.size();
  for (size_t I = 0; I < N;) {
    char C = T[I];
    if (C == '"' || C == '\'') {
      for (++I; I < N && T[I] != C && T[I] != '\n'; ++I)
        if (T[I] == '\\')
          ++I;
      ++I;
    } else if (C == '/' && I + 1 < N && T[I + 1] == '/') {
      for (; I < N && T[I] != '\n'; ++I)
        Out[I] = ' ';
    } else if (C == '/' && I + 1 < N && T[I + 1] == '*') {
      size_t E = T.find("*/", I + 2);
      E = E == llvm::StringRef::npos ? N : E + 2;
      for (; I < E; ++I)
        if (Out[I] != '\n')
          Out[I] = ' ';
    } else {
      ++I;
    }
  }
  return Out;
}

struct Definition {
  llvm::StringRef Name, Body;
};

/// The #defines of Code (comments stripped), bodies with their
/// continuation lines.
std::vector<Definition> definitions(const std::string &Code) {
  std::vector<Definition> Out;
  llvm::StringRef T(Code);
  size_t N = Code.size();
  // Directives (with continuation lines).
  for (size_t Line = 0; Line < N;) {
    size_t End = Line;
    while (true) {
      size_t Nl = T.find('\n', End);
      if (Nl == llvm::StringRef::npos) {
        End = N;
        break;
      }
      size_t K = Nl;
      while (K > End &&
             (T[K - 1] == ' ' || T[K - 1] == '\t' || T[K - 1] == '\r'))
        --K;
      if (K > End && T[K - 1] == '\\') {
        End = Nl + 1;
        continue;
      }
      End = Nl;
      break;
    }
    llvm::StringRef L = T.slice(Line, End).ltrim(" \t");
    if (L.consume_front("#")) {
      L = L.ltrim(" \t");
      if (L.consume_front("define") && !L.empty() &&
          (L[0] == ' ' || L[0] == '\t')) {
        L = L.ltrim(" \t");
        size_t E = 0;
        while (E < L.size() && isIdentChar(L[E]))
          ++E;
        if (E)
          Out.push_back({L.take_front(E), L.drop_front(E)});
      }
    }
    Line = End + 1;
  }
  return Out;
}

/// Function definitions at file scope: name before the parameter list
/// before '{', body to the matching '}'. Directive lines are skipped.
void functionDefinitions(llvm::StringRef T, std::vector<Definition> &Out) {
  size_t N = T.size();
  int Depth = 0;
  size_t Open = 0;
  llvm::StringRef Name;
  bool AtLineStart = true;
  for (size_t I = 0; I < N; ++I) {
    char C = T[I];
    if (AtLineStart) {
      size_t J = I;
      while (J < N && (T[J] == ' ' || T[J] == '\t'))
        ++J;
      if (J < N && T[J] == '#') {
        // Skip the directive with its continuation lines.
        while (J < N && T[J] != '\n') {
          if (T[J] == '\\' && J + 1 < N && T[J + 1] == '\n')
            ++J;
          ++J;
        }
        I = J;
        AtLineStart = true;
        continue;
      }
    }
    AtLineStart = C == '\n';
    if (C == '"' || C == '\'') {
      for (++I; I < N && T[I] != C && T[I] != '\n'; ++I)
        if (T[I] == '\\')
          ++I;
      continue;
    }
    if (C == '{') {
      if (Depth++ == 0) {
        Open = I;
        Name = "";
        size_t K = I;
        while (K > 0 && isspace((unsigned char)T[K - 1]))
          --K;
        if (K > 0 && T[K - 1] == ')') {
          int P = 0;
          size_t J = K;
          while (J > 0) {
            char D = T[--J];
            if (D == ')')
              ++P;
            else if (D == '(' && --P == 0)
              break;
          }
          while (J > 0 && isspace((unsigned char)T[J - 1]))
            --J;
          size_t E = J;
          while (J > 0 && isIdentChar(T[J - 1]))
            --J;
          if (J < E && isIdentStart(T[J]))
            Name = T.slice(J, E);
        }
      }
    } else if (C == '}' && Depth > 0) {
      if (--Depth == 0 && !Name.empty() && !Name.starts_with("__attribute"))
        Out.push_back({Name, T.slice(Open, I + 1)});
    }
  }
}

bool isHeader(llvm::StringRef P) { return P.ends_with(".h"); }

std::string normal(llvm::StringRef P) {
  llvm::SmallString<256> S(P);
  path::remove_dots(S, true);
  return std::string(S);
}

void listHeaders(const std::string &Dir, bool Recursive,
                 std::vector<std::string> &Out) {
  std::error_code EC;
  if (!Recursive) {
    for (fs::directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC))
      if (isHeader(It->path()) && It->type() == fs::file_type::regular_file)
        Out.push_back(It->path());
    return;
  }
  for (fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (isHeader(It->path()) && It->type() == fs::file_type::regular_file)
      Out.push_back(It->path());
}

} // namespace

KeywordSet::KeywordSet(const std::vector<std::string> &List) {
  for (const std::string &N : List)
    Names.insert(N);
}

bool KeywordSet::contains(llvm::StringRef Id) const {
  if (Names.contains(Id))
    return true;
  return Id.consume_back("_noprof") && Names.contains(Id);
}

llvm::StringRef KeywordSet::firstMention(llvm::StringRef T) const {
  size_t N = T.size();
  for (size_t I = 0; I < N;) {
    if (!isIdentChar(T[I])) {
      ++I;
      continue;
    }
    size_t B = I;
    while (I < N && isIdentChar(T[I]))
      ++I;
    if (isIdentStart(T[B]) && contains(T.slice(B, I)))
      return T.slice(B, I);
  }
  return "";
}

std::vector<std::string> wrapperDefinitions(llvm::StringRef Text,
                                            const KeywordSet &Keywords) {
  std::string Code = stripComments(Text);
  std::vector<Definition> Defs = definitions(Code);
  functionDefinitions(Code, Defs);
  std::vector<std::string> Out;
  for (const Definition &D : Defs)
    if (!Keywords.contains(D.Name) && Keywords.mentions(D.Body))
      Out.push_back(D.Name.str());
  return Out;
}

std::vector<IncludeLine> includeLines(llvm::StringRef Text) {
  std::vector<IncludeLine> Out;
  for (size_t P = 0; (P = Text.find("include", P)) != llvm::StringRef::npos;
       P += 7) {
    // "#", blanks, "include" at the start of a line.
    size_t B = P;
    while (B > 0 && (Text[B - 1] == ' ' || Text[B - 1] == '\t'))
      --B;
    if (B == 0 || Text[B - 1] != '#')
      continue;
    size_t H = B - 1;
    while (H > 0 && (Text[H - 1] == ' ' || Text[H - 1] == '\t'))
      --H;
    if (H > 0 && Text[H - 1] != '\n')
      continue;
    llvm::StringRef Rest = Text.drop_front(P + 7).ltrim(" \t");
    if (Rest.empty() || (Rest[0] != '<' && Rest[0] != '"'))
      continue;
    char Close = Rest[0] == '<' ? '>' : '"';
    size_t E = Rest.find_first_of(llvm::StringRef(&Close, 1), 1);
    size_t Nl = Rest.find('\n');
    if (E == llvm::StringRef::npos || (Nl != llvm::StringRef::npos && E > Nl))
      continue;
    Out.push_back({Rest.slice(1, E).str(), Close == '"'});
  }
  return Out;
}

std::vector<std::string> headersToScan(const std::vector<std::string> &Inputs,
                                       const std::string &TreeRoot,
                                       const std::string &Arch) {
  std::vector<std::string> Out;
  std::set<std::string> Dirs;
  for (const std::string &F : Inputs)
    if (!isHeader(F))
      Dirs.insert(path::parent_path(F).str());
  for (const std::string &D : Dirs)
    listHeaders(D, false, Out);
  if (!TreeRoot.empty()) {
    listHeaders(TreeRoot + "/include", true, Out);
    if (!Arch.empty())
      listHeaders(TreeRoot + "/arch/" + Arch + "/include", true, Out);
  }
  std::sort(Out.begin(), Out.end());
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
  return Out;
}

namespace {

/// Identifier -> the groups it belongs to.
class GroupScanner {
public:
  void add(llvm::StringRef Name, uint32_t Groups) { Bits[Name] |= Groups; }
  uint32_t of(llvm::StringRef Id) const {
    auto It = Bits.find(Id);
    uint32_t B = It == Bits.end() ? 0 : It->second;
    if (Id.consume_back("_noprof")) {
      auto J = Bits.find(Id);
      if (J != Bits.end())
        B |= J->second;
    }
    return B;
  }
  /// The groups Text mentions (stops early once it has all of Want).
  uint32_t scan(llvm::StringRef T, uint32_t Want) const {
    uint32_t Got = 0;
    size_t N = T.size();
    for (size_t I = 0; I < N;) {
      if (!isIdentChar(T[I])) {
        ++I;
        continue;
      }
      size_t B = I;
      while (I < N && isIdentChar(T[I]))
        ++I;
      if (isIdentStart(T[B]) && (Got |= of(T.slice(B, I))) == Want)
        break;
    }
    return Got;
  }
  size_t size() const { return Bits.size(); }

private:
  llvm::StringMap<uint32_t> Bits;
};

} // namespace

PrefilterPlan planPrefilter(const std::vector<std::string> &Inputs,
                            const std::vector<std::string> &ExtraHeaders,
                            const PrefilterNeeds &Needs) {
  PrefilterPlan Plan;
  GroupScanner Scanner;
  uint32_t All = 0;
  for (size_t G = 0; G < Needs.Groups.size() && G < 32; ++G) {
    for (const std::string &N : Needs.Groups[G])
      Scanner.add(N, 1u << G);
    All |= 1u << G;
  }
  std::vector<uint32_t> Alternatives;
  for (const std::vector<unsigned> &A : Needs.Alternatives) {
    uint32_t M = 0;
    for (unsigned G : A)
      M |= 1u << G;
    Alternatives.push_back(M);
  }
  auto Wanted = [&](uint32_t Got) {
    for (uint32_t A : Alternatives)
      if ((Got & A) == A)
        return true;
    return false;
  };
  std::set<std::string> InputSet(Inputs.begin(), Inputs.end());

  // Headers: read them all, collect their definitions, close the groups
  // over them.
  std::vector<std::string> Headers;
  for (const std::string &F : Inputs)
    if (isHeader(F))
      Headers.push_back(F);
  for (const std::string &F : ExtraHeaders)
    if (!InputSet.count(F))
      Headers.push_back(F);
  std::deque<std::string> Code; // comment-stripped header texts
  std::vector<Definition> Defs;
  std::vector<llvm::StringRef> HeaderCode;
  std::map<std::string, std::vector<IncludeLine>> Includes;
  for (const std::string &H : Headers) {
    auto B = llvm::MemoryBuffer::getFile(H);
    if (!B) {
      if (InputSet.count(H))
        Plan.Unreadable.push_back(H);
      HeaderCode.push_back("");
      continue;
    }
    Includes[H] = includeLines((*B)->getBuffer());
    Code.push_back(stripComments((*B)->getBuffer()));
    std::vector<Definition> D = definitions(Code.back());
    functionDefinitions(Code.back(), D);
    Defs.insert(Defs.end(), D.begin(), D.end());
    HeaderCode.push_back(Code.back());
  }
  Plan.HeadersScanned = Headers.size();
  // Each body once: the identifiers in it that can ever be keywords (the
  // roots and the defined names); then the fixpoint over those lists.
  llvm::StringSet<> Interesting;
  for (const std::vector<std::string> &G : Needs.Groups)
    for (const std::string &N : G)
      Interesting.insert(N);
  for (const Definition &D : Defs)
    Interesting.insert(D.Name);
  std::vector<std::vector<llvm::StringRef>> Refs(Defs.size());
  for (size_t I = 0; I < Defs.size(); ++I) {
    llvm::StringRef T = Defs[I].Body;
    llvm::StringSet<> Seen;
    for (size_t P = 0; P < T.size();) {
      if (!isIdentChar(T[P])) {
        ++P;
        continue;
      }
      size_t B = P;
      while (P < T.size() && isIdentChar(T[P]))
        ++P;
      llvm::StringRef Id = T.slice(B, P);
      llvm::StringRef Base = Id;
      if (isIdentStart(T[B]) &&
          (Interesting.contains(Id) ||
           (Base.consume_back("_noprof") && Interesting.contains(Base))) &&
          Seen.insert(Id).second)
        Refs[I].push_back(Id);
    }
  }
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t I = 0; I < Defs.size(); ++I) {
      uint32_t Has = Scanner.of(Defs[I].Name);
      if (Has == All || Refs[I].empty())
        continue;
      uint32_t Got = 0;
      for (llvm::StringRef R : Refs[I])
        Got |= Scanner.of(R);
      if (uint32_t New = Got & ~Has) {
        Scanner.add(Defs[I].Name, New);
        Changed = true;
      }
    }
  }
  Plan.Keywords = Scanner.size();

  // Site headers: mention a keyword (comments count).
  std::vector<std::string> Sites;
  for (size_t I = 0; I < Headers.size(); ++I) {
    bool Mentions = false;
    if (!HeaderCode[I].empty()) {
      auto B = llvm::MemoryBuffer::getFile(Headers[I]);
      Mentions = B && Wanted(Scanner.scan((*B)->getBuffer(), All));
    }
    if (Mentions)
      Sites.push_back(Headers[I]);
    if (InputSet.count(Headers[I]))
      (Mentions ? Plan.Keep : Plan.Skip).push_back(Headers[I]);
  }

  // Sources: kept when they mention a keyword; their #include lines feed
  // the include graph.
  for (const std::string &F : Inputs) {
    if (isHeader(F))
      continue;
    auto B = llvm::MemoryBuffer::getFile(F);
    if (!B) {
      Plan.Unreadable.push_back(F);
      continue;
    }
    bool Mentions = Wanted(Scanner.scan((*B)->getBuffer(), All));
    (Mentions ? Plan.Keep : Plan.Skip).push_back(F);
    if (!Mentions)
      Includes[F] = includeLines((*B)->getBuffer());
  }

  // Reverse include graph over the scanned headers: who includes whom.
  llvm::StringMap<std::vector<std::string>> BySuffix;
  std::set<std::string> HeaderSet(Headers.begin(), Headers.end());
  for (const std::string &H : Headers) {
    llvm::StringRef P(H);
    for (int Parts = 0; Parts < 4; ++Parts) {
      size_t S = P.rfind('/');
      if (S == llvm::StringRef::npos)
        break;
      BySuffix[llvm::StringRef(H).drop_front(S + 1)].push_back(H);
      P = P.take_front(S);
    }
  }
  std::map<std::string, std::vector<std::string>> IncludedBy;
  for (const auto &[From, Lines] : Includes)
    for (const IncludeLine &L : Lines) {
      if (L.Quoted) {
        std::string Local =
            normal(path::parent_path(From).str() + "/" + L.Target);
        if (HeaderSet.count(Local)) {
          IncludedBy[Local].push_back(From);
          continue;
        }
      }
      auto It = BySuffix.find(normal(L.Target));
      if (It != BySuffix.end())
        for (const std::string &H : It->second)
          IncludedBy[H].push_back(From);
    }
  for (const std::string &S : Sites) {
    std::vector<std::string> Units;
    std::set<std::string> Seen{S};
    std::vector<std::string> Level{S};
    while (!Level.empty() && Units.size() < 4) {
      std::vector<std::string> Next, Found;
      for (const std::string &H : Level) {
        auto It = IncludedBy.find(H);
        if (It == IncludedBy.end())
          continue;
        for (const std::string &F : It->second) {
          if (!Seen.insert(F).second)
            continue;
          if (isHeader(F))
            Next.push_back(F);
          else
            Found.push_back(F);
        }
      }
      std::sort(Found.begin(), Found.end());
      for (const std::string &F : Found)
        if (Units.size() < 4)
          Units.push_back(F);
      std::sort(Next.begin(), Next.end());
      Level = std::move(Next);
    }
    Plan.SiteHeaders.emplace_back(S, std::move(Units));
  }
  std::sort(Plan.Keep.begin(), Plan.Keep.end());
  std::sort(Plan.Skip.begin(), Plan.Skip.end());
  return Plan;
}

} // namespace vmalloc_lint
