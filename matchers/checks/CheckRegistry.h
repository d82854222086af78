// The checks, as data: one row per check. --list-checks, --help, the
// README's check table (test/unit/RegistryTest.cpp compares them), SARIF's
// rules, the clang-tidy module and the prefilter all come from this table.
// Adding a check is adding its row (CheckRegistry.cpp) and its file (the
// rule, its message and its fix choice), nothing else: docs/contributing.md
// and scripts/new-check.sh. A check NAME's file is matchers/checks/
// <Name>Check.cpp (vmalloc-redundant-highmem: RedundantHighmemCheck.cpp).
#ifndef VMALLOC_LINT_CHECK_REGISTRY_H
#define VMALLOC_LINT_CHECK_REGISTRY_H

#include "matchers/checks/GfpCheck.h"
#include "matchers/kernel/KernelVersion.h"

#include "llvm/ADT/StringRef.h"

#include <vector>

namespace vmalloc_lint {

class SinkCheck;
class RefactorCheck;

/// The fix a check offers.
enum class FixKind {
  None,
  DropFlag,     ///< drops a gfp flag from the argument (or its macro)
  AddFlag,      ///< appends a missing gfp flag
  RenameHelper, ///< renames a linear-map helper to the vmalloc one
  ReplaceCode,  ///< replaces open-coded code with the kernel's helper
};

/// The names a unit's text must mention for a check to have anything to
/// say (the prefilter, matchers/checks/PrefilterNeeds.cpp, says which names
/// each group holds). The order is the prefilter's group numbering.
enum class TextGroup : unsigned {
  Family,          ///< the vmalloc family (and imported gfp wrappers)
  PassTwo,         ///< every name of pass 2's tables and the family
  Highmem,         ///< __GFP_HIGHMEM's names
  HighmemDma32,    ///< __GFP_HIGHMEM's and __GFP_DMA32's names
  Zone,            ///< the zone modifiers' names
  VmallocMemory,   ///< the family and the vmap sources
  Guard,           ///< is_vmalloc_addr ... (not closed over the headers)
  LinearMemory,    ///< slab and page allocator sources
  LinearMapSink,   ///< virt_to_phys, __pa, virt_to_page ...
  DmaSink,         ///< streaming DMA, scatterlists, USB transfers
  DeviceSink,      ///< MMIO writes, DMA mask setters
  LinearFreeSink,  ///< kfree ...
  VmallocFreeSink, ///< vfree ...
  Migration,       ///< the old forms of the API migration table
  KmallocSide, ///< the kmalloc-family allocators an open-coded kvmalloc pairs
  VmallocFallback, ///< the vmalloc-family allocators it falls back to
  KvfreeWrapper,   ///< kvfree (a wrapper's body), imported kvfree wrappers
  Count
};

/// A set of groups a unit must all mention. FileWide: they may meet
/// anywhere in the unit (pass 2: through fields, globals, other functions),
/// not only in one function with the file scope.
struct TextNeed {
  std::vector<TextGroup> Groups;
  bool FileWide = false;
};

struct CheckRow {
  const char *Name;    ///< stable: findings, --checks, NOLINT, SARIF rule ids
  unsigned Pass;       ///< 1: the gfp argument; 2: where the memory goes
  const char *Summary; ///< one line, for --list-checks and the README
  /// The kernels the rule is about (outside: the check is not run).
  VersionRange Kernels;
  /// Where the rule matters: "" for every arch, else the Kconfig symbol an
  /// arch must have (HIGHMEM, HAVE_ARCH_VMAP_STACK). Enforced for the
  /// symbols KernelArchFacts reads (archFeatureSymbols(): a unit whose arch
  /// cannot have it is not checked, AnalysisOptions::archApplies); for the
  /// others (HIGHMEM) documentation: the configured arch's rules.
  const char *Arches;
  FixKind Fix;
  const char *Doc; ///< docs/checks/NAME.md
  /// The unit is worth parsing for this check when it mentions every group
  /// of one of these.
  std::vector<TextNeed> Prefilter;
  // Each row has one rule: pass 1 CheckSite; pass 2 Sinks or Refactor.
  GfpCheckFn CheckSite = nullptr;   ///< pass 1: the rule for one site
  const SinkCheck *Sinks = nullptr; ///< pass 2: the verdict at a sink
  /// pass 2: the rule for code of a shape the AST matchers of
  /// matchers/refactor/ find (no dataflow).
  const RefactorCheck *Refactor = nullptr;
};

/// Every check, pass 1 first.
const std::vector<CheckRow> &checkRegistry();
/// The row of a check, or nullptr.
const CheckRow *findCheck(llvm::StringRef Name);

} // namespace vmalloc_lint

#endif
