// Whether text is one C identifier (a flag or macro name as spelled).
#ifndef VMALLOC_LINT_C_IDENTIFIER_H
#define VMALLOC_LINT_C_IDENTIFIER_H

#include <cctype>
#include <string_view>

namespace vmalloc_lint {

inline bool isCIdentifier(std::string_view S) {
  if (S.empty() || !(std::isalpha((unsigned char)S[0]) || S[0] == '_'))
    return false;
  for (char C : S)
    if (!(std::isalnum((unsigned char)C) || C == '_'))
      return false;
  return true;
}

} // namespace vmalloc_lint

#endif
