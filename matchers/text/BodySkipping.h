// Which function bodies the parse may skip: a body whose text cannot hold
// what the selected checks look for is not given to Sema (clang's
// SkipFunctionBodies, decided per function). Most of a kernel unit's code is
// the static inline functions of the headers it includes; few of them
// mention the vmalloc family or pass 2's memory API.
//
// A body is parsed when one of its identifiers is
//  * a name of the rule (the selected checks' API names, closed by the
//    prefilter over the scanned headers' macros and functions),
//  * a function or macro of the unit's main file whose own body mentions
//    one (closed over the main file's text first, so a prototype followed
//    later by a wrapper's body counts),
//  * a macro defined at that point whose expansion mentions one (whatever
//    header defined it),
//  * a function whose body was parsed before (a wrapper of a wrapper),
//  * with FollowFields (pass 2): a struct member, written after `->` or
//    `.`, that the main file or a parsed body accesses (a getter or setter
//    of a field that carries vmalloc memory), or any member the body
//    stores into (`sg->page_link = ...`: a setter makes field facts);
// and with KeepMainFile (pass 2) every body of the main file is parsed.
// A function whose name is written by a macro, or whose body cannot be
// found in the text, is parsed.
//
// A skipped body is still preprocessed by clang (its macros expanded, to
// find its closing brace), unless the filter can jump the lexer over its
// text (FunctionBodyFilter::jumpOver): when nothing in it would leave a
// trace once preprocessed. Its conditionals must be balanced, each branch
// balanced in braces (so the end is the same whichever branch the
// configuration takes), no other directive, no __has_include or _Pragma,
// no object-like macro of the main file nor a macro whose expansion
// reaches one (MacroExpansionLog records where those expand, also inside
// a skipped body, and the fix of a macro's definition depends on it).
#ifndef VMALLOC_LINT_BODY_SKIPPING_H
#define VMALLOC_LINT_BODY_SKIPPING_H

#include "matchers/text/CodeText.h"

#include <memory>

namespace clang {
class Decl;
class Preprocessor;
} // namespace clang

namespace vmalloc_lint {

struct BodySkipping {
  KeywordSet Names;
  bool KeepMainFile = false;
  bool FollowFields = false;
};

/// The per-unit decision, for ASTConsumer::shouldSkipFunctionBody.
class FunctionBodyFilter {
public:
  virtual ~FunctionBodyFilter() = default;
  virtual bool shouldSkip(const clang::Decl *D) = 0;
  /// After shouldSkip() said skip, with the parser at the body's '{':
  /// moves the file lexer to the body's '}' when the body's text allows it
  /// (see above) and the lexer has read nothing past the '{'; clang's
  /// skipping then reads only the '}'. Whether it did.
  virtual bool jumpOver() = 0;
  struct Counts {
    unsigned Parsed = 0, Skipped = 0;
    unsigned Jumped = 0; ///< of Skipped, the bodies not preprocessed
  };
  virtual Counts counts() const = 0;
};

std::unique_ptr<FunctionBodyFilter>
makeFunctionBodyFilter(const BodySkipping &Rule, clang::Preprocessor &PP);

} // namespace vmalloc_lint

#endif
