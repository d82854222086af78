// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2018 Red Hat. All rights reserved.
 *
 * This file is released under the GPL.
 *
 * vmalloc-lint corpus: trimmed model of the metadata allocation in
 * drivers/md/dm-writecache.c, with the gfp masks spelled as file-local
 * object-like macros.
 */

#define DM_MSG_PREFIX "writecache"

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

/* The entry array and the dirty bitmap only ever come from vmalloc. */
#define WC_ENTRIES_GFP	(GFP_KERNEL | __GFP_HIGHMEM | __GFP_NOWARN) /* expect: vmalloc-redundant-highmem */

/* Used for the page-backed memory map and for its vmalloc fallback. */
#define WC_MEMORY_GFP	(GFP_KERNEL | __GFP_HIGHMEM) /* expect: vmalloc-redundant-highmem */

struct wc_entry {
	struct wc_entry *lru_next;
	unsigned long index;
	u64 original_sector;
	u64 seq_count;
};

struct dm_writecache {
	struct mutex *lock;
	size_t n_blocks;
	struct wc_entry *entries;
	unsigned long *dirty_bitmap;
	size_t dirty_bitmap_size;
	void *memory_map;
	size_t memory_map_size;
	struct page **memory_pages;
	unsigned int n_memory_pages;
	bool memory_vmapped;
};

static int writecache_alloc_entries(struct dm_writecache *wc)
{
	size_t b;

	if (wc->entries)
		return 0;
	wc->entries = __vmalloc_array(wc->n_blocks, sizeof(struct wc_entry),
				      WC_ENTRIES_GFP);
	if (!wc->entries)
		return -ENOMEM;
	for (b = 0; b < wc->n_blocks; b++) {
		struct wc_entry *e = &wc->entries[b];

		e->index = b;
		e->lru_next = NULL;
	}

	return 0;
}

static int writecache_alloc_dirty_bitmap(struct dm_writecache *wc)
{
	wc->dirty_bitmap = __vmalloc(wc->dirty_bitmap_size, WC_ENTRIES_GFP);
	if (!wc->dirty_bitmap)
		return -ENOMEM;
	memset(wc->dirty_bitmap, 0, wc->dirty_bitmap_size);
	return 0;
}

static int persistent_memory_claim(struct dm_writecache *wc)
{
	unsigned int i, p;
	struct page **pages;

	p = wc->memory_map_size >> PAGE_SHIFT;
	pages = kvmalloc_array(p, sizeof(struct page *), GFP_KERNEL);
	if (!pages)
		goto fallback;

	for (i = 0; i < p; i++) {
		pages[i] = alloc_page(WC_MEMORY_GFP);
		if (!pages[i])
			goto free_pages;
	}

	wc->memory_map = vmap(pages, p, VM_MAP, PAGE_KERNEL);
	if (!wc->memory_map)
		goto free_pages;
	wc->memory_pages = pages;
	wc->n_memory_pages = p;
	wc->memory_vmapped = true;
	return 0;

free_pages:
	while (i > 0)
		__free_page(pages[--i]);
	kvfree(pages);
fallback:
	wc->memory_map = __vmalloc(wc->memory_map_size, WC_MEMORY_GFP);
	if (!wc->memory_map)
		return -ENOMEM;
	wc->memory_vmapped = false;
	return 0;
}

int writecache_ctr_alloc(struct dm_writecache *wc)
{
	int r;

	r = persistent_memory_claim(wc);
	if (r)
		return r;
	r = writecache_alloc_entries(wc);
	if (r)
		return r;
	return writecache_alloc_dirty_bitmap(wc);
}

void writecache_dtr_free(struct dm_writecache *wc)
{
	unsigned int i;

	vfree(wc->entries);
	vfree(wc->dirty_bitmap);
	if (wc->memory_vmapped) {
		vunmap(wc->memory_map);
		for (i = 0; i < wc->n_memory_pages; i++)
			__free_page(wc->memory_pages[i]);
		kvfree(wc->memory_pages);
	} else {
		vfree(wc->memory_map);
	}
}
