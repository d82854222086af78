// SPDX-License-Identifier: GPL-2.0
/*
 * vl64: the 64-bit successor of vl32. It sets a 64-bit DMA mask, so the
 * page addresses of vmalloc() memory are fine for it.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-dma32-device must stay silent here.
 */
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/vmalloc.h>

#define VL64_FB_PAGE	0x18

struct vl64_dev {
	struct device *dev;
	void __iomem *regs;
	u64 *risc;
};

int vl64_probe(struct vl64_dev *vd)
{
	return dma_set_mask_and_coherent(vd->dev, DMA_BIT_MASK(64));
}

void vl64_program(struct vl64_dev *vd, unsigned long size)
{
	void *fb = vmalloc(size);
	unsigned long off;
	unsigned int i = 0;

	for (off = 0; off < size; off += PAGE_SIZE) {
		lo_hi_writeq(page_to_phys(vmalloc_to_page(fb + off)), vd->regs + VL64_FB_PAGE);
		vd->risc[i++] = page_to_phys(vmalloc_to_page(fb + off));
	}
}
