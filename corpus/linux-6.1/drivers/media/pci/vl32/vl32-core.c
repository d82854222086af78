// SPDX-License-Identifier: GPL-2.0
/*
 * vl32: a capture card whose DMA engine addresses 32 bits. It fetches the
 * frame buffer page by page from a RISC program of page addresses.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-dma32-device. The page addresses of
 * vmalloc() memory may lie above 4 GiB; vmalloc_32() memory does not.
 */
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define VL32_RISC_BASE	0x10
#define VL32_FB_PAGE	0x14

struct vl32_dev {
	struct device *dev;
	void __iomem *regs;
	u32 *risc;
};

int vl32_probe(struct vl32_dev *vd)
{
	return dma_set_mask_and_coherent(vd->dev, DMA_BIT_MASK(32));
}

void vl32_program(struct vl32_dev *vd, unsigned long size)
{
	void *fb = vmalloc(size);
	void *fb32 = vmalloc_32(size);
	unsigned long off;
	unsigned int i = 0;

	for (off = 0; off < size; off += PAGE_SIZE) {
		writel(vmalloc_to_pfn(fb + off), vd->regs + VL32_FB_PAGE); /* expect: vmalloc-dma32-device */
		writel(vmalloc_to_pfn(fb32 + off), vd->regs + VL32_FB_PAGE);
		vd->risc[i++] = lower_32_bits(page_to_phys(vmalloc_to_page(fb + off))); /* expect: vmalloc-dma32-device */
		vd->risc[i++] = lower_32_bits(page_to_phys(vmalloc_to_page(fb32 + off)));
	}
	lo_hi_writeq(page_to_phys(vmalloc_to_page(fb)), vd->regs + VL32_RISC_BASE); /* expect: vmalloc-dma32-device */
}

/* A kvmalloc() buffer may be vmalloc memory: "may". */
void vl32_program_kv(struct vl32_dev *vd, unsigned long size)
{
	void *fb = kvmalloc(size, GFP_KERNEL);
	u64 pfn = page_to_pfn(vmalloc_to_page(fb));

	writel(pfn, vd->regs + VL32_FB_PAGE); /* expect: vmalloc-dma32-device */
}
