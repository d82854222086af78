/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/**************************************************************************
 *
 * Copyright (c) 2006-2009 VMware, Inc., Palo Alto, CA., USA
 * All Rights Reserved.
 *
 * vmalloc-lint corpus: trimmed model of drivers/gpu/drm/ttm/ttm_tt.c.
 *
 **************************************************************************/

#define pr_fmt(fmt) "[TTM] " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#define TTM_TT_FLAG_SWAPPED		(1 << 0)
#define TTM_TT_FLAG_ZERO_ALLOC		(1 << 1)
#define TTM_TT_FLAG_EXTERNAL		(1 << 2)
#define TTM_TT_FLAG_DMA32		(1 << 4)

typedef u64 dma_addr_t;

struct ttm_tt {
	struct page **pages;
	u32 page_flags;
	u32 num_pages;
	dma_addr_t *dma_address;
};

/*
 * Allocates storage for pointers to the pages that back the ttm.
 */
static int ttm_tt_alloc_page_directory(struct ttm_tt *ttm)
{
	ttm->pages = kvcalloc(ttm->num_pages, sizeof(void*), GFP_KERNEL); /* silent */
	if (!ttm->pages)
		return -ENOMEM;

	return 0;
}

static int ttm_dma_tt_alloc_page_directory(struct ttm_tt *ttm)
{
	ttm->pages = kvcalloc(ttm->num_pages, sizeof(*ttm->pages) +
			      sizeof(*ttm->dma_address), GFP_KERNEL);
	if (!ttm->pages)
		return -ENOMEM;

	ttm->dma_address = (void *)(ttm->pages + ttm->num_pages);
	return 0;
}

/*
 * Devices limited to 32-bit DMA keep the DMA address array below 4GiB as
 * well; kvcalloc() must not be asked for a zone, the pages are what matter.
 */
static int ttm_sg_tt_alloc_page_directory(struct ttm_tt *ttm)
{
	if (ttm->page_flags & TTM_TT_FLAG_DMA32)
		ttm->dma_address = kvcalloc(ttm->num_pages, sizeof(*ttm->dma_address),
					    GFP_KERNEL | __GFP_DMA32); /* expect: vmalloc-kvmalloc-highmem */
	else
		ttm->dma_address = kvcalloc(ttm->num_pages, sizeof(*ttm->dma_address),
					    GFP_KERNEL);
	if (!ttm->dma_address)
		return -ENOMEM;

	return 0;
}

int ttm_tt_init(struct ttm_tt *ttm, u32 num_pages, u32 page_flags)
{
	ttm->num_pages = num_pages;
	ttm->page_flags = page_flags;
	ttm->dma_address = NULL;

	if (ttm_tt_alloc_page_directory(ttm)) {
		pr_err("Failed allocating page table\n");
		return -ENOMEM;
	}
	return 0;
}

int ttm_dma_tt_init(struct ttm_tt *ttm, u32 num_pages, u32 page_flags)
{
	ttm->num_pages = num_pages;
	ttm->page_flags = page_flags;

	if (ttm_dma_tt_alloc_page_directory(ttm)) {
		pr_err("Failed allocating page table\n");
		return -ENOMEM;
	}
	return 0;
}

int ttm_sg_tt_init(struct ttm_tt *ttm, u32 num_pages, u32 page_flags)
{
	ttm->num_pages = num_pages;
	ttm->page_flags = page_flags;
	ttm->pages = NULL;

	if (ttm_sg_tt_alloc_page_directory(ttm)) {
		pr_err("Failed allocating page table\n");
		return -ENOMEM;
	}
	return 0;
}

void ttm_tt_fini(struct ttm_tt *ttm)
{
	kvfree(ttm->pages);
	kvfree(ttm->dma_address);
	ttm->pages = NULL;
	ttm->dma_address = NULL;
}
