// SPDX-License-Identifier: GPL-2.0
/* Shaped like fs/xfs/xfs_buf.c of Linux 5.7: vm_map_ram() with PAGE_KERNEL,
 * and a mapping with another prot (no 5.8 equivalent: reported, no fix). */
#include <linux/vmalloc.h>

struct xfs_buf {
	void *b_addr;
	struct page **b_pages;
	unsigned int b_page_count;
};

int _xfs_buf_map_pages(struct xfs_buf *bp)
{
	bp->b_addr = vm_map_ram(bp->b_pages, bp->b_page_count, /* expect: vmalloc-api-migration */
				-1);
	return bp->b_addr ? 0 : -1;
}

void *xfs_buf_map_uncached(struct xfs_buf *bp)
{
	return vm_map_ram(bp->b_pages, bp->b_page_count, -1, /* expect: vmalloc-api-migration */
			  pgprot_noncached(PAGE_KERNEL));
}
