#include "matchers/checks/CheckRegistry.h"

#include "matchers/checks/RefactorCheck.h"
#include "matchers/checks/SinkCheck.h"

namespace vmalloc_lint {

// Each check's rule, in the file named after it.
namespace checks {
void redundantHighmem(GfpSite &);
void lowmemGfp(GfpSite &);
void zoneGfp(GfpSite &);
void kvmallocHighmem(GfpSite &);
void unsupportedGfp(GfpSite &);
const SinkCheck &virtToPhys();
const SinkCheck &dmaMap();
const SinkCheck &dma32Device();
const SinkCheck &freeMismatch();
const SinkCheck &stackDma();
const RefactorCheck &openCodedKvfree();
const RefactorCheck &openCodedKvmalloc();
const RefactorCheck &apiMigration();
} // namespace checks

namespace {
constexpr KernelVersion Always{2, 6};
constexpr KernelVersion Open{0, 0};
using G = TextGroup;
} // namespace

const std::vector<CheckRow> &checkRegistry() {
  static const std::vector<CheckRow> Rows = {
      // ---- pass 1: the gfp argument of each vmalloc-family call ---------
      {"vmalloc-redundant-highmem",
       1,
       "__GFP_HIGHMEM passed to a vmalloc allocator (kernel >= 4.12 adds it "
       "itself); fix drops it",
       {{4, 12}, Open},
       "",
       FixKind::DropFlag,
       "docs/checks/vmalloc-redundant-highmem.md",
       {{{G::Family, G::Highmem}}},
       checks::redundantHighmem},
      {"vmalloc-lowmem-gfp",
       1,
       "gfp without __GFP_HIGHMEM or a zone modifier passed to __vmalloc* "
       "(kernel < 4.12: pages come from lowmem); fix adds it",
       {Always, {4, 12}},
       "HIGHMEM",
       FixKind::AddFlag,
       "docs/checks/vmalloc-lowmem-gfp.md",
       // An absence: the family is all a unit needs to mention.
       {{{G::Family}}},
       checks::lowmemGfp},
      {"vmalloc-zone-gfp",
       1,
       "GFP_DMA/GFP_DMA32 passed to __vmalloc* (use vmalloc_32*), or a zone "
       "mix the tree's GFP_ZONE_BAD rejects",
       {Always, Open},
       "",
       FixKind::None,
       "docs/checks/vmalloc-zone-gfp.md",
       {{{G::Family, G::Zone}}},
       checks::zoneGfp},
      {"vmalloc-kvmalloc-highmem",
       1,
       "__GFP_HIGHMEM or __GFP_DMA32 passed to kvmalloc* (slab rejects it: "
       "GFP_SLAB_BUG_MASK); fix drops __GFP_HIGHMEM",
       {Always, Open},
       "",
       FixKind::DropFlag,
       "docs/checks/vmalloc-kvmalloc-highmem.md",
       {{{G::Family, G::HighmemDma32}}},
       checks::kvmallocHighmem},
      {"vmalloc-unsupported-gfp",
       1,
       "gfp flags the target kernel's vmalloc does not honour (no "
       "__GFP_DIRECT_RECLAIM, __GFP_NORETRY, __GFP_RETRY_MAYFAIL)",
       {Always, Open},
       "",
       FixKind::None,
       "docs/checks/vmalloc-unsupported-gfp.md",
       // The required-flag rule is an absence: the family suffices.
       {{{G::Family}}},
       checks::unsupportedGfp},
      // ---- pass 2: where the memory goes ---------------------------------
      // Each needs the memory it is about and its sinks; a guard alone
      // (inside `if (is_vmalloc_addr(p))` p is vmalloc memory) is memory too.
      {"vmalloc-virt-to-phys",
       2,
       "vmalloc, vmap or kvmalloc memory passed to a linear-map helper "
       "(virt_to_phys, __pa, virt_to_page...); use vmalloc_to_page/pfn",
       {Always, Open},
       "",
       FixKind::RenameHelper,
       "docs/checks/vmalloc-virt-to-phys.md",
       {{{G::VmallocMemory, G::LinearMapSink}, true},
        {{G::Guard, G::LinearMapSink}, true}},
       nullptr,
       &checks::virtToPhys()},
      {"vmalloc-dma-map",
       2,
       "vmalloc, vmap or kvmalloc memory passed to streaming DMA or a "
       "scatterlist (dma_map_single, sg_init_one...)",
       {Always, Open},
       "",
       FixKind::None,
       "docs/checks/vmalloc-dma-map.md",
       {{{G::VmallocMemory, G::DmaSink}, true}, {{G::Guard, G::DmaSink}, true}},
       nullptr,
       &checks::dmaMap()},
      {"vmalloc-dma32-device",
       2,
       "page addresses of non-vmalloc_32 memory handed to a device limited "
       "to 32-bit DMA or written to MMIO; use vmalloc_32*",
       {Always, Open},
       "",
       FixKind::None,
       "docs/checks/vmalloc-dma32-device.md",
       {{{G::VmallocMemory, G::DeviceSink}, true},
        {{G::Guard, G::DeviceSink}, true}},
       nullptr,
       &checks::dma32Device()},
      {"vmalloc-free-mismatch",
       2,
       "vmalloc/vmap memory freed with kfree, or linear memory freed with "
       "vfree (kvfree takes both)",
       {Always, Open},
       "",
       FixKind::None,
       "docs/checks/vmalloc-free-mismatch.md",
       {{{G::VmallocMemory, G::LinearFreeSink}, true},
        {{G::Guard, G::LinearFreeSink}, true},
        {{G::LinearMemory, G::VmallocFreeSink}, true},
        {{G::Guard, G::VmallocFreeSink}, true}},
       nullptr,
       &checks::freeMismatch()},
      {"vmalloc-stack-dma",
       2,
       "a stack buffer (vmalloc memory with CONFIG_VMAP_STACK) at a DMA, "
       "virt_to_phys or USB transfer sink",
       // Every kernel: CONFIG_VMAP_STACK came in v4.9, but code older trees
       // hold is what the 4.9-4.12 "don't do DMA on stack" fixes changed.
       // Only for code of an arch that can have VMAP_STACK: its
       // arch/ARCH/Kconfig selects HAVE_ARCH_VMAP_STACK (a conditional
       // select counts), or, the configured arch of a prepared tree,
       // CONFIG_VMAP_STACK=y (KernelArchFacts).
       {Always, Open},
       "HAVE_ARCH_VMAP_STACK",
       FixKind::None,
       "docs/checks/vmalloc-stack-dma.md",
       // A stack buffer has no name to look for: the sink is enough (a DMA
       // or transfer sink, or a linear-map helper: virt_to_page(iv)).
       {{{G::DmaSink}}, {{G::LinearMapSink}}},
       nullptr,
       &checks::stackDma()},
      // A code shape, not a dataflow: the AST matchers of matchers/refactor/.
      {"vmalloc-open-coded-kvfree",
       2,
       "vfree() or kfree() chosen by is_vmalloc_addr() (inline or as a "
       "wrapper's body), or a call of a wrapper whose body is kvfree(); fix "
       "replaces it with kvfree()",
       {{3, 15}, Open},
       "",
       FixKind::ReplaceCode,
       "docs/checks/vmalloc-open-coded-kvfree.md",
       // The guard and both frees, in one function; or kvfree (a wrapper's
       // body, its calls anywhere in the unit) or another file's wrapper.
       {{{G::Guard, G::LinearFreeSink, G::VmallocFreeSink}},
        {{G::KvfreeWrapper}, true}},
       nullptr,
       nullptr,
       &checks::openCodedKvfree()},
      {"vmalloc-open-coded-kvmalloc",
       2,
       "kmalloc() with a vmalloc() fallback on failure or by size (inline or "
       "as a helper's body); fix: one kvmalloc*() call where the kernel's "
       "kvmalloc takes the mask, and kvfree() for that memory's frees",
       // Every kernel: before 4.12 the site is reported without a fix.
       {Always, Open},
       "",
       FixKind::ReplaceCode,
       "docs/checks/vmalloc-open-coded-kvmalloc.md",
       // Both allocators of the pair (KvmallocApi's tables), not any linear
       // and any vmalloc source: a kvmalloc() call and a kmalloc() elsewhere
       // in the unit are those, and kept every unit that has both. In one
       // function or through a helper the unit or a header defines: a unit
       // that mentions both.
       {{{G::KmallocSide, G::VmallocFallback}, true}},
       nullptr,
       nullptr,
       &checks::openCodedKvmalloc()},
      // Runs only with a target version (--migrate-to X.Y, the plugin's
      // MigrateTo): the table of matchers/kernel/ApiMigrations.cpp.
      {"vmalloc-api-migration",
       2,
       "a call of the vmalloc API in a form the --migrate-to kernel no "
       "longer has (__vmalloc's pgprot, vmalloc_exec...); fix rewrites it as "
       "upstream did",
       {Always, Open},
       "",
       FixKind::ReplaceCode,
       "docs/checks/vmalloc-api-migration.md",
       {{{G::Migration}}},
       nullptr,
       nullptr,
       &checks::apiMigration()},
  };
  return Rows;
}

const CheckRow *findCheck(llvm::StringRef Name) {
  for (const CheckRow &R : checkRegistry())
    if (Name == R.Name)
      return &R;
  return nullptr;
}

} // namespace vmalloc_lint
