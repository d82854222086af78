// vmalloc-dma32-device: page addresses of vmalloc memory that is not
// vmalloc_32 memory, written to MMIO or stored in a DMA descriptor of a
// device limited to 32-bit DMA.
//
// vmalloc_32*() exist for this: their pages are below 4 GiB. A driver that
// hands vmalloc_to_page()/vmalloc_to_pfn() addresses of ordinary vmalloc
// memory to a 32-bit device gives it pages it cannot reach. The device's
// limit is what the translation unit's dma_set_mask*() calls say (none: the
// 32-bit default of PCI and most buses, for MMIO writes; an explicit mask of
// 32 bits or less, for descriptor stores). No fix: allocate with
// vmalloc_32*() or use the DMA API.
#include "matchers/checks/SinkCheck.h"

namespace vmalloc_lint::checks {

namespace {

class Dma32Device : public SinkCheck {
public:
  std::optional<SinkVerdict> judge(const SinkEvent &E) const override {
    bool Limited = E.Use == SinkUse::DescriptorStore
                       ? E.Device.explicitly32()
                       : E.Kind == SinkKind::MmioWrite && E.Device.limited32();
    if (!Limited)
      return std::nullopt;
    if (E.Value.Kinds & mem::PageAddr)
      return SinkVerdict{nullptr, mem::PageAddr, false};
    if (E.Value.Kinds & mem::PageAddrMaybe)
      return SinkVerdict{nullptr, mem::PageAddrMaybe, true};
    return std::nullopt;
  }
  std::string message(const SinkEvent &E, const SinkVerdict &,
                      const SinkWording &W) const override {
    if (E.Use == SinkUse::DescriptorStore)
      return W.What + " stored where a device limited to " +
             std::to_string(E.Device.MinBits) +
             "-bit DMA reads it: it cannot reach pages above that limit; "
             "allocate with vmalloc_32*() (or use the DMA API)";
    return sinkMessage(
        E, W,
        std::string("a device limited to 32-bit DMA cannot reach pages "
                    "above 4 GiB") +
            (E.Device.AnyMask ? ""
                              : " (no dma_set_mask() in this file: the "
                                "default mask is 32 bits)") +
            "; allocate with vmalloc_32*() (or use the DMA API)");
  }
};

} // namespace

const SinkCheck &dma32Device() {
  static const Dma32Device C;
  return C;
}

} // namespace vmalloc_lint::checks
