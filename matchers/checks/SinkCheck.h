// What a pass-2 check sees when a value reaches a sink, and how it judges
// and words it. The dataflow (matchers/provenance/) says which kinds of
// memory the value may hold; a check says whether that is a bug at this
// kind of sink, what the user should do instead, and whether it offers a
// fix. Plain: check files include no Clang header.
#ifndef VMALLOC_LINT_SINK_CHECK_H
#define VMALLOC_LINT_SINK_CHECK_H

#include "matchers/kernel/MemoryApi.h"
#include "matchers/provenance/MemoryLattice.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// The device a translation unit drives, as far as its DMA mask calls tell.
struct DeviceDma {
  bool AnyMask = false;  ///< some dma_set_mask*() with a constant mask
  unsigned MinBits = 64; ///< the smallest mask set, in bits
  /// The device may be limited to 32-bit DMA: a mask of <= 32 bits is set,
  /// or none is (the default mask of PCI and most buses is 32 bits).
  bool limited32() const { return !AnyMask || MinBits <= 32; }
  /// A driver limits the device explicitly (dma_set_mask(DMA_BIT_MASK(n)),
  /// n <= 32, in the translation unit).
  bool explicitly32() const { return AnyMask && MinBits <= 32; }
};

/// Where a value ends up: a table sink, or a store into memory a device
/// reads (a DMA descriptor).
enum class SinkUse { Table, DescriptorStore };

/// One report a sink makes of a value. Linear-map helpers and DMA report a
/// path that definitely carries vmalloc memory ("may" for kvmalloc or mixed
/// memory). A free reports only when no path carries memory it accepts:
/// code that picks vfree() or kfree() by the same condition that picked the
/// allocator (arch/x86/kernel/ldt.c) is right, and the dataflow does not
/// correlate the two conditions.
struct SinkVerdict {
  const char *Check; ///< check name
  uint16_t Kind;     ///< the offending kind (one bit)
  bool May;          ///< only maybe-vmalloc memory reaches the sink
};

/// A value reaching a sink.
struct SinkEvent {
  SinkKind Kind;
  SinkUse Use = SinkUse::Table;
  const MemorySink *Row = nullptr; ///< the table's row (Use == Table)
  const MemValue &Value;
  const DeviceDma &Device;
  /// The allocator the value's memory of a kind came from ("" if unknown).
  std::function<std::string(uint16_t Kind)> OriginName;
};

/// How a finding's message is put together: what reached which sink, and
/// the check's advice.
struct SinkWording {
  std::string What;      ///< "vmalloc memory (from vzalloc())"
  std::string SinkName;  ///< "virt_to_phys"
  std::string ViaCallee; ///< the helper whose parameter reaches the sink
  bool Via = false;      ///< the sink is reached through ViaCallee
};

class SinkCheck {
public:
  virtual ~SinkCheck() = default;
  /// The offending kind when the value must not reach this sink (Check is
  /// filled by the caller); nullopt when the check has nothing to say.
  virtual std::optional<SinkVerdict> judge(const SinkEvent &E) const = 0;
  /// The finding's message.
  virtual std::string message(const SinkEvent &E, const SinkVerdict &V,
                              const SinkWording &W) const = 0;
  /// The sink's helper can be renamed to the table's replacement (a
  /// drop-in when the memory is vmalloc memory on every path).
  virtual bool offersRename(const SinkEvent &E, const SinkVerdict &V) const {
    return false;
  }
};

/// The usual message: "virt_to_phys() on What: Advice", "usb_bulk_msg()
/// data buffer is What: Advice", "writel() writes What to the device:
/// Advice", or through a helper "What passed to F() reaches sink(): Advice".
std::string sinkMessage(const SinkEvent &E, const SinkWording &W,
                        const std::string &Advice);
/// "vmalloc_to_page()", or an expression as the table writes it.
std::string insteadHelper(const MemorySink &Row);
/// The first vmalloc-area kind V holds, else the guard's, else a "may" kind
/// (kvmalloc or mixed memory): what a linear-map or DMA sink must not get.
std::optional<SinkVerdict> vmallocVerdict(const MemValue &V);

/// Every selected-or-not pass-2 check's verdict on a value at a sink, in
/// registry order.
std::vector<SinkVerdict> judgeSink(SinkKind Kind, const MemValue &V,
                                   const DeviceDma &Device,
                                   SinkUse Use = SinkUse::Table);

} // namespace vmalloc_lint

#endif
