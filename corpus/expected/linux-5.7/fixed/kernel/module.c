// SPDX-License-Identifier: GPL-2.0-or-later
/* Shaped like kernel/module.c of Linux 5.7: module_alloc() on vmalloc_exec(). */
#include <linux/gfp.h>
#include <linux/vmalloc.h>

void *module_alloc(unsigned long size)
{
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END, GFP_KERNEL, PAGE_KERNEL_EXEC, VM_FLUSH_RESET_PERMS, NUMA_NO_NODE, __builtin_return_address(0)); /* expect: vmalloc-api-migration */
}
