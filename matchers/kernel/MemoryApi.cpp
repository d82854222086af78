#include "matchers/kernel/MemoryApi.h"

#include <unordered_map>

namespace vmalloc_lint {

std::string stripNoprof(const std::string &Name) {
  static const std::string Suffix = "_noprof";
  if (Name.size() > Suffix.size() &&
      Name.compare(Name.size() - Suffix.size(), Suffix.size(), Suffix) == 0)
    return Name.substr(0, Name.size() - Suffix.size());
  return Name;
}

const std::vector<MemorySource> &memorySources() {
  static const std::vector<MemorySource> Rows = {
      // slab (include/linux/slab.h)
      {"kmalloc", SourceKind::Linear},
      {"kzalloc", SourceKind::Linear},
      {"kcalloc", SourceKind::Linear},
      {"kmalloc_array", SourceKind::Linear},
      {"kmalloc_node", SourceKind::Linear},
      {"kzalloc_node", SourceKind::Linear},
      {"kcalloc_node", SourceKind::Linear},
      {"kmalloc_array_node", SourceKind::Linear},
      {"__kmalloc", SourceKind::Linear},
      {"__kmalloc_node", SourceKind::Linear},
      {"krealloc", SourceKind::Linear},
      {"krealloc_array", SourceKind::Linear},
      {"kmemdup", SourceKind::Linear},
      {"kmemdup_nul", SourceKind::Linear},
      {"kstrdup", SourceKind::Linear},
      {"kstrndup", SourceKind::Linear},
      {"memdup_user", SourceKind::Linear},
      {"kmem_cache_alloc", SourceKind::Linear, "kmem_cache_free"},
      {"kmem_cache_zalloc", SourceKind::Linear, "kmem_cache_free"},
      {"kmem_cache_alloc_node", SourceKind::Linear, "kmem_cache_free"},
      {"devm_kmalloc", SourceKind::Linear, "devm_kfree"},
      {"devm_kzalloc", SourceKind::Linear, "devm_kfree"},
      {"devm_kcalloc", SourceKind::Linear, "devm_kfree"},
      {"devm_kmalloc_array", SourceKind::Linear, "devm_kfree"},
      {"devm_kmemdup", SourceKind::Linear, "devm_kfree"},
      // page allocator (include/linux/gfp.h, mm.h)
      {"__get_free_pages", SourceKind::Linear, "free_pages"},
      {"get_zeroed_page", SourceKind::Linear, "free_pages"},
      {"alloc_pages_exact", SourceKind::Linear, "free_pages_exact"},
      {"alloc_pages_exact_nid", SourceKind::Linear, "free_pages_exact"},
      {"page_address", SourceKind::Linear, "__free_pages"},
      {"lowmem_page_address", SourceKind::Linear, "__free_pages"},
      {"phys_to_virt", SourceKind::Linear, ""},
      // vmap areas (include/linux/vmalloc.h): in the vmalloc range
      {"vmap", SourceKind::Vmap, "vunmap"},
      {"vm_map_ram", SourceKind::Vmap, "vm_unmap_ram"},
      {"vmap_pfn", SourceKind::Vmap, "vunmap"},
      // inside a kvmalloc()ed object: a net_device's private area
      // (include/linux/netdevice.h) is in the allocation alloc_netdev_mqs()
      // makes with kvzalloc() since v4.12 (kzalloc(), else vzalloc(), since
      // v3.14, 74d332c13b21 "net: extend net_device allocation to
      // vmalloc()"): not for DMA (12e571693837 "virtio_net: split out ctrl
      // buffer")
      {"netdev_priv", SourceKind::MaybeVmalloc, ""},
  };
  return Rows;
}

const std::vector<MemorySink> &memorySinks() {
  static const char *PhysOf =
      "page_to_phys(vmalloc_to_page(p)) + offset_in_page(p)";
  static const std::vector<MemorySink> Rows = {
      // linear-map helpers (arch/*/include/asm/io.h, page.h; linux/mm.h)
      {"virt_to_phys", SinkKind::LinearMap, 0, PhysOf},
      {"__pa", SinkKind::LinearMap, 0, PhysOf},
      {"__virt_to_phys", SinkKind::LinearMap, 0, PhysOf},
      {"virt_to_bus", SinkKind::LinearMap, 0, PhysOf},
      {"virt_to_page", SinkKind::LinearMap, 0, "vmalloc_to_page", true},
      {"virt_to_pfn", SinkKind::LinearMap, 0, "vmalloc_to_pfn", true},
      {"virt_to_head_page", SinkKind::LinearMap, 0, "vmalloc_to_page"},
      // streaming DMA and scatterlists (linux/dma-mapping.h, scatterlist.h)
      {"dma_map_single", SinkKind::StreamDma, 1, ""},
      {"dma_map_single_attrs", SinkKind::StreamDma, 1, ""},
      {"pci_map_single", SinkKind::StreamDma, 1, ""},
      {"sg_init_one", SinkKind::StreamDma, 1, ""},
      {"sg_set_buf", SinkKind::StreamDma, 1, ""},
      {"dma_cache_sync", SinkKind::StreamDma, 1, ""},
      // frees (linux/slab.h, vmalloc.h)
      {"kfree", SinkKind::LinearFree, 0, "vfree"},
      {"kfree_sensitive", SinkKind::LinearFree, 0, "vfree"},
      {"kzfree", SinkKind::LinearFree, 0, "vfree"},
      {"kfree_const", SinkKind::LinearFree, 0, "vfree"},
      {"vfree", SinkKind::VmallocFree, 0, "kfree"},
      {"vfree_atomic", SinkKind::VmallocFree, 0, "kfree"},
      // USB transfer buffers (linux/usb.h): DMA-mapped by the host driver
      // (the last number: the length argument; usb_hcd_map_urb_for_dma()
      // maps no buffer of a zero-length transfer)
      {"usb_control_msg", SinkKind::UsbTransfer, 6, "", false, 7},
      {"usb_bulk_msg", SinkKind::UsbTransfer, 2, "", false, 3},
      {"usb_interrupt_msg", SinkKind::UsbTransfer, 2, "", false, 3},
      // (usb_control_msg_send/_recv copy the data into a kmalloc()ed buffer:
      // not sinks.)
      // SPI transfer buffers (linux/spi/spi.h): spi_write(spi, buf, len) and
      // spi_read(spi, buf, len) put buf in a spi_transfer, which the
      // controller DMA-maps (spi_map_msg). spi_write_then_read() copies both
      // buffers into a DMA-safe one: not a sink.
      {"spi_write", SinkKind::SpiTransfer, 1, "", false, 2},
      {"spi_read", SinkKind::SpiTransfer, 1, "", false, 2},
      // Transfer buffers stored in the request a driver submits (field
      // sinks, RECORD.FIELD: a store into the field, or its initializer).
      // linux/spi/spi.h: "tx_buf: data to be written (dma-safe memory)",
      // rx_buf the same, for spi_sync()/spi_async() of the message.
      {"spi_transfer.tx_buf", SinkKind::SpiTransfer, 0, ""},
      {"spi_transfer.rx_buf", SinkKind::SpiTransfer, 0, ""},
      // linux/usb.h: urb->transfer_buffer "must be suitable for DMA;
      // allocate it with kmalloc()", as the control request (setup_packet);
      // usb_fill_{control,bulk,int}_urb() store them.
      {"urb.transfer_buffer", SinkKind::UsbTransfer, 0, ""},
      {"urb.setup_packet", SinkKind::UsbTransfer, 0, ""},
      {"usb_fill_control_urb", SinkKind::UsbTransfer, 4, "", false, 5},
      {"usb_fill_bulk_urb", SinkKind::UsbTransfer, 3, "", false, 4},
      {"usb_fill_int_urb", SinkKind::UsbTransfer, 3, "", false, 4},
      // HID transport requests (linux/hid.h): the buffer goes to the
      // transport driver's raw_request/output_report, which for usbhid is
      // usb_control_msg()/usb_interrupt_msg() of that very buffer
      // (drivers/hid/usbhid/hid-core.c).
      {"hid_hw_raw_request", SinkKind::UsbTransfer, 2, "", false, 3},
      {"hid_hw_output_report", SinkKind::UsbTransfer, 1, "", false, 2},
      // MMIO writes (asm/io.h, linux/io-64-nonatomic-*.h): the value
      {"writel", SinkKind::MmioWrite, 0, ""},
      {"writel_relaxed", SinkKind::MmioWrite, 0, ""},
      {"writeq", SinkKind::MmioWrite, 0, ""},
      {"writeq_relaxed", SinkKind::MmioWrite, 0, ""},
      {"__raw_writel", SinkKind::MmioWrite, 0, ""},
      {"__raw_writeq", SinkKind::MmioWrite, 0, ""},
      {"iowrite32", SinkKind::MmioWrite, 0, ""},
      {"iowrite32be", SinkKind::MmioWrite, 0, ""},
      {"iowrite64", SinkKind::MmioWrite, 0, ""},
      {"lo_hi_writeq", SinkKind::MmioWrite, 0, ""},
      {"hi_lo_writeq", SinkKind::MmioWrite, 0, ""},
      {"lo_hi_writeq_relaxed", SinkKind::MmioWrite, 0, ""},
      {"hi_lo_writeq_relaxed", SinkKind::MmioWrite, 0, ""},
  };
  return Rows;
}

template <typename Row>
static const Row *lookupRow(const std::vector<Row> &Rows,
                            const std::string &Name) {
  // Tables are small and looked up per call expression: index once.
  static std::unordered_map<std::string, const Row *> Index = [&Rows] {
    std::unordered_map<std::string, const Row *> M;
    for (const Row &R : Rows)
      M.emplace(R.Name, &R);
    return M;
  }();
  auto It = Index.find(Name);
  if (It == Index.end())
    It = Index.find(stripNoprof(Name));
  return It == Index.end() ? nullptr : It->second;
}

const MemorySource *lookupMemorySource(const std::string &Name) {
  return lookupRow(memorySources(), Name);
}

const MemorySink *lookupMemorySink(const std::string &Name) {
  return lookupRow(memorySinks(), Name);
}

const MemorySink *lookupFieldSink(const std::string &Record,
                                  const std::string &Field) {
  if (Record.empty() || Field.empty())
    return nullptr;
  return lookupRow(memorySinks(), Record + "." + Field);
}

std::string sinkTextName(const MemorySink &Row) {
  std::string N = Row.Name;
  size_t Dot = N.find('.');
  return Dot == std::string::npos ? N : N.substr(Dot + 1);
}

static const std::vector<MemoryGuard> &memoryGuards() {
  static const std::vector<MemoryGuard> Rows = {
      {"is_vmalloc_addr", GuardKind::IsVmalloc},
      {"virt_addr_valid", GuardKind::IsLinear},
      {"__virt_addr_valid", GuardKind::IsLinear},
  };
  return Rows;
}

const MemoryGuard *lookupMemoryGuard(const std::string &Name) {
  return lookupRow(memoryGuards(), Name);
}

bool isErrorPointerTest(const std::string &Name) {
  return Name == "IS_ERR" || Name == "IS_ERR_OR_NULL";
}

const std::vector<FreeChoice> &freeChoices() {
  static const std::vector<FreeChoice> Rows = {
      // kvfree(): mm/util.c since v3.15 (39f1f78d53b9).
      {"is_vmalloc_addr", "vfree", "kfree", "kvfree"},
  };
  return Rows;
}

bool isVmallocPageLookup(const std::string &Name) {
  return Name == "vmalloc_to_page" || Name == "vmalloc_to_pfn";
}

static const std::vector<DmaMaskSetter> &dmaMaskSetters() {
  static const std::vector<DmaMaskSetter> Rows = {
      {"dma_set_mask", 1},
      {"dma_set_coherent_mask", 1},
      {"dma_set_mask_and_coherent", 1},
      {"dma_coerce_mask_and_coherent", 1},
      {"pci_set_dma_mask", 1},
      {"pci_set_consistent_dma_mask", 1},
  };
  return Rows;
}

const DmaMaskSetter *lookupDmaMaskSetter(const std::string &Name) {
  return lookupRow(dmaMaskSetters(), Name);
}

std::vector<std::string> memoryGuardNames() {
  std::vector<std::string> N;
  for (const MemoryGuard &R : memoryGuards())
    N.push_back(R.Name);
  return N;
}

std::vector<std::string> dmaMaskSetterNames() {
  std::vector<std::string> N;
  for (const DmaMaskSetter &R : dmaMaskSetters())
    N.push_back(R.Name);
  return N;
}

const std::vector<std::string> &memoryApiNames() {
  static const std::vector<std::string> Names = [] {
    std::vector<std::string> N;
    for (const MemorySource &R : memorySources())
      N.push_back(R.Name);
    for (const MemorySink &R : memorySinks())
      N.push_back(sinkTextName(R));
    for (const MemoryGuard &R : memoryGuards())
      N.push_back(R.Name);
    for (const DmaMaskSetter &R : dmaMaskSetters())
      N.push_back(R.Name);
    N.push_back("vmalloc_to_page");
    N.push_back("vmalloc_to_pfn");
    return N;
  }();
  return Names;
}

} // namespace vmalloc_lint
