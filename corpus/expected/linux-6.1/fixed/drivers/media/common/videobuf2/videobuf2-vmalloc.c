/*
 * videobuf2-vmalloc.c - vmalloc memory allocator for videobuf2
 *
 * Copyright (C) 2010 Samsung Electronics
 *
 * Author: Pawel Osciak <pawel@osciak.com>
 *
 * This program is free software; you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation.
 *
 * vmalloc-lint corpus: trimmed model of
 * drivers/media/common/videobuf2/videobuf2-vmalloc.c with kernel-only
 * buffer variants that spell the gfp mask with GFP_HIGHUSER*.
 */

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vb2_vmalloc_buf {
	void				*vaddr;
	struct page			**pages;
	unsigned int			n_pages;
	int				dma_dir;
	unsigned long			size;
	atomic_t			refcount;
};

static void *vb2_vmalloc_alloc(unsigned long size)
{
	struct vb2_vmalloc_buf *buf;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);

	buf->size = size;
	buf->vaddr = vmalloc_user(buf->size); /* silent */
	if (!buf->vaddr) {
		pr_debug("vmalloc of size %ld failed\n", buf->size);
		kfree(buf);
		return ERR_PTR(-ENOMEM);
	}

	return buf;
}

/* Buffers that are only touched by the CPU (never mmap()ed). */
static void *vb2_vmalloc_alloc_kernel(unsigned long size)
{
	struct vb2_vmalloc_buf *buf;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);

	buf->size = size;
	buf->vaddr = __vmalloc(buf->size, GFP_USER | __GFP_ZERO); /* expect: vmalloc-redundant-highmem */
	if (!buf->vaddr) {
		pr_debug("vmalloc of size %ld failed\n", buf->size);
		kfree(buf);
		return ERR_PTR(-ENOMEM);
	}

	return buf;
}

/* Scratch frames used by the software scaler. */
static void *vb2_vmalloc_alloc_scratch(unsigned long size)
{
	return __vmalloc(size, GFP_HIGHUSER_MOVABLE | __GFP_NOWARN); /* expect: vmalloc-redundant-highmem */
}

/*
 * Page-backed variant: highmem pages are fine for the page allocator,
 * vmap() maps them.
 */
static void *vb2_vmalloc_alloc_pages(unsigned long size)
{
	struct vb2_vmalloc_buf *buf;
	unsigned int i;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);

	buf->size = size;
	buf->n_pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	buf->pages = kvcalloc(buf->n_pages, sizeof(struct page *), GFP_KERNEL);
	if (!buf->pages)
		goto fail_pages_array_alloc;

	for (i = 0; i < buf->n_pages; i++) {
		buf->pages[i] = alloc_pages(GFP_HIGHUSER, 0); /* silent: page allocator */
		if (!buf->pages[i])
			goto fail_pages_alloc;
	}

	buf->vaddr = vmap(buf->pages, buf->n_pages, VM_MAP, PAGE_KERNEL);
	if (!buf->vaddr)
		goto fail_pages_alloc;

	return buf;

fail_pages_alloc:
	while (i > 0)
		__free_page(buf->pages[--i]);
	kvfree(buf->pages);
fail_pages_array_alloc:
	kfree(buf);
	return ERR_PTR(-ENOMEM);
}

void *vb2_vmalloc_get(unsigned long size, int kind)
{
	switch (kind) {
	case 0:
		return vb2_vmalloc_alloc(size);
	case 1:
		return vb2_vmalloc_alloc_kernel(size);
	case 2:
		return vb2_vmalloc_alloc_scratch(size);
	default:
		return vb2_vmalloc_alloc_pages(size);
	}
}

void vb2_vmalloc_put(void *buf_priv)
{
	struct vb2_vmalloc_buf *buf = buf_priv;

	vfree(buf->vaddr);
	kfree(buf);
}
