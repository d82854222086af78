/*
 * AGPGART driver.
 * Copyright (C) 2004 Silicon Graphics, Inc.
 * Copyright (C) 2002-2005 Dave Jones.
 * Copyright (C) 1999 Jeff Hartmann.
 * Copyright (C) 1999 Precision Insight, Inc.
 * Copyright (C) 1999 Xi Graphics, Inc.
 *
 * vmalloc-lint corpus: trimmed model of drivers/char/agp/generic.c
 * (agp_alloc_page_array() before it became a plain kvmalloc()).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/export.h>

struct agp_memory {
	struct agp_memory *next;
	struct agp_memory *prev;
	struct page **pages;
	size_t page_count;
	int key;
	int num_scratch_pages;
	u32 physical;
	bool is_bound;
	bool is_flushed;
	u32 type;
};

/*
 * Use kmalloc if possible for the page list. Otherwise fall back to
 * vmalloc. This speeds things up and also saves memory for small AGP
 * regions.
 */
void agp_alloc_page_array(size_t size, struct agp_memory *mem)
{
	mem->pages = kvmalloc(size, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */ /* expect: vmalloc-redundant-highmem vmalloc-unsupported-gfp */
}
EXPORT_SYMBOL(agp_alloc_page_array);

void agp_free_page_array(struct agp_memory *mem)
{
	kvfree(mem->pages);
}
EXPORT_SYMBOL(agp_free_page_array);

struct agp_memory *agp_create_user_memory(unsigned long num_agp_pages)
{
	struct agp_memory *new;
	unsigned long alloc_size = num_agp_pages*sizeof(struct page *);

	if (INT_MAX/sizeof(struct page *) < num_agp_pages)
		return NULL;

	new = kzalloc(sizeof(struct agp_memory), GFP_KERNEL);
	if (new == NULL)
		return NULL;

	new->key = 0;
	agp_alloc_page_array(alloc_size, new);

	if (new->pages == NULL) {
		kfree(new);
		return NULL;
	}
	new->num_scratch_pages = 0;
	return new;
}
EXPORT_SYMBOL(agp_create_user_memory);
