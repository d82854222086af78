/*
 * vmalloc-lint corpus: trimmed model of module_alloc() from Linux 4.10
 * arch/parisc/kernel/module.c, analysed as this tree's x86 code would be:
 * clang has no parisc target, and PAGE_KERNEL_RWX is parisc's, undeclared
 * here. clang keeps the call as recovered code; it is still a site,
 * classified from its gfp argument. Does not compile on purpose
 * (corpus/compile-check.sh knows).
 */

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

void *module_alloc(unsigned long size)
{
	/* Before 4.12 __GFP_HIGHMEM is what the caller must pass. */
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL | __GFP_HIGHMEM, /* silent */
				    PAGE_KERNEL_RWX, 0, NUMA_NO_NODE,
				    __builtin_return_address(0));
}

void *module_alloc_lowmem(unsigned long size)
{
	/* Another argument does not compile, the gfp argument is intact: the
	 * lowmem finding has its fix. */
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL, /* expect: vmalloc-lowmem-gfp */
				    PAGE_KERNEL_RWX, 0, NUMA_NO_NODE,
				    __builtin_return_address(0));
}
