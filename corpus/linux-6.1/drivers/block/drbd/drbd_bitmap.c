// SPDX-License-Identifier: GPL-2.0-or-later
/*
   drbd_bitmap.c

   This file is part of DRBD by Philipp Reisner and Lars Ellenberg.

   Copyright (C) 2004-2008, LINBIT Information Technologies GmbH.
   Copyright (C) 2004-2008, Philipp Reisner <philipp.reisner@linbit.com>.
   Copyright (C) 2004-2008, Lars Ellenberg <lars.ellenberg@linbit.com>.

   vmalloc-lint corpus: trimmed model of drivers/block/drbd/drbd_bitmap.c.
   Everything in this file is a negative: GFP_NOIO is supported by vmalloc.
 */

#define pr_fmt(fmt)	KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct drbd_bitmap {
	struct page **bm_pages;
	unsigned long bm_set;
	unsigned long bm_bits;
	size_t bm_words;
	size_t bm_number_of_pages;
	unsigned long *bm_scratch;
	unsigned int n_bitmap_hints;
};

static void bm_free_pages(struct page **pages, unsigned long number)
{
	unsigned long i;

	if (!pages)
		return;

	for (i = 0; i < number; i++) {
		if (!pages[i])
			continue;
		__free_page(pages[i]);
		pages[i] = NULL;
	}
}

static inline void bm_vk_free(void *ptr)
{
	kvfree(ptr);
}

/*
 * "have" and "want" are NUMBER OF PAGES.
 */
static struct page **bm_realloc_pages(struct drbd_bitmap *b, unsigned long want)
{
	struct page **old_pages = b->bm_pages;
	struct page **new_pages, *page;
	unsigned int i, bytes;
	unsigned long have = b->bm_number_of_pages;

	if (have == want)
		return old_pages;

	/* Trying kmalloc first, falling back to vmalloc.
	 * GFP_NOIO, as this is called while drbd IO is "suspended",
	 * and during resize or attach on diskless Primary,
	 * we must not block on IO to ourselves.
	 * Context is receiver thread or dmsetup. */
	bytes = sizeof(struct page *)*want;
	new_pages = kzalloc(bytes, GFP_NOIO | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!new_pages) {
		new_pages = __vmalloc(bytes, GFP_NOIO | __GFP_ZERO); /* silent */
		if (!new_pages)
			return NULL;
	}

	if (want >= have) {
		for (i = 0; i < have; i++)
			new_pages[i] = old_pages[i];
		for (; i < want; i++) {
			page = alloc_page(GFP_NOIO | __GFP_HIGHMEM);
			if (!page) {
				bm_free_pages(new_pages + have, i - have);
				bm_vk_free(new_pages); /* expect: vmalloc-open-coded-kvfree */
				return NULL;
			}
			new_pages[i] = page;
		}
	} else {
		for (i = 0; i < want; i++)
			new_pages[i] = old_pages[i];
	}

	return new_pages;
}

/* scratch words used while merging the peer's bitmap */
static int bm_alloc_scratch(struct drbd_bitmap *b)
{
	b->bm_scratch = __vmalloc(b->bm_words * sizeof(long), GFP_NOIO); /* silent */
	if (!b->bm_scratch)
		return -ENOMEM;
	return 0;
}

int drbd_bm_resize(struct drbd_bitmap *b, unsigned long want)
{
	struct page **npages;

	npages = bm_realloc_pages(b, want);
	if (!npages)
		return -ENOMEM;
	if (npages != b->bm_pages)
		bm_vk_free(b->bm_pages); /* expect: vmalloc-open-coded-kvfree */
	b->bm_pages = npages;
	b->bm_number_of_pages = want;
	return bm_alloc_scratch(b);
}
