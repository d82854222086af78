// SPDX-License-Identifier: GPL-2.0
/*
 * vlxfile, the allocating half: an exported gfp wrapper, functions
 * returning vmalloc and kmalloc memory, struct fields and a global assigned
 * here, a function whose parameter reaches virt_to_page(). Nothing here is
 * a finding by itself; vlx-user.c holds the cross-file findings.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vlxfile.h"

void *vlx_global_buf;

/* An exported gfp wrapper: its callers in other files are call sites. */
void *vlx_alloc(unsigned long size, gfp_t gfp)
{
	return __vmalloc(size, gfp | __GFP_ZERO);
}

void *vlx_buf_get(unsigned long size)
{
	void *p = vzalloc(size);

	return p;
}

void *vlx_ring_get(unsigned long size)
{
	return kmalloc(size, GFP_KERNEL);
}

void vlx_dev_setup(struct vlx_dev *d, unsigned long size)
{
	d->buf = vmalloc(size);
	d->ring = kzalloc(size, GFP_KERNEL);
	d->size = size;
	vlx_global_buf = vzalloc(size);
}

void vlx_set_scratch(struct vlx_dev *d, void *p)
{
	d->scratch = p;
}

struct page *vlx_first_page(void *p)
{
	return virt_to_page(p);
}

/* Static: never exported; vlx-user.c has its own vlx_helper(). */
static void *vlx_helper(unsigned long n)
{
	return vmalloc(n);
}

static void *vlx_local_alloc(unsigned long n, gfp_t gfp)
{
	return __vmalloc(n, gfp);
}

void *vlx_alloc_twice(unsigned long n)
{
	void *p = vlx_helper(n);

	vfree(p);
	return vlx_local_alloc(n, GFP_KERNEL);
}

/*
 * A block cache (the shape of drivers/md/dm-bufio.c): a block's data is
 * kmalloc()ed, or vmalloc()ed for large blocks, and data_mode records which;
 * this file tests the tag, its callers in other files get the pointer only.
 */
struct vlx_block {
	void *data;
	int data_mode;
};

struct vlx_block_cache {
	struct vlx_block *blocks[16];
	unsigned long block_size;
};

int vlx_block_alloc(struct vlx_block_cache *c, unsigned int i)
{
	struct vlx_block *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return -ENOMEM;
	if (c->block_size > PAGE_SIZE) {
		b->data = vmalloc(c->block_size);
		b->data_mode = 1;
	} else {
		b->data = kmalloc(c->block_size, GFP_KERNEL);
		b->data_mode = 0;
	}
	c->blocks[i] = b;
	return b->data ? 0 : -ENOMEM;
}

void vlx_block_free(struct vlx_block *b)
{
	if (b->data_mode == 1)
		vfree(b->data); /* silent */
	else
		kfree(b->data); /* silent */
}

void *vlx_block_read(struct vlx_block_cache *c, unsigned int i)
{
	struct vlx_block *b = c->blocks[i];

	return b->data;
}
