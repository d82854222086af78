// What the selected checks need in a unit's text, as the textual prefilter
// (tool/Prefilter.h) reads it: groups of names and the combinations of
// groups that make a unit worth parsing. Plain data; built from the check
// registry by prefilterNeeds() (matchers/checks/PrefilterNeeds.cpp).
#ifndef VMALLOC_LINT_PREFILTER_NEEDS_H
#define VMALLOC_LINT_PREFILTER_NEEDS_H

#include <cstdint>
#include <string>
#include <vector>

namespace vmalloc_lint {

class CheckGlob;
struct CrossFileFacts;

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
  /// Directories (absolute, ending in '/') whose headers any unit may
  /// include: the tree's include/ (first) and the configured arch's
  /// arch/X/include/.
  /// A header elsewhere is local (a driver's own): a name its definitions
  /// join to a group counts only in the units that can include it (in its
  /// directory or below, or with an #include line that leads to it), not in
  /// the whole tree (6.1: `priv`, `free` and 2,600 more names). Empty: every
  /// header is public.
  std::vector<std::string> PublicDirs;
};

/// What the checks Glob selects need: the groups of the check registry's
/// rows (matchers/checks/CheckRegistry.h) with the names of the API tables,
/// plus the family for the census and every pass-2 name for --facts-out,
/// and the names Imported facts make sources, sinks or wrappers.
PrefilterNeeds prefilterNeeds(const CheckGlob &Glob, bool Census,
                              const CrossFileFacts *Imported, bool ExportFacts);

} // namespace vmalloc_lint

#endif
