#include "matchers/text/CodeText.h"

#include <algorithm>
#include <cctype>

namespace vmalloc_lint {

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

/// The #defines of Code (comments stripped), bodies with their
/// continuation lines.
namespace {
/// `if (x) {` at depth 0 is no function: a header whose braces an #ifdef
/// unbalances makes the scan see statements at file scope. Without this,
/// `if` became a wrapper name that every macro body mentions.
bool isStatementKeyword(llvm::StringRef N) {
  static const char *Words[] = {"if",     "while",   "for",        "switch",
                                "return", "sizeof",  "do",         "else",
                                "case",   "typeof",  "__typeof__", "_Generic",
                                "asm",    "__asm__", "defined",    "goto"};
  for (const char *W : Words)
    if (N == W)
      return true;
  return false;
}

/// T holds an identifier token (not just numbers such as 0x1fUL).
bool hasIdentifier(llvm::StringRef T) {
  return forEachIdentifier(T, [](llvm::StringRef) { return true; });
}
} // namespace

std::vector<Definition> definitions(llvm::StringRef T) {
  std::vector<Definition> Out;
  size_t N = T.size();
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
        // A body without an identifier (a register offset, a mask) can
        // mention no name: not recorded (the generated register headers of
        // amdgpu alone hold millions of such lines).
        if (E && hasIdentifier(L.drop_front(E)))
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
  // No brace, no body (generated register headers: hundreds of MB of
  // #defines); memchr is much cheaper than the scan below.
  if (T.find('{') == llvm::StringRef::npos)
    return;
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
      if (--Depth == 0 && !Name.empty() && !Name.starts_with("__attribute") &&
          !isStatementKeyword(Name))
        Out.push_back({Name, T.slice(Open, I + 1)});
    }
  }
}

KeywordSet::KeywordSet(const std::vector<std::string> &List) {
  for (const std::string &N : List)
    Names.insert(N);
}

bool KeywordSet::contains(llvm::StringRef Id) const {
  if (Names.contains(Id))
    return true;
  return Id.consume_back("_noprof") && Names.contains(Id);
}

std::vector<std::string> KeywordSet::names() const {
  std::vector<std::string> Out;
  for (const auto &E : Names)
    Out.push_back(E.first().str());
  std::sort(Out.begin(), Out.end());
  return Out;
}

llvm::StringRef KeywordSet::firstMention(llvm::StringRef T) const {
  llvm::StringRef Found;
  forEachIdentifier(T, [&](llvm::StringRef Id) {
    if (!contains(Id))
      return false;
    Found = Id;
    return true;
  });
  return Found;
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

std::string oneLine(llvm::StringRef T) {
  std::string Out;
  for (char C : T)
    if (C == '\n' || C == '\t') {
      if (!Out.empty() && Out.back() != ' ')
        Out += ' ';
    } else if (C != ' ' || Out.empty() || Out.back() != ' ') {
      Out += C;
    }
  return Out;
}

} // namespace vmalloc_lint
