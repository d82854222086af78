// The removal of a function's definition, for the refactorings whose fix
// replaces every call of a local helper and then removes it (a kvfree()
// wrapper, matchers/refactor/OpenCodedFree.h; an open-coded kvmalloc
// helper, matchers/refactor/OpenCodedKvmalloc.h): the bytes from its first
// token (or the comment block on the lines right above it, which is its
// own) through its `}`, the newline and one blank line after it.
#ifndef VMALLOC_LINT_DEFINITION_REMOVAL_H
#define VMALLOC_LINT_DEFINITION_REMOVAL_H

#include <string>

namespace clang {
class FunctionDecl;
class SourceManager;
} // namespace clang

namespace vmalloc_lint {

struct DefinitionRemoval {
  unsigned Offset = 0;
  std::string Text; ///< the bytes removed ("" when it cannot be removed)
  /// Why it cannot be removed, in words a user can act on ("" when it can).
  std::string Why;
};

/// What removing Def takes. Strict (the kvfree() wrappers' rule): Def must
/// be in the main file, start a line, hold no comment or preprocessor line,
/// and the file must name it exactly Uses times outside it (the uses the
/// unit compiles: a name under #ifdef, in a prototype or a comment would be
/// left dangling); otherwise Why says which of these fails. Not strict: only
/// that one file writes it (the caller counts the uses in the AST).
DefinitionRemoval definitionRemoval(const clang::FunctionDecl *Def,
                                    const clang::SourceManager &SM, bool Strict,
                                    unsigned Uses = 0);

} // namespace vmalloc_lint

#endif
