// What a pass-1 check sees of one vmalloc-family call site that has a gfp
// argument, and how it reports. The site's gfp mask is already evaluated
// (matchers/gfp/): a check is a rule over plain values, its message and its
// fix choice, and includes no Clang header.
#ifndef VMALLOC_LINT_GFP_CHECK_H
#define VMALLOC_LINT_GFP_CHECK_H

#include "matchers/Finding.h"
#include "matchers/kernel/KernelVersion.h"

#include <cstdint>
#include <optional>
#include <string>

namespace vmalloc_lint {

struct VmallocApiEntry;

/// The zone bits of the tree's gfp.h (0 when the tree lacks one).
struct ZoneFlags {
  uint64_t Highmem = 0, Dma = 0, Dma32 = 0;
  uint64_t ZoneMask = 0; ///< GFP_ZONEMASK
};

class GfpSite {
public:
  virtual ~GfpSite() = default;

  // ---- the site --------------------------------------------------------
  /// The allocator's row of the API table (reached through wrappers).
  virtual const VmallocApiEntry &allocator() const = 0;
  /// The kernel whose rules apply.
  virtual KernelVersion version() const = 0;
  virtual const ZoneFlags &zones() const = 0;
  /// Bits this call site itself certainly passes (a wrapper may mask some
  /// out).
  virtual uint64_t ownMust() const = 0;
  /// The mask that reaches the allocator: the site's bits and what the
  /// wrappers add, minus what they mask out.
  virtual uint64_t effective() const = 0;
  /// Bits some path may set (every bit when part of the mask is unknown):
  /// a rule about a flag's absence holds when no path sets it.
  virtual uint64_t effectiveMay() const = 0;
  /// The call passes its own caller's gfp parameter on (a wrapper's call):
  /// absence rules judge the wrapper's callers instead.
  virtual bool forwarded() const = 0;

  // ---- the tree's flags ------------------------------------------------
  /// The value of a gfp macro of the tree (0 when it has none).
  virtual uint64_t flag(const char *Name) = 0;
  /// A mask as flag names ("GFP_KERNEL | __GFP_ZERO").
  virtual std::string describe(uint64_t Mask) = 0;
  /// Whether the tree's GFP_ZONE_BAD rejects the zone bits of Mask.
  virtual std::optional<bool> zoneBad(uint64_t Mask) = 0;
  /// Whether the unit's configuration (include/generated/autoconf.h, as
  /// the unit was compiled) sets CONFIG_<Option>; nullopt when the unit read
  /// no autoconf.h.
  virtual std::optional<bool> configured(const char *Option) = 0;

  // ---- wording ---------------------------------------------------------
  /// "__vmalloc()", or through wrappers "buf_alloc() -> __vmalloc()".
  virtual std::string allocatorCall() const = 0;
  /// The mask that reaches the allocator as the user wrote it: the
  /// argument's text when it names only the tree's gfp flags and wrappers
  /// change nothing ("GFP_NOWAIT | __GFP_NOWARN", not the value
  /// "__GFP_KSWAPD_RECLAIM | __GFP_NOWARN"); else the text with the value
  /// ("WC_GFP (= GFP_KERNEL | __GFP_HIGHMEM)", "flags (= GFP_ATOMIC)").
  virtual std::string spelledMask() = 0;
  /// The flag's name as the argument spells it (`__GFP_DMA32` or
  /// `GFP_DMA32`), else Default.
  virtual std::string spelledFlag(uint64_t Flag,
                                  const std::string &Default) const = 0;

  // ---- verdicts --------------------------------------------------------
  /// The rule holds: the site gets Class in the census (the highest-ranked
  /// class of all rules that hold wins), whether or not the check is
  /// selected.
  virtual void classify(const char *Class) = 0;
  /// The check being run is selected (--checks): only then does it report.
  virtual bool enabled() const = 0;
  /// A finding at the token that carries Flag (through a variable: at the
  /// argument, with a note where the variable got it).
  virtual Finding atFlag(uint64_t Flag, std::string Message) = 0;
  /// A finding about the whole mask, at the argument's first token.
  virtual Finding atMask(std::string Message) = 0;
  /// Asks for the fix that drops Flag (named FlagName) from the argument as
  /// written, or notes why the argument cannot be edited.
  virtual void fixByDropping(Finding &F, uint64_t Flag,
                             const std::string &FlagName) = 0;
  /// Asks for the fix that appends `| FlagName` to the argument.
  virtual void fixByAppending(Finding &F, const std::string &FlagName) = 0;
  /// Reports F (the check's name is filled in).
  virtual void report(Finding F) = 0;
};

/// A pass-1 check: its rule, message and fix choice for one site.
using GfpCheckFn = void (*)(GfpSite &Site);

} // namespace vmalloc_lint

#endif
