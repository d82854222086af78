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
#include "matchers/text/PrefilterNeeds.h"

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
  /// Of them, the headers taken apart (comments stripped, definitions
  /// collected) because their code mentions a keyword; only from a scan,
  /// not kept in the cache (--prefilter-plan).
  size_t HeadersTaken = 0;
  size_t Keywords = 0;
  std::vector<std::string> Unreadable; ///< files that could not be read
  /// The names of PrefilterNeeds::BodyGroups, closed over the scanned
  /// headers: a function body that mentions none cannot matter.
  std::vector<std::string> BodyNames;
  /// Every name the scan looked for in the units (the closed groups),
  /// sorted; only from a scan, not kept in the cache (--prefilter-plan).
  std::vector<std::string> KeywordNames;
};

/// What becomes of the scan's working set (every scanned header's text,
/// definitions and name index) when planPrefilter returns.
enum class PrefilterMemory {
  KeepToExit, ///< never freed: the run ends soon after (a one-shot run)
  Free,       ///< freed: a process that plans many times (the fuzz target)
};

/// Scans Inputs (absolute paths of .c and .h files) and ExtraHeaders (more
/// headers to scan, absolute) for what Needs asks, on Threads threads.
PrefilterPlan
planPrefilter(const std::vector<std::string> &Inputs,
              const std::vector<std::string> &ExtraHeaders,
              const PrefilterNeeds &Needs, unsigned Threads = 1,
              PrefilterMemory Memory = PrefilterMemory::KeepToExit);

/// The headers planPrefilter should scan besides the inputs: those in the
/// directories of the input .c files and, if TreeRoot is not empty, every
/// .h under TreeRoot/include and TreeRoot/arch/Arch/include. A directory
/// below one of Walked (outside its hidden directories) is not listed: its
/// headers are inputs already (collectInputs). A whole-tree run lists none
/// (a warm run of 6.1 stat'ed 17,568 headers twice).
std::vector<std::string> headersToScan(const std::vector<std::string> &Inputs,
                                       const std::vector<std::string> &Walked,
                                       const std::string &TreeRoot,
                                       const std::string &Arch);

} // namespace vmalloc_lint

#endif
