// vmalloc-stack-dma: a stack buffer at a DMA, linear-map or USB transfer
// sink.
//
// With CONFIG_VMAP_STACK (x86_64's default since v4.9) kernel stacks are
// vmalloc memory: a stack buffer handed to DMA, to a scatterlist, to
// virt_to_phys() or as a USB transfer buffer names the wrong page (the
// "don't do DMA on stack" fixes of v4.9-v4.12). SPI transfer buffers must
// be dma-safe (linux/spi/spi.h): the core maps vmalloc buffers page by page,
// but controllers that map the buffer themselves do not, and DMA into the
// stack shares cache lines with it. The buffer must be kmalloc()ed.
#include "matchers/checks/SinkCheck.h"

namespace vmalloc_lint::checks {

namespace {

class StackDma : public SinkCheck {
public:
  std::optional<SinkVerdict> judge(const SinkEvent &E) const override {
    if (E.Use != SinkUse::Table ||
        (E.Kind != SinkKind::LinearMap && E.Kind != SinkKind::StreamDma &&
         E.Kind != SinkKind::UsbTransfer && E.Kind != SinkKind::SpiTransfer) ||
        !(E.Value.Kinds & mem::Stack))
      return std::nullopt;
    return SinkVerdict{nullptr, mem::Stack, false};
  }
  std::string message(const SinkEvent &E, const SinkVerdict &,
                      const SinkWording &W) const override {
    const std::string Stack =
        "with CONFIG_VMAP_STACK the stack is vmalloc memory; ";
    switch (E.Kind) {
    case SinkKind::StreamDma:
      return sinkMessage(
          E, W, Stack + "it cannot be DMA-mapped; use a kmalloc() buffer");
    case SinkKind::UsbTransfer:
      return sinkMessage(E, W,
                         Stack + "USB transfer buffers are DMA-mapped; use a "
                                 "kmalloc() buffer");
    case SinkKind::SpiTransfer:
      // The SPI core's spi_map_buf() maps a vmalloc buffer page by page
      // (6.1 drivers/spi/spi.c), so VMAP_STACK alone is not the reason:
      // linux/spi/spi.h asks for dma-safe buffers because controller
      // drivers that dma_map_single() the buffer themselves exist, and a
      // DMA buffer on the stack shares its cache lines with the stack.
      return sinkMessage(
          E, W,
          "SPI transfer buffers must be dma-safe (linux/spi/spi.h): a "
          "controller that dma_map_single()s the buffer itself cannot map a "
          "vmalloc'ed stack (CONFIG_VMAP_STACK), and DMA into a stack "
          "buffer shares cache lines with the live stack; use a kmalloc() "
          "buffer or spi_write_then_read()");
    default:
      return sinkMessage(E, W, Stack + "use a kmalloc() buffer");
    }
  }
};

} // namespace

const SinkCheck &stackDma() {
  static const StackDma C;
  return C;
}

} // namespace vmalloc_lint::checks
