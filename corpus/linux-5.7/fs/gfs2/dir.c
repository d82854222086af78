// SPDX-License-Identifier: GPL-2.0-only
/* Shaped like fs/gfs2/dir.c of Linux 5.7: __vmalloc() with PAGE_KERNEL. */
#include <linux/slab.h>
#include <linux/vmalloc.h>

static void *gfs2_dir_get_hash_table(unsigned int hsize)
{
	void *hc;

	hc = kmalloc(hsize, GFP_NOFS | __GFP_NOWARN);
	if (hc == NULL)
		hc = __vmalloc(hsize, GFP_NOFS, PAGE_KERNEL); /* expect: vmalloc-api-migration */
	return hc;
}

static void *gfs2_alloc_sort_buffer(unsigned int size)
{
	void *ptr = NULL;

	if (size < 4096)
		ptr = kmalloc(size, GFP_NOFS | __GFP_NOWARN);
	if (!ptr)
		ptr = __vmalloc(size, GFP_NOFS | __GFP_NOWARN | __GFP_ZERO, /* expect: vmalloc-api-migration */
				PAGE_KERNEL);
	return ptr;
}

/* The prot in parentheses is still PAGE_KERNEL. */
static void *gfs2_alloc_ht(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL, (PAGE_KERNEL)); /* expect: vmalloc-api-migration */
}

/* silent: the 5.8 API already (another allocator). */
static void *gfs2_plain(unsigned long size)
{
	return vmalloc(size);
}

void *gfs2_dir_users(unsigned int n)
{
	void *a = gfs2_dir_get_hash_table(n);
	void *b = gfs2_alloc_sort_buffer(n);
	void *c = gfs2_alloc_ht(n);

	return a ? a : b ? b : c ? c : gfs2_plain(n);
}
