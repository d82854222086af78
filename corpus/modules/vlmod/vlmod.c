// SPDX-License-Identifier: GPL-2.0
/*
 * vlmod: an out-of-tree module written against the Linux 5.7 vmalloc API,
 * the kind every release of the 5.8 series broke. Analysed with
 * --kernel-tree corpus/linux-5.7 (the code's kernel) and --migrate-to 5.8.
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vlmod_ring {
	void *buf;
	void *code;
	void *map;
	struct page **pages;
	unsigned int nr_pages;
	struct vm_struct *area;
};

#define VLMOD_GFP (GFP_KERNEL | __GFP_ZERO)

/* A macro writes the call: reported, not edited. */
#define vlmod_alloc(size) __vmalloc(size, VLMOD_GFP, PAGE_KERNEL)

int vlmod_ring_init(struct vlmod_ring *r, unsigned long size)
{
	r->buf = __vmalloc(size, VLMOD_GFP, PAGE_KERNEL); /* expect: vmalloc-api-migration */
	if (!r->buf)
		return -ENOMEM;
	r->code = vmalloc_exec(PAGE_SIZE); /* expect: vmalloc-api-migration */
	if (!r->code)
		return -ENOMEM;
	r->map = vm_map_ram(r->pages, r->nr_pages, NUMA_NO_NODE, PAGE_KERNEL); /* expect: vmalloc-api-migration */
	r->area = __get_vm_area(size, VM_IOREMAP, VMALLOC_START, VMALLOC_END); /* expect: vmalloc-api-migration */
	if (!r->area || map_vm_area(r->area, PAGE_KERNEL, r->pages)) /* expect: vmalloc-api-migration */
		return -ENOMEM;
	vmalloc_sync_mappings(); /* expect: vmalloc-api-migration */
	return 0;
}

void *vlmod_scratch(unsigned long size)
{
	return vlmod_alloc(size); /* expect: vmalloc-api-migration */
}

/* silent: calls the 5.7 API only through what 5.8 kept. */
void *vlmod_plain(unsigned long size)
{
	return vzalloc(size);
}

/* silent with --migrate-to 5.8; reported (no fix) with 5.10 or later. */
struct vm_struct *vlmod_ptes(pte_t **ptes)
{
	return alloc_vm_area(PAGE_SIZE, ptes);
}
