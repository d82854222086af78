// vmalloc-dma-map: vmalloc, vmap or kvmalloc memory passed to streaming DMA
// or a scatterlist (dma_map_single, pci_map_single, sg_init_one, sg_set_buf,
// dma_cache_sync) or used as a USB or SPI (spi_write, spi_read) transfer
// buffer.
//
// Streaming DMA maps the linear-map pages behind a buffer; vmalloc memory is
// not physically contiguous and 6.1's dma_map_single_attrs() rejects it
// ("rejecting DMA map of vmalloc memory"). USB host drivers DMA-map transfer
// buffers the same way. No fix: the buffer must come from kmalloc() or
// dma_alloc_coherent().
#include "matchers/checks/SinkCheck.h"

namespace vmalloc_lint::checks {

namespace {

class DmaMap : public SinkCheck {
public:
  std::optional<SinkVerdict> judge(const SinkEvent &E) const override {
    if (E.Use != SinkUse::Table ||
        (E.Kind != SinkKind::StreamDma && E.Kind != SinkKind::UsbTransfer &&
         E.Kind != SinkKind::SpiTransfer))
      return std::nullopt;
    return vmallocVerdict(E.Value);
  }
  std::string message(const SinkEvent &E, const SinkVerdict &,
                      const SinkWording &W) const override {
    if (E.Kind == SinkKind::UsbTransfer)
      return sinkMessage(
          E, W, "USB transfer buffers are DMA-mapped; use a kmalloc() buffer");
    if (E.Kind == SinkKind::SpiTransfer)
      return sinkMessage(E, W,
                         "the SPI controller DMA-maps transfer buffers; use a "
                         "kmalloc() buffer");
    return sinkMessage(E, W,
                       "streaming DMA needs linear-map memory (the DMA API "
                       "rejects vmalloc memory); use kmalloc() or "
                       "dma_alloc_coherent() memory");
  }
};

} // namespace

const SinkCheck &dmaMap() {
  static const DmaMap C;
  return C;
}

} // namespace vmalloc_lint::checks
