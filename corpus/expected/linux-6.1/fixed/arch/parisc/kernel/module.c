// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmalloc-lint corpus: trimmed model of module_alloc() from
 * arch/parisc/kernel/module.c (before __GFP_HIGHMEM was dropped from it),
 * analysed as this tree's x86 code would be: clang has no parisc target, and
 * PAGE_KERNEL_RWX is parisc's, undeclared here. clang keeps each call as
 * recovered code; it is still a site, classified from its gfp argument.
 * Does not compile on purpose (corpus/compile-check.sh knows).
 */

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/vmalloc.h>
#include <linux/module_text.h>

void *module_alloc(unsigned long size)
{
	/* Another argument does not compile; the gfp argument is intact: the
	 * finding has its fix. */
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL, /* expect: vmalloc-redundant-highmem */
				    PAGE_KERNEL_RWX, 0, NUMA_NO_NODE,
				    __builtin_return_address(0));
}

void *module_alloc_noexec(unsigned long size)
{
	/* The gfp argument itself names an undeclared flag: still a site and a
	 * finding (its __GFP_HIGHMEM parsed), but no fix. */
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL | __GFP_HIGHMEM | __GFP_PARISC_NOEXEC, /* expect: vmalloc-redundant-highmem */
				    PAGE_KERNEL, 0, NUMA_NO_NODE,
				    __builtin_return_address(0));
}

void *module_alloc_plain(unsigned long size)
{
	/* Recovered, and nothing to report. */
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL, PAGE_KERNEL_RWX, 0, NUMA_NO_NODE, /* silent */
				    __builtin_return_address(0));
}
