// SPDX-License-Identifier: GPL-2.0-or-later
/*
 *  Derived from arch/i386/kernel/irq.c
 *    Copyright (C) 1992 Linus Torvalds
 *  Adapted from arch/i386 by Gary Thomas
 *    Copyright (C) 1995-1996 Gary Thomas (gdt@linuxppc.org)
 *
 *  vmalloc-lint corpus: trimmed model of arch/powerpc/kernel/irq.c
 *  (vmapped interrupt stacks).
 */

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/thread_info.h>
#include <linux/vmalloc.h>

#define NR_CPUS 64

void *hardirq_ctx[NR_CPUS];
void *softirq_ctx[NR_CPUS];

static void *__init alloc_vm_stack(void)
{
	return __vmalloc_node(THREAD_SIZE, THREAD_ALIGN, __GFP_HIGHMEM | THREADINFO_GFP, /* expect: vmalloc-redundant-highmem */
			      NUMA_NO_NODE, __builtin_return_address(0));
}

static void __init vmap_irqstack_init(void)
{
	int i;

	for (i = 0; i < NR_CPUS; i++) {
		softirq_ctx[i] = alloc_vm_stack();
		hardirq_ctx[i] = alloc_vm_stack();
	}
}

void __init init_IRQ(void)
{
	vmap_irqstack_init();
}
