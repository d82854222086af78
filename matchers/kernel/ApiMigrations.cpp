#include "matchers/kernel/ApiMigrations.h"

namespace vmalloc_lint {

namespace {
constexpr KernelVersion Still{0, 0};
// What 5.7's __vmalloc(size, gfp, prot) did (mm/vmalloc.c: __vmalloc_node
// with align 1, NUMA_NO_NODE and the caller's address, which is
// __vmalloc_node_range over the whole vmalloc space, vm_flags 0).
constexpr const char *VmallocWithProt =
    "__vmalloc_node_range($1, 1, VMALLOC_START, VMALLOC_END, $2, $3, 0, "
    "NUMA_NO_NODE, __builtin_return_address(0))";
} // namespace

const std::vector<ApiMigration> &apiMigrations() {
  // Upstream ids: each one found with the search tool (mailing lists and
  // commit lists) as a mainline id: a Fixes: tag or a "see commit" written
  // after the merge, or a post-receive revlist of a tree that follows
  // mainline; a linux-next id (akpm's tree is rebased) is not one. Not
  // found, so the subject only: __vmalloc_node_flags_caller and
  // vmalloc_user_node_flags (linux-next's be950c0b6fb2 and a18681b211ea,
  // Stephen Rothwell's nommu build report), __get_vm_area and map_vm_area
  // (Hellwig's [PATCH 07/28] and [PATCH 15/28], April 2020).
  static const std::vector<ApiMigration> Rows = {
      // ---- v5.8: Christoph Hellwig's "decruft the vmalloc API" ----------
      {{5, 8},
       "__vmalloc",
       3,
       "__vmalloc($1, $2)",
       3,
       "PAGE_KERNEL",
       VmallocWithProt,
       "__vmalloc() lost its pgprot in 5.8; with another prot the call is "
       "what 5.7's __vmalloc() did, __vmalloc_node_range() over the whole "
       "vmalloc space: decide whether the mapping needs VM_FLUSH_RESET_PERMS "
       "(executable memory, as upstream's own conversions set it) or can "
       "use vmalloc() and a later set_memory_*()",
       Still,
       "include/linux/vmalloc.h",
       "void *__vmalloc(unsigned long size, gfp_t gfp_mask, pgprot_t prot);",
       "void *__vmalloc(unsigned long size, gfp_t gfp_mask);",
       "mm: remove the pgprot argument to __vmalloc (88dca4ca5a93)"},
      {{5, 8},
       "vm_map_ram",
       4,
       "vm_map_ram($1, $2, $3)",
       4,
       "PAGE_KERNEL",
       nullptr,
       "vm_map_ram() maps with PAGE_KERNEL only since 5.8: a mapping with "
       "another prot must move to vmap(pages, count, VM_MAP, prot) and be "
       "freed with vunmap() instead of vm_unmap_ram()",
       Still,
       "include/linux/vmalloc.h",
       "void *vm_map_ram(struct page **pages, unsigned int count, int node, "
       "pgprot_t prot);",
       "void *vm_map_ram(struct page **pages, unsigned int count, int node);",
       "mm: remove the prot argument from vm_map_ram (d4efd79a81ab)"},
      {{5, 8},
       "__vmalloc_node_flags_caller",
       4,
       "__vmalloc_node($1, 1, $3, $2, $4)",
       0,
       nullptr,
       nullptr,
       "",
       Still,
       "include/linux/vmalloc.h",
       "void *__vmalloc_node_flags_caller(unsigned long size, int node, gfp_t "
       "flags, void *caller);",
       "void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t "
       "gfp_mask, int node, const void *caller);",
       "mm: switch the test_vmalloc module to use __vmalloc_node / mm: remove "
       "__vmalloc_node_flags_caller"},
      {{5, 8},
       "vmalloc_user_node_flags",
       3,
       "__vmalloc_node_range($1, SHMLBA, VMALLOC_START, VMALLOC_END, $3 | "
       "__GFP_ZERO, PAGE_KERNEL, VM_USERMAP, $2, "
       "__builtin_return_address(0))",
       0,
       nullptr,
       nullptr,
       "",
       Still,
       "include/linux/vmalloc.h",
       "void *vmalloc_user_node_flags(unsigned long size, int node, gfp_t "
       "flags);",
       "",
       "mm: remove vmalloc_user_node_flags"},
      {{5, 8},
       "vmalloc_exec",
       1,
       "__vmalloc_node_range($1, 1, VMALLOC_START, VMALLOC_END, GFP_KERNEL, "
       "PAGE_KERNEL_EXEC, VM_FLUSH_RESET_PERMS, NUMA_NO_NODE, "
       "__builtin_return_address(0))",
       0,
       nullptr,
       nullptr,
       "",
       Still,
       "include/linux/vmalloc.h",
       "void *vmalloc_exec(unsigned long size);",
       "",
       "mm: remove vmalloc_exec (7a0e27b2a0ce)"},
      {{5, 8},
       "__get_vm_area",
       4,
       "__get_vm_area_caller($1, $2, $3, $4, __builtin_return_address(0))",
       0,
       nullptr,
       nullptr,
       "",
       Still,
       "include/linux/vmalloc.h",
       "struct vm_struct *__get_vm_area(unsigned long size, unsigned long "
       "flags, unsigned long start, unsigned long end);",
       "",
       "mm: remove __get_vm_area"},
      {{5, 8},
       "map_vm_area",
       3,
       "map_kernel_range((unsigned long)$1->addr, get_vm_area_size($1), $2, "
       "$3)",
       0,
       nullptr,
       nullptr,
       "",
       // map_kernel_range() is still in 5.12.9's vmalloc.h and gone in
       // 6.1's (vmap_pages_range() is mm/internal.h's): Nicholas Piggin's
       // "mm/vmalloc: remove map_kernel_range" (b67177ecd956), merged in
       // the 5.13 merge window.
       {5, 13},
       "include/linux/vmalloc.h",
       "int map_vm_area(struct vm_struct *area, pgprot_t prot, struct page "
       "**pages);",
       "int map_kernel_range(unsigned long start, unsigned long size, "
       "pgprot_t prot, struct page **pages);",
       "mm: remove map_vm_range"},
      {{5, 8},
       "vmalloc_sync_mappings",
       0,
       "",
       0,
       nullptr,
       nullptr,
       "",
       Still,
       "include/linux/vmalloc.h",
       "void vmalloc_sync_mappings(void);",
       "",
       "mm: remove vmalloc_sync_(un)mappings() (73f693c3a705)"},
      {{5, 8},
       "vmalloc_sync_unmappings",
       0,
       "",
       0,
       nullptr,
       nullptr,
       "",
       Still,
       "include/linux/vmalloc.h",
       "void vmalloc_sync_unmappings(void);",
       "",
       "mm: remove vmalloc_sync_(un)mappings() (73f693c3a705)"},
      // ---- after 5.8 ------------------------------------------------------
      {{5, 10},
       "alloc_vm_area",
       2,
       nullptr,
       0,
       nullptr,
       nullptr,
       "alloc_vm_area() is gone since 5.10 (\"remove alloc_vm_area\"): "
       "map the pages with vmap(), or get_vm_area() and "
       "apply_to_page_range() where the PTEs themselves are needed",
       Still,
       "include/linux/vmalloc.h",
       "struct vm_struct *alloc_vm_area(size_t size, pte_t **ptes);",
       "",
       "mm: remove alloc_vm_area (301fa9f2ddf7)"},
      {{6, 12},
       "kvrealloc",
       4,
       "kvrealloc($1, $3, $4)",
       0,
       nullptr,
       nullptr,
       "",
       Still,
       "include/linux/slab.h",
       "void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t "
       "flags)",
       "void *kvrealloc_noprof(const void *p, size_t size, gfp_t flags)",
       "mm: kvmalloc: align kvrealloc() with krealloc() (590b9d576cae)"},
  };
  return Rows;
}

} // namespace vmalloc_lint
