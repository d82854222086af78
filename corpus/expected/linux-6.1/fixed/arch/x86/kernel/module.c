// SPDX-License-Identifier: GPL-2.0-or-later
/*  Kernel module help for x86.
    Copyright (C) 2001 Rusty Russell.

    vmalloc-lint corpus: trimmed model of arch/x86/kernel/module.c
    (module_alloc() as it looked before __GFP_HIGHMEM was dropped).
*/

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>

#ifdef CONFIG_RANDOMIZE_BASE
static unsigned long module_load_offset;

static unsigned long int get_module_load_offset(void)
{
	return module_load_offset;
}
#else
static unsigned long int get_module_load_offset(void)
{
	return 0;
}
#endif

#define MODULE_ALIGN PAGE_SIZE

extern int kasan_alloc_module_shadow(void *addr, size_t size, gfp_t gfp_mask);

void *module_alloc(unsigned long size)
{
	void *p;

	if (PAGE_ALIGN(size) > MODULES_LEN)
		return NULL;

	p = __vmalloc_node_range(size, MODULE_ALIGN,
				 MODULES_VADDR + get_module_load_offset(),
				 MODULES_END, GFP_KERNEL, /* expect: vmalloc-redundant-highmem */
				 PAGE_KERNEL,
				 VM_FLUSH_RESET_PERMS | VM_DEFER_KMEMLEAK,
				 NUMA_NO_NODE, __builtin_return_address(0));
	if (p && (kasan_alloc_module_shadow(p, size, GFP_KERNEL) < 0)) {
		vfree(p);
		return NULL;
	}

	return p;
}

void module_memfree(void *module_region)
{
	vfree(module_region);
}
