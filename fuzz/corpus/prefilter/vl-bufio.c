// SPDX-License-Identifier: GPL-2.0
/*
 * vl-bufio: a block buffer cache (the shape of drivers/md/dm-bufio.c).
 *
 * vmalloc-lint corpus, pass 2, tag correlation: the allocator records the
 * kind of memory it chose in b->data_mode (through an out-parameter), and
 * the I/O path tests the tag, not the pointer, before virt_to_page(): the
 * buffer there is never vmalloc memory. A test of the other constant, or no
 * test, is still reported.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

enum data_mode {
	DATA_MODE_SLAB = 0,
	DATA_MODE_GET_FREE_PAGES = 1,
	DATA_MODE_VMALLOC = 2,
};

struct vl_bufio_client {
	size_t block_size;
	unsigned int pages_order;
	bool small;
};

struct vl_buffer {
	struct vl_bufio_client *c;
	void *data;
	unsigned char data_mode;
	struct page *pages[4];
};

static void *alloc_buffer_data(struct vl_bufio_client *c, gfp_t gfp_mask,
			       unsigned char *data_mode)
{
	if (c->small) {
		*data_mode = DATA_MODE_SLAB;
		return kmalloc(c->block_size, gfp_mask);
	}

	if (c->block_size <= KMALLOC_MAX_SIZE) {
		*data_mode = DATA_MODE_GET_FREE_PAGES;
		return (void *)__get_free_pages(gfp_mask, c->pages_order);
	}

	*data_mode = DATA_MODE_VMALLOC;
	return vmalloc(c->block_size);
}

static void free_buffer_data(struct vl_bufio_client *c, void *data,
			     unsigned char data_mode)
{
	switch (data_mode) {
	case DATA_MODE_SLAB:
		kfree(data);
		break;
	case DATA_MODE_GET_FREE_PAGES:
		free_pages((unsigned long)data, c->pages_order);
		break;
	case DATA_MODE_VMALLOC:
		vfree(data);
		break;
	}
}

struct vl_buffer *vl_alloc_buffer(struct vl_bufio_client *c, gfp_t gfp_mask)
{
	struct vl_buffer *b = kmalloc(sizeof(*b), gfp_mask);

	if (!b)
		return NULL;
	b->c = c;
	b->data = alloc_buffer_data(c, gfp_mask, &b->data_mode);
	if (!b->data) {
		kfree(b);
		return NULL;
	}
	return b;
}

void vl_free_buffer(struct vl_buffer *b)
{
	free_buffer_data(b->c, b->data, b->data_mode);
	kfree(b);
}

/* Only called for buffers that are not vmalloc memory. */
static void use_bio(struct vl_buffer *b, unsigned int offset)
{
	char *ptr = (char *)b->data + offset;

	b->pages[0] = virt_to_page(ptr); /* silent */
}

static void use_dmio(struct vl_buffer *b)
{
	b->pages[0] = vmalloc_to_page(b->data);
}

void vl_submit_io(struct vl_buffer *b)
{
	if (b->data_mode != DATA_MODE_VMALLOC)
		use_bio(b, 0);
	else
		use_dmio(b);
}

/* The wrong test: the linear kinds are excluded, vmalloc memory is left. */
static void vl_map_first(struct vl_buffer *b)
{
	b->pages[1] = virt_to_page(b->data); /* expect: vmalloc-virt-to-phys */
}

void vl_prefetch(struct vl_buffer *b)
{
	if (b->data_mode == DATA_MODE_VMALLOC)
		vl_map_first(b);
}

/* A local tag in one function. */
phys_addr_t vl_scratch_phys(size_t len, bool big)
{
	enum data_mode mode;
	void *p;

	if (big) {
		mode = DATA_MODE_VMALLOC;
		p = vmalloc(len);
	} else {
		mode = DATA_MODE_SLAB;
		p = kmalloc(len, GFP_KERNEL);
	}
	if (!p)
		return 0;
	if (mode == DATA_MODE_SLAB)
		return virt_to_phys(p); /* silent */
	return virt_to_phys(p); /* expect: vmalloc-virt-to-phys */
}
