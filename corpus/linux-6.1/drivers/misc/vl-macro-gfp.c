// SPDX-License-Identifier: GPL-2.0
/*
 * vl-macro-gfp: __GFP_HIGHMEM in a driver's own gfp macro.
 *
 * vmalloc-lint corpus, pass 1: vmalloc-redundant-highmem. A macro of the
 * .c file whose every expansion is a vmalloc gfp argument gets the fix in
 * its body, once, with the first finding; a macro also expanded elsewhere
 * (the shape of drbd's GFP_TRY, used for alloc_page() too) gets none, and
 * the note names the other expansion. A header's macro gets the fix in its
 * body when every place of the tree that names it is a vmalloc gfp argument
 * the run fixes (VL_SHARED_GFP); else the note names the other place: a
 * page allocator call (VL_SHARED_PAGE_GFP), another macro's body
 * (VL_SHARED_BASE_GFP).
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/vmalloc.h>

#include "vl-macro-gfp.h"

/* Only ever a vmalloc mask: the body is the place to fix. */
#define VL_RING_GFP	(GFP_NOIO | __GFP_HIGHMEM | __GFP_NOWARN) /* expect: vmalloc-redundant-highmem */

/* Also the mask of single pages (drbd's GFP_TRY shape): no fix. */
#define VL_TRY_GFP	(GFP_NOIO | __GFP_HIGHMEM | __GFP_NOWARN) /* expect: vmalloc-redundant-highmem */

/* Also the value of a table's default: no fix. */
#define VL_POOL_GFP	(GFP_KERNEL | __GFP_HIGHMEM) /* expect: vmalloc-redundant-highmem */

struct vl_ring {
	void *slots;
	void *shadow;
	struct page *spare;
	void *pool;
	void *shared;
};

static const gfp_t vl_pool_default = VL_POOL_GFP;

int vl_ring_alloc(struct vl_ring *r, unsigned long size)
{
	r->slots = __vmalloc(size, VL_RING_GFP);
	if (!r->slots)
		return -ENOMEM;
	r->shadow = __vmalloc_node(size, 1, VL_RING_GFP, NUMA_NO_NODE,
				   __builtin_return_address(0));
	if (!r->shadow)
		return -ENOMEM;
	return 0;
}

int vl_ring_spare(struct vl_ring *r, unsigned long size)
{
	r->spare = alloc_page(VL_TRY_GFP);
	if (r->spare)
		return 0;
	r->slots = __vmalloc(size, VL_TRY_GFP);
	return r->slots ? 0 : -ENOMEM;
}

int vl_ring_pool(struct vl_ring *r, unsigned long size)
{
	if (vl_pool_default != GFP_KERNEL)
		return -EINVAL;
	r->pool = __vmalloc(size, VL_POOL_GFP);
	return r->pool ? 0 : -ENOMEM;
}

int vl_ring_shared(struct vl_ring *r, unsigned long size)
{
	r->shared = __vmalloc(size, VL_SHARED_GFP); /* expect: vmalloc-redundant-highmem */
	return r->shared ? 0 : -ENOMEM;
}

int vl_ring_shared_page(struct vl_ring *r, unsigned long size)
{
	r->spare = alloc_page(VL_SHARED_PAGE_GFP);
	if (r->spare)
		return 0;
	r->shared = __vmalloc(size, VL_SHARED_PAGE_GFP); /* expect: vmalloc-redundant-highmem */
	return r->shared ? 0 : -ENOMEM;
}

int vl_ring_shared_base(struct vl_ring *r, unsigned long size)
{
	r->shared = __vmalloc(size, VL_SHARED_BASE_GFP); /* expect: vmalloc-redundant-highmem */
	return r->shared ? 0 : -ENOMEM;
}
