/*
 * helper functions for SG DMA video4linux capture buffers
 *
 * The functions expect the hardware being able to scatter gather
 * (i.e. the buffers are not linear in physical memory, but fragmented
 * into PAGE_SIZE chunks).  They also assume the driver does not need
 * to touch the video data.
 *
 * (c) 2007 Mauro Carvalho Chehab, <mchehab@infradead.org>
 *
 * vmalloc-lint corpus: trimmed model of Linux 4.9
 * drivers/media/v4l2-core/videobuf-dma-sg.c. A zone modifier passed to
 * __vmalloc() is a finding (vmalloc_32() is the interface for that).
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define dprintk(level, fmt, arg...)					\
	do {								\
		if (debug >= level)					\
			printk(KERN_DEBUG "vbuf-sg: " fmt , ## arg);	\
	} while (0)

static int debug;

struct videobuf_dmabuf {
	u32                 magic;

	/* for userland buffer */
	int                 offset;
	size_t		    size;
	struct page         **pages;

	/* for kernel buffers */
	void                *vaddr;

	/* common */
	int                 nr_pages;
	int                 direction;
};

static int videobuf_dma_init_kernel(struct videobuf_dmabuf *dma, int direction,
				    int nr_pages)
{
	dprintk(1, "init kernel [%d pages]\n", nr_pages);

	dma->direction = direction;

	/* The capture engine can only address the first 4GiB. */
	dma->vaddr = __vmalloc(nr_pages << PAGE_SHIFT, GFP_KERNEL | GFP_DMA32, PAGE_KERNEL); /* expect: vmalloc-zone-gfp */
	if (NULL == dma->vaddr) {
		dprintk(1, "vmalloc_32(%d pages) failed\n", nr_pages);
		return -ENOMEM;
	}

	dma->nr_pages = nr_pages;

	return 0;
}

static int videobuf_dma_init_kernel_32(struct videobuf_dmabuf *dma, int direction,
				       int nr_pages)
{
	dma->direction = direction;
	dma->vaddr = vmalloc_32(nr_pages << PAGE_SHIFT); /* silent */
	if (NULL == dma->vaddr) {
		dprintk(1, "vmalloc_32(%d pages) failed\n", nr_pages);
		return -ENOMEM;
	}

	dma->nr_pages = nr_pages;

	return 0;
}

int videobuf_dma_init(struct videobuf_dmabuf *dma, int direction, int nr_pages,
		      bool legacy)
{
	if (legacy)
		return videobuf_dma_init_kernel(dma, direction, nr_pages);
	return videobuf_dma_init_kernel_32(dma, direction, nr_pages);
}

int videobuf_dma_free(struct videobuf_dmabuf *dma)
{
	vfree(dma->vaddr);
	dma->vaddr = NULL;
	return 0;
}
