// Pass 2's API knowledge as data: where memory comes from (sources), where
// vmalloc memory must not go (sinks), the guards that tell the kinds apart,
// the helpers that turn vmalloc memory into page addresses, and the calls
// that set a device's DMA mask. Adding an API is one row in MemoryApi.cpp.
// The vmalloc family itself is the table of VmallocApi.h.
#ifndef VMALLOC_LINT_MEMORY_API_H
#define VMALLOC_LINT_MEMORY_API_H

#include <string>
#include <vector>

namespace vmalloc_lint {

/// A memory source other than the vmalloc family: returns linear-map memory
/// (kmalloc family, page_address, __get_free_pages), a vmap area, or memory
/// inside an allocation that may be vmalloc memory (netdev_priv()).
enum class SourceKind { Linear, Vmap, MaybeVmalloc };
struct MemorySource {
  const char *Name;
  SourceKind Kind;
  /// What frees memory of this source (vmalloc-free-mismatch's advice):
  /// kfree for the slab, free_pages for __get_free_pages(), __free_pages
  /// (of the page, not the address) for page_address(); "" when nothing
  /// frees it (phys_to_virt(), netdev_priv()). kvfree() takes only kfree's
  /// and vfree's.
  const char *Free = "kfree";
};
const std::vector<MemorySource> &memorySources();
/// The source row for a function name (also `*_noprof`), or nullptr.
const MemorySource *lookupMemorySource(const std::string &Name);

/// What a sink does with the pointer it is given.
enum class SinkKind {
  LinearMap,   ///< virt_to_phys, __pa, virt_to_page ...: linear map only
  StreamDma,   ///< dma_map_single, sg_init_one ...: streaming DMA
  LinearFree,  ///< kfree and friends: slab/page memory only
  VmallocFree, ///< vfree: vmalloc memory only
  UsbTransfer, ///< usb_control_msg ... data buffer: DMA-able memory
  SpiTransfer, ///< spi_write, spi_read buffer: DMA-mapped by the controller
  MmioWrite,   ///< writel ... value: what the device is told
};
struct MemorySink {
  const char *Name;
  SinkKind Kind;
  unsigned Arg;         ///< which argument is the pointer (or the value)
  const char *Instead;  ///< the right helper for vmalloc memory ("" if none)
  bool Fixable = false; ///< Instead is a drop-in rename when the memory is
                        ///< vmalloc memory on every path
  /// The transfer's length argument (-1: none). With a constant 0 nothing
  /// is transferred and no buffer is DMA-mapped (a USB zero-length packet:
  /// `usb_fill_bulk_urb(urb, dev, pipe, &zero, 0, ...)`): no sink.
  int LengthArg = -1;
};
const std::vector<MemorySink> &memorySinks();
/// The sink row for a function or macro name (also `*_noprof`), or nullptr.
const MemorySink *lookupMemorySink(const std::string &Name);
/// A field sink: the row named RECORD.FIELD (a value stored into
/// `struct spi_transfer`'s tx_buf, `struct urb`'s transfer_buffer), or
/// nullptr.
const MemorySink *lookupFieldSink(const std::string &Record,
                                  const std::string &Field);
/// What the source text holds of a sink: its name, or a field sink's field.
std::string sinkTextName(const MemorySink &Row);

/// Guards: is_vmalloc_addr(p) true means vmalloc area, false means linear;
/// virt_addr_valid(p) true means linear. Internal names of the macros'
/// expansions (__virt_addr_valid on x86) are rows too.
enum class GuardKind { IsVmalloc, IsLinear };
struct MemoryGuard {
  const char *Name;
  GuardKind Kind;
};
const MemoryGuard *lookupMemoryGuard(const std::string &Name);

/// An error-pointer test (include/linux/err.h): where IS_ERR(p) is true, p
/// holds an errno, no memory (mlx5's `fc = ERR_CAST(new_bulk)` under
/// IS_ERR(new_bulk)).
bool isErrorPointerTest(const std::string &Name);

/// A free the kernel has one helper for: code that calls WhenTrue(p) when
/// Guard(p) holds and WhenFalse(p) when it does not does what Helper(p)
/// does (mm/util.c's kvfree() is that very choice). Helper's own
/// definition is no such code.
struct FreeChoice {
  const char *Guard;
  const char *WhenTrue;
  const char *WhenFalse;
  const char *Helper;
};
const std::vector<FreeChoice> &freeChoices();

/// vmalloc_to_page(p), vmalloc_to_pfn(p): the pages behind vmalloc memory,
/// what a driver hands to a device.
bool isVmallocPageLookup(const std::string &Name);

/// dma_set_mask(dev, mask) and friends: Arg is the mask argument.
struct DmaMaskSetter {
  const char *Name;
  unsigned Arg;
};
const DmaMaskSetter *lookupDmaMaskSetter(const std::string &Name);

/// Every name any table above knows (the pass-2 part of a textual
/// prefilter, and the macros whose expansions the preprocessor records).
const std::vector<std::string> &memoryApiNames();
/// The guards' names (is_vmalloc_addr, virt_addr_valid ...) and the DMA
/// mask setters' names.
std::vector<std::string> memoryGuardNames();
std::vector<std::string> dmaMaskSetterNames();

/// Name without the 6.10+ `_noprof` suffix of memory allocation profiling.
std::string stripNoprof(const std::string &Name);

} // namespace vmalloc_lint

#endif
