// C source read as text, without a parse (LLVM Support only): identifiers,
// comments, #defines and file-scope function definitions, and sets of
// identifiers to look for. Shared by the prefilter (which decides from the
// bytes of the tree which units to parse) and the analysis action (which
// decides which function bodies the parse can skip).
#ifndef VMALLOC_LINT_CODE_TEXT_H
#define VMALLOC_LINT_CODE_TEXT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

#include <string>
#include <vector>

namespace vmalloc_lint {

namespace detail {
/// Bit 0: may start an identifier; bit 1: may continue one. A table: the
/// scans of the prefilter test every byte of the tree.
struct IdentTable {
  unsigned char Of[256] = {};
  constexpr IdentTable() {
    for (int C = 0; C < 256; ++C) {
      bool Start = (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') || C == '_';
      Of[C] = (Start ? 1 : 0) | ((Start || (C >= '0' && C <= '9')) ? 2 : 0);
    }
  }
};
inline constexpr IdentTable Ident{};
} // namespace detail

inline bool isIdentStart(char C) {
  return detail::Ident.Of[(unsigned char)C] & 1;
}
inline bool isIdentChar(char C) {
  return detail::Ident.Of[(unsigned char)C] & 2;
}

/// Calls Fn(Id) for each identifier of T in order (the letters of a number
/// such as 0x1fUL are none) until Fn returns true; returns whether it did.
/// The one identifier scan of the prefilter (which runs it over the whole
/// tree's text) and of the body filter.
template <typename Callback>
bool forEachIdentifier(llvm::StringRef T, Callback Fn) {
  for (size_t I = 0, N = T.size(); I < N;) {
    if (!isIdentChar(T[I])) {
      ++I;
      continue;
    }
    size_t B = I;
    while (I < N && isIdentChar(T[I]))
      ++I;
    if (isIdentStart(T[B]) && Fn(T.slice(B, I)))
      return true;
  }
  return false;
}

/// Text with comments blanked (newlines kept), strings and characters kept.
std::string stripComments(llvm::StringRef T);

/// Code as a message quotes it, on one line: each newline or tab, and each
/// run of blanks, becomes one blank (none first).
std::string oneLine(llvm::StringRef T);

/// A name defined with a body: a #define, or a function at file scope.
struct Definition {
  llvm::StringRef Name, Body;
};

/// The #defines of Code (comments stripped) whose body holds an identifier
/// (a number can mention no name), bodies with their continuation lines.
std::vector<Definition> definitions(llvm::StringRef Code);

/// Function definitions at file scope of Code (comments stripped): name
/// before the parameter list before '{', body to the matching '}'.
/// Directive lines are skipped.
void functionDefinitions(llvm::StringRef Code, std::vector<Definition> &Out);

/// A set of C identifiers and the scan for them.
class KeywordSet {
public:
  KeywordSet() = default;
  explicit KeywordSet(const std::vector<std::string> &Names);
  void add(llvm::StringRef Name) { Names.insert(Name); }
  /// Id is a keyword, or a keyword with the `_noprof` suffix.
  bool contains(llvm::StringRef Id) const;
  /// Text holds a keyword as a whole identifier (`vmalloc_to_page` is not
  /// `vmalloc`); the first one found, or "" when none.
  llvm::StringRef firstMention(llvm::StringRef Text) const;
  bool mentions(llvm::StringRef Text) const {
    return !firstMention(Text).empty();
  }
  size_t size() const { return Names.size(); }
  /// The keywords, sorted.
  std::vector<std::string> names() const;

private:
  llvm::StringSet<> Names;
};

/// Names that Text defines with a body mentioning a keyword: object- or
/// function-like #define, and functions with a body at file scope (static
/// inline wrappers).
std::vector<std::string> wrapperDefinitions(llvm::StringRef Text,
                                            const KeywordSet &Keywords);

} // namespace vmalloc_lint

#endif
