// SPDX-License-Identifier: GPL-2.0-only
/*
 * helper functions for SG DMA video4linux capture buffers
 *
 * (c) 2007 Mauro Carvalho Chehab, <mchehab@kernel.org>
 *
 * vmalloc-lint corpus: trimmed model of drivers/media/v4l2-core/videobuf-dma-sg.c.
 * Drivers that need 32-bit addressable vmalloc memory must use vmalloc_32();
 * zone modifiers passed to __vmalloc() are findings.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define dprintk(level, fmt, arg...)					\
	do {								\
		if (debug >= level)					\
			printk(KERN_DEBUG "vbuf-sg: " fmt , ## arg);	\
	} while (0)

static int debug;

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

struct videobuf_dmabuf {
	u32                 magic;

	/* for userland buffer */
	int                 offset;
	size_t		    size;
	struct page         **pages;

	/* for kernel buffers */
	void                *vaddr;
	struct page         **vaddr_pages;
	u64                 *dma_addr;
	void                *dev;

	/* common */
	int                 nr_pages;
	int                 direction;
};

static int videobuf_dma_init_kernel(struct videobuf_dmabuf *dma, int direction,
				    unsigned long nr_pages)
{
	dprintk(1, "init kernel [%lu pages]\n", nr_pages);

	dma->direction = direction;
	dma->vaddr_pages = kcalloc(nr_pages, sizeof(*dma->vaddr_pages),
				   GFP_KERNEL);
	if (!dma->vaddr_pages)
		return -ENOMEM;

	/* The capture engine can only address the first 4GiB. */
	dma->vaddr = __vmalloc(nr_pages << PAGE_SHIFT, GFP_KERNEL | GFP_DMA32); /* expect: vmalloc-zone-gfp */
	if (NULL == dma->vaddr) {
		dprintk(1, "vmalloc_32(%lu pages) failed\n", nr_pages);
		kfree(dma->vaddr_pages);
		dma->vaddr_pages = NULL;
		return -ENOMEM;
	}

	dma->nr_pages = nr_pages;

	return 0;
}

/* Old ISA-style bridges: below 16MiB. */
static void *videobuf_isa_alloc(unsigned long size)
{
	return __vmalloc(size, GFP_DMA | GFP_KERNEL); /* expect: vmalloc-zone-gfp */
}

/*
 * Overlay scratch buffer. The __GFP_HIGHMEM | __GFP_DMA32 mix is one of the
 * combinations GFP_ZONE_BAD rejects.
 */
static void *videobuf_overlay_alloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_HIGHMEM | __GFP_DMA32); /* expect: vmalloc-redundant-highmem vmalloc-zone-gfp */
}

/* The correct way to ask for 32-bit addressable vmalloc memory. */
static void *videobuf_vmalloc_32(unsigned long size)
{
	return vmalloc_32(size); /* silent */
}

/* ... and for buffers that are also mmap()ed by user space. */
void *videobuf_vmalloc_32_user(unsigned long size)
{
	return vmalloc_32_user(size); /* silent */
}

int videobuf_dma_init(struct videobuf_dmabuf *dma, int direction,
		      unsigned long nr_pages, bool isa, bool overlay)
{
	if (isa) {
		dma->vaddr = videobuf_isa_alloc(nr_pages << PAGE_SHIFT);
		return dma->vaddr ? 0 : -ENOMEM;
	}
	if (overlay) {
		dma->vaddr = videobuf_overlay_alloc(nr_pages << PAGE_SHIFT);
		return dma->vaddr ? 0 : -ENOMEM;
	}
	if (direction == DMA_NONE) {
		dma->vaddr = videobuf_vmalloc_32(nr_pages << PAGE_SHIFT);
		return dma->vaddr ? 0 : -ENOMEM;
	}
	return videobuf_dma_init_kernel(dma, direction, nr_pages);
}

int videobuf_dma_free(struct videobuf_dmabuf *dma)
{
	if (dma->vaddr) {
		vfree(dma->vaddr);
		dma->vaddr = NULL;
	}
	kfree(dma->vaddr_pages);
	dma->vaddr_pages = NULL;
	dma->direction = DMA_NONE;

	return 0;
}
