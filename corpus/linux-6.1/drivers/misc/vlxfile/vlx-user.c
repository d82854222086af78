// SPDX-License-Identifier: GPL-2.0
/*
 * vlxfile, the using half. Per translation unit every line is silent: the
 * wrapper, the returned memory, the fields and the global come from
 * vlx-alloc.c. A line marked expect-facts gets that finding only with the
 * cross-file facts of the tree (--facts-in); negatives stay silent both
 * ways.
 */
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vlxfile.h"

/* Another file's wrapper, called with __GFP_HIGHMEM: a census site. */
void *vlx_user_table(unsigned long n)
{
	return vlx_alloc(n, GFP_KERNEL | __GFP_HIGHMEM); /* expect-facts: vmalloc-redundant-highmem */
}

void *vlx_user_table_ok(unsigned long n)
{
	return vlx_alloc(n, GFP_KERNEL);
}

/* vlx_buf_get() returns vzalloc() memory. */
phys_addr_t vlx_user_phys(unsigned long n)
{
	void *p = vlx_buf_get(n);

	return virt_to_phys(p); /* expect-facts: vmalloc-virt-to-phys */
}

dma_addr_t vlx_user_map(struct device *dev, unsigned long n)
{
	void *p = vlx_buf_get(n);

	return dma_map_single(dev, p, n, DMA_TO_DEVICE); /* expect-facts: vmalloc-dma-map */
}

/* vlx_ring_get() returns kmalloc() memory: silent. */
phys_addr_t vlx_user_ring_phys(unsigned long n)
{
	void *p = vlx_ring_get(n);

	return virt_to_phys(p); /* silent */
}

/* Fields vlx-alloc.c assigns: buf vmalloc memory, ring kmalloc memory. */
phys_addr_t vlx_user_dev_buf(struct vlx_dev *d)
{
	return __pa(d->buf); /* expect-facts: vmalloc-virt-to-phys */
}

dma_addr_t vlx_user_dev_map(struct device *dev, struct vlx_dev *d)
{
	return dma_map_single(dev, d->buf, d->size, DMA_TO_DEVICE); /* expect-facts: vmalloc-dma-map */
}

phys_addr_t vlx_user_dev_ring(struct vlx_dev *d)
{
	return __pa(d->ring); /* silent */
}

/* A field another file's function stores its parameter in. */
phys_addr_t vlx_user_scratch(struct vlx_dev *d, unsigned long n)
{
	vlx_set_scratch(d, vmalloc(n));
	return __pa(d->scratch); /* expect-facts: vmalloc-virt-to-phys */
}

/* vlx_first_page()'s parameter reaches virt_to_page() in vlx-alloc.c. */
struct page *vlx_user_page(unsigned long n)
{
	void *p = vmalloc(n);

	return vlx_first_page(p); /* expect-facts: vmalloc-virt-to-phys */
}

struct page *vlx_user_page_ok(unsigned long n)
{
	void *p = kmalloc(n, GFP_KERNEL);

	return vlx_first_page(p); /* silent */
}

/*
 * A field of this file holding vmalloc or kmalloc memory, chosen by a flag
 * that also chooses the release path: through another file's function a
 * "may" is not reported (that function may test the same condition).
 */
struct vlx_user_priv {
	void *data;
	int vm;
};

void vlx_user_priv_alloc(struct vlx_user_priv *u, unsigned long n, int vm)
{
	if (vm)
		u->data = vmalloc(n);
	else
		u->data = kmalloc(n, GFP_KERNEL);
	u->vm = vm;
}

void vlx_user_priv_release(struct vlx_user_priv *u)
{
	if (u->vm)
		vfree(u->data);
	else
		vlx_first_page(u->data); /* silent */
}

/* A global vlx-alloc.c assigns vzalloc() memory. */
phys_addr_t vlx_user_global(void)
{
	return virt_to_phys(vlx_global_buf); /* expect-facts: vmalloc-virt-to-phys */
}

/*
 * Static functions of the same names as vlx-alloc.c's (which return
 * vmalloc memory and wrap __vmalloc()): this file's own, kmalloc memory.
 */
static void *vlx_helper(unsigned long n)
{
	return kmalloc(n, GFP_KERNEL);
}

static void *vlx_local_alloc(unsigned long n, gfp_t gfp)
{
	return kmalloc(n, gfp);
}

phys_addr_t vlx_user_helper(unsigned long n)
{
	void *p = vlx_helper(n);
	void *q = vlx_local_alloc(n, GFP_KERNEL);

	return virt_to_phys(p) + virt_to_phys(q); /* silent */
}
