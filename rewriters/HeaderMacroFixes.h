// After the run, across its units: a fix that edits the body of a header's
// object-like macro (`#define VL_SHARED_GFP (GFP_KERNEL | __GFP_HIGHMEM)` in
// a subsystem header, used as `__vmalloc(size, VL_SHARED_GFP)`) is right
// only when every expansion of the macro is a vmalloc gfp argument that the
// run fixes by that same edit. One unit sees only the expansions it
// compiles; other files of the tree may expand the macro without calling
// vmalloc at all (the prefilter does not even parse those). So the run
// searches the tree's text: every place that names the macro outside its own
// #define (and #ifdef, #ifndef, #undef, defined()) must be the use of a
// finding whose fix has the edit. Any other one (a file the run did not
// analyse, a use that is not a vmalloc gfp argument, code the configuration
// does not compile, another macro's body, a second #define) withdraws the
// fix from every finding that shares it, with a note that names the place.
#ifndef VMALLOC_LINT_HEADER_MACRO_FIXES_H
#define VMALLOC_LINT_HEADER_MACRO_FIXES_H

#include "matchers/Finding.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace vmalloc_lint {

struct HeaderMacroScope {
  /// The tree whose .c and .h files are searched for the macro's other
  /// uses (--kernel-tree, absolute). Empty: no tree, and no such fix.
  std::string Root;
  /// The units the run analysed (absolute paths), for the notes' words.
  std::set<std::string> Analysed;
  /// Texts that replace files on disk (a gate's post-images, an editor's
  /// buffers; absolute paths), or null.
  const std::map<std::string, std::string> *Overlay = nullptr;
};

/// The macro a fix edit lies in: a `#define NAME` line (with its
/// continuation lines) of a header whose body holds Offset. Text is the
/// file. Returns false when the edit is not in a header macro's body.
bool headerMacroOf(const std::string &File, llvm::StringRef Text,
                   unsigned Offset, std::string &Name, unsigned &NameOffset);

/// Keeps or withdraws every fix of Findings that edits a header macro's
/// body (see above). Returns how many findings lost their fix.
unsigned decideHeaderMacroFixes(std::vector<Finding> &Findings,
                                const HeaderMacroScope &Scope);

} // namespace vmalloc_lint

#endif
