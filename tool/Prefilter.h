// The textual prefilter: before any parsing, decide from the bytes of the
// files which translation units can hold what the selected checks look for.
// LLVM Support only (no Clang headers): it must be much cheaper than a parse.
//
// What it guarantees (docs/whole-tree.md):
//  * Keywords come in groups (PrefilterNeeds): the API names of the
//    selected checks (pass 1: the vmalloc family of vmallocApi(); pass 2
//    adds memoryApiNames()) and, for checks about one flag, the names of
//    that flag (__GFP_HIGHMEM ...). Each name also counts with the `_noprof`
//    suffix of 6.10+ allocation profiling. A group is closed over the
//    scanned headers: every name they define (a #define or a function with
//    a body) whose body mentions a name of the group joins it, to a
//    fixpoint, so gfp wrappers such as xfs's kmem_alloc_large(), macros
//    around the family and GFP_HIGHUSER are keywords too.
//  * A .c file is parsed when its text mentions, as whole identifiers,
//    every group one selected check needs (comments and strings count: the
//    scan does not lex C).
//  * A header in the scanned set whose text mentions a keyword (a "site
//    header") is analysed once: through a kept translation unit that reads
//    it, else through one input .c that includes it (directly or through
//    other scanned headers, found from the #include lines), else, if it is
//    an input itself, on its own.
//  The scanned headers are the input headers, the headers in the
//  directories of the input .c files and, when the kernel tree is known,
//  include/ and arch/ARCH/include/ of the tree.
#ifndef VMALLOC_LINT_PREFILTER_H
#define VMALLOC_LINT_PREFILTER_H

#include "matchers/text/CodeText.h"

#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// The #include targets of Text as written (`linux/vmalloc.h`, `"kmem.h"`
/// without quotes), with whether they were quoted.
struct IncludeLine {
  std::string Target;
  bool Quoted;
};
std::vector<IncludeLine> includeLines(llvm::StringRef Text);

/// The decision for one run.
struct PrefilterPlan {
  std::vector<std::string> Keep; ///< input files to parse (.c and .h)
  std::vector<std::string> Skip; ///< input files the scan rules out
  /// Site headers and the input .c files that include them, nearest first:
  /// the ones to parse when no kept unit reads the header.
  std::vector<std::pair<std::string, std::vector<std::string>>> SiteHeaders;
  size_t HeadersScanned = 0;
  size_t Keywords = 0;
  std::vector<std::string> Unreadable; ///< files that could not be read
  /// The names of PrefilterNeeds::BodyGroups, closed over the scanned
  /// headers: a function body that mentions none cannot matter.
  std::vector<std::string> BodyNames;
};

/// What the selected checks need in a unit's text. A group is a set of
/// root names (the vmalloc family; the names behind the __GFP_HIGHMEM bit),
/// closed over the scanned headers' macros and functions that mention one.
/// A unit is kept when it mentions every group of one alternative (one
/// alternative per check: redundant-highmem needs the family and a
/// highmem name).
struct PrefilterNeeds {
  std::vector<std::vector<std::string>> Groups; ///< at most 32
  std::vector<std::vector<unsigned>> Alternatives;
  /// Per alternative (missing: false): its groups may meet anywhere in the
  /// unit's text, not only in one function with the file scope. Pass 2's
  /// memory meets its sink through fields, globals and other functions.
  std::vector<char> FileWide;
  /// The group whose functions are wrappers (the family): a unit that
  /// defines an exported function with a gfp_t parameter reaching it, whose
  /// name a header mentioning the alternative's other groups uses, is kept
  /// for the alternatives holding it, whatever else it mentions (that
  /// header's inline function may call it with the flag, and only the
  /// defining unit sees the call as a site). -1: none.
  int WrapperGroup = -1;
  /// The groups whose names make a function body worth parsing (the API
  /// groups, not the flags): PrefilterPlan::BodyNames.
  uint32_t BodyGroups = 0;
  /// Groups not closed over the headers: their names only (pass 2's
  /// guards: a function that calls is_vmalloc_addr() is no guard, and
  /// virt_to_phys(), which checks virt_addr_valid() on some arches, would
  /// make the whole tree "vmalloc memory").
  uint32_t Unclosed = 0;
  /// Directories (absolute, ending in '/') whose headers no unit of the
  /// configured arch includes: another arch's arch/X/, tools/ (userspace).
  /// Their definitions do not close the groups (a name defined there is
  /// another arch's, and short names such as `r0` or `X` would join the
  /// whole tree to a group); the headers are still scanned as inputs.
  std::vector<std::string> ForeignDirs;
};

/// Scans Inputs (absolute paths of .c and .h files) and ExtraHeaders (more
/// headers to scan, absolute) for what Needs asks, on Threads threads.
PrefilterPlan planPrefilter(const std::vector<std::string> &Inputs,
                            const std::vector<std::string> &ExtraHeaders,
                            const PrefilterNeeds &Needs, unsigned Threads = 1);

/// The headers planPrefilter should scan besides the inputs: those in the
/// directories of the input .c files and, if TreeRoot is not empty, every
/// .h under TreeRoot/include and TreeRoot/arch/Arch/include.
std::vector<std::string> headersToScan(const std::vector<std::string> &Inputs,
                                       const std::string &TreeRoot,
                                       const std::string &Arch);

} // namespace vmalloc_lint

#endif
