#include "matchers/kernel/KconfigExpr.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

namespace vmalloc_lint {

const std::vector<ArchVariant> &archVariants() {
  // The top Makefile maps these ARCH names to SRCARCH; arch/x86/Kconfig and
  // arch/sparc/Kconfig derive their word-size symbols from $(ARCH).
  static const std::vector<ArchVariant> Variants = {
      {"i386",
       "x86",
       "i386_defconfig",
       {{"X86_32", true}, {"X86_64", false}, {"64BIT", false}}},
      {"x86_64",
       "x86",
       "x86_64_defconfig",
       {{"X86_64", true}, {"X86_32", false}, {"64BIT", true}}},
      {"sparc32",
       "sparc",
       "sparc32_defconfig",
       {{"SPARC32", true}, {"SPARC64", false}, {"64BIT", false}}},
      {"sparc64",
       "sparc",
       "sparc64_defconfig",
       {{"SPARC64", true}, {"SPARC32", false}, {"64BIT", true}}},
  };
  return Variants;
}

const ArchVariant *archVariant(const std::string &Name) {
  for (const ArchVariant &V : archVariants())
    if (Name == V.Name)
      return &V;
  return nullptr;
}

std::string srcArchOf(const std::string &Arch) {
  const ArchVariant *V = archVariant(Arch);
  return V ? V->SrcArch : Arch;
}

namespace {

using Tri = std::optional<bool>;

Tri triAnd(Tri A, Tri B) {
  if (A == false || B == false)
    return false;
  if (!A || !B)
    return std::nullopt;
  return true;
}

Tri triOr(Tri A, Tri B) {
  if (A == true || B == true)
    return true;
  if (!A || !B)
    return std::nullopt;
  return false;
}

Tri triNot(Tri A) {
  if (!A)
    return std::nullopt;
  return !*A;
}

/// Recursive descent over Kconfig's expression grammar:
/// or := and ('||' and)*, and := not ('&&' not)*, not := '!' not | primary,
/// primary := '(' or ')' | atom [('=' | '!=' | '<' ...) atom].
struct Parser {
  llvm::StringRef S;
  const KconfigSymbolValue &Value;
  bool Bad = false;

  void space() { S = S.ltrim(); }
  bool eat(llvm::StringRef T) {
    space();
    if (!S.starts_with(T))
      return false;
    S = S.drop_front(T.size());
    return true;
  }

  Tri orExpr() {
    Tri V = andExpr();
    while (!Bad && eat("||"))
      V = triOr(V, andExpr());
    return V;
  }
  Tri andExpr() {
    Tri V = notExpr();
    while (!Bad && eat("&&"))
      V = triAnd(V, notExpr());
    return V;
  }
  Tri notExpr() {
    space();
    if (S.starts_with("!") && !S.starts_with("!=")) {
      S = S.drop_front();
      return triNot(notExpr());
    }
    return primary();
  }
  /// An atom: a symbol, a quoted string or a $(macro); Kind 's' symbol,
  /// 'q' string, 'm' macro.
  std::string atom(char &Kind) {
    space();
    if (S.starts_with("\"")) {
      size_t E = S.find('"', 1);
      std::string T = S.slice(1, E).str();
      S = E == llvm::StringRef::npos ? "" : S.drop_front(E + 1);
      Kind = 'q';
      return T;
    }
    if (S.starts_with("$(")) {
      int Depth = 0;
      size_t I = 0;
      for (; I < S.size(); ++I) {
        Depth += S[I] == '(' ? 1 : S[I] == ')' ? -1 : 0;
        if (Depth == 0 && S[I] == ')')
          break;
      }
      S = S.drop_front(std::min(I + 1, S.size()));
      Kind = 'm';
      return "";
    }
    size_t N = 0;
    while (N < S.size() && (llvm::isAlnum(S[N]) || S[N] == '_'))
      ++N;
    if (N == 0) {
      Bad = true;
      return "";
    }
    std::string T = S.take_front(N).str();
    S = S.drop_front(N);
    Kind = 's';
    return T;
  }
  Tri primary() {
    if (eat("(")) {
      Tri V = orExpr();
      if (!eat(")"))
        Bad = true;
      return V;
    }
    char Kind = 0;
    std::string A = atom(Kind);
    if (Bad)
      return std::nullopt;
    space();
    for (llvm::StringRef Op : {"!=", "<=", ">=", "=", "<", ">"})
      if (eat(Op)) {
        char K2 = 0;
        atom(K2);
        return std::nullopt; // a comparison: not decided here
      }
    if (Kind != 's')
      return std::nullopt;
    if (A == "y" || A == "m")
      return true;
    if (A == "n")
      return false;
    return Value(A);
  }
};

} // namespace

std::optional<bool> evalKconfigExpr(const std::string &Expr,
                                    const KconfigSymbolValue &Value) {
  llvm::StringRef E = llvm::StringRef(Expr).split('#').first.trim();
  if (E.empty())
    return true;
  Parser P{E, Value};
  Tri V = P.orExpr();
  P.space();
  if (P.Bad || !P.S.empty())
    return std::nullopt;
  return V;
}

} // namespace vmalloc_lint
