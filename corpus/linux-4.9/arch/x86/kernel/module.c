/*  Kernel module help for x86.
    Copyright (C) 2001 Rusty Russell.

    This program is free software; you can redistribute it and/or modify
    it under the terms of the GNU General Public License as published by
    the Free Software Foundation; either version 2 of the License, or
    (at your option) any later version.

    vmalloc-lint corpus: trimmed model of module_alloc() from Linux 4.9
    arch/x86/kernel/module.c. No finding is expected here: before 4.12
    __GFP_HIGHMEM is what callers of __vmalloc_node_range() must pass.
*/

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

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

extern int kasan_module_alloc(void *addr, size_t size);

void *module_alloc(unsigned long size)
{
	void *p;

	if (PAGE_ALIGN(size) > MODULES_LEN)
		return NULL;

	p = __vmalloc_node_range(size, MODULE_ALIGN,
				    MODULES_VADDR + get_module_load_offset(),
				    MODULES_END, GFP_KERNEL | __GFP_HIGHMEM, /* silent */
				    PAGE_KERNEL_EXEC, 0, NUMA_NO_NODE,
				    __builtin_return_address(0));
	if (p && (kasan_module_alloc(p, size) < 0)) {
		vfree(p);
		return NULL;
	}

	return p;
}
