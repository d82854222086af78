// SPDX-License-Identifier: GPL-2.0-or-later
/* Shaped like kernel/module.c of Linux 5.7: module_alloc() on vmalloc_exec(). */
#include <linux/gfp.h>
#include <linux/vmalloc.h>

void *module_alloc(unsigned long size)
{
	return vmalloc_exec(size); /* expect: vmalloc-api-migration */
}
