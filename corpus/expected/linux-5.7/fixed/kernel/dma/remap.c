// SPDX-License-Identifier: GPL-2.0
/* Shaped like kernel/dma/remap.c of Linux 5.7: map_vm_area(). */
#include <linux/vmalloc.h>

static void *dma_common_pages_remap(struct vm_struct *area, struct page **pages,
				    pgprot_t prot)
{
	if (map_kernel_range((unsigned long)area->addr, get_vm_area_size(area), prot, pages)) { /* expect: vmalloc-api-migration */
		vunmap(area->addr);
		return NULL;
	}
	return area->addr;
}

static struct vm_struct *dma_next_area(void)
{
	return get_vm_area(4096, VM_DMA_COHERENT);
}

/* The new form names the area twice: a call there is reported, not copied. */
static int dma_remap_next(struct page **pages)
{
	return map_vm_area(dma_next_area(), PAGE_KERNEL, pages); /* expect: vmalloc-api-migration */
}

void *dma_remap_users(struct vm_struct *area, struct page **pages)
{
	return dma_remap_next(pages) ? NULL :
	       dma_common_pages_remap(area, pages, PAGE_KERNEL);
}
