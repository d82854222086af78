// SPDX-License-Identifier: GPL-2.0
/*
 * vl_pgvec: a ring of blocks, each from the page allocator or, when that
 * fails, from vzalloc() (the shape of net/packet/af_packet.c's
 * alloc_one_pg_vec_page() and free_pg_vec()).
 *
 * vmalloc-lint corpus, pass 2: the free tests is_vmalloc_addr() on the array
 * element's field itself, pg_vec[i].buffer: vfree() on that side, pages on
 * the other, is right (vmalloc-free-mismatch stays silent); a free that
 * does not test is not.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vl_pgv {
	char *buffer;
};

static char *vl_alloc_block(unsigned long order)
{
	char *buffer;

	buffer = (char *)__get_free_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
					  __GFP_NORETRY, order);
	if (buffer)
		return buffer;
	return vzalloc((1 << order) * PAGE_SIZE);
}

void vl_free_pg_vec(struct vl_pgv *pg_vec, unsigned int order, unsigned int len)
{
	int i;

	for (i = 0; i < len; i++) {
		if (is_vmalloc_addr(pg_vec[i].buffer))
			vfree(pg_vec[i].buffer); /* silent */
		else
			free_pages((unsigned long)pg_vec[i].buffer, order);
	}
	kfree(pg_vec);
}

void vl_free_pg_vec_wrong(struct vl_pgv *pg_vec, unsigned int len)
{
	int i;

	for (i = 0; i < len; i++)
		vfree(pg_vec[i].buffer); /* expect: vmalloc-free-mismatch */
	kfree(pg_vec);
}

struct vl_pgv *vl_alloc_pg_vec(unsigned int order, unsigned int len)
{
	struct vl_pgv *pg_vec = kcalloc(len, sizeof(*pg_vec), GFP_KERNEL);
	int i;

	if (!pg_vec)
		return NULL;
	for (i = 0; i < len; i++)
		pg_vec[i].buffer = vl_alloc_block(order);
	return pg_vec;
}
