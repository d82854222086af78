/*
 * Copyright (C) Sistina Software, Inc.  1997-2003 All rights reserved.
 * Copyright (C) 2004-2006 Red Hat, Inc.  All rights reserved.
 *
 * This copyrighted material is made available to anyone wishing to use,
 * modify, copy, or redistribute it subject to the terms and conditions
 * of the GNU General Public License version 2.
 *
 * vmalloc-lint corpus: trimmed model of the hash table and sort buffer
 * allocations in Linux 4.9 fs/gfs2/dir.c.
 */

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "incore.h"

extern int gfs2_dir_read_data(struct gfs2_inode *ip, u64 *buf, unsigned int size);

/**
 * gfs2_dir_get_hash_table - Get pointer to the dir hash table
 * @ip: The inode in question
 *
 * Returns: The hash table or an error
 */
static u64 *gfs2_dir_get_hash_table(struct gfs2_inode *ip)
{
	u64 *hc;
	unsigned int hsize;
	int ret;

	hc = ip->i_hash_cache;
	if (hc)
		return hc;

	hsize = 1U << ip->i_depth;
	hsize *= sizeof(u64);

	hc = kmalloc(hsize, GFP_NOFS | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (hc == NULL)
		hc = __vmalloc(hsize, GFP_NOFS | __GFP_HIGHMEM, PAGE_KERNEL); /* expect: vmalloc-lowmem-gfp */

	if (hc == NULL)
		return ERR_PTR(-ENOMEM);

	ret = gfs2_dir_read_data(ip, hc, hsize);
	if (ret < 0) {
		kvfree(hc);
		return ERR_PTR(ret);
	}

	ip->i_hash_cache = hc;
	return hc;
}

static void *gfs2_alloc_sort_buffer(unsigned size)
{
	void *ptr = NULL;

	if (size < KMALLOC_MAX_SIZE)
		ptr = kmalloc(size, GFP_NOFS | __GFP_NOWARN);
	if (!ptr)
		ptr = __vmalloc(size, GFP_NOFS | __GFP_HIGHMEM, PAGE_KERNEL); /* silent: correct before 4.12 */
	return ptr;
}

int gfs2_dir_read_sorted(struct gfs2_inode *dip, unsigned int entries)
{
	u64 *lp;
	void **darr;

	lp = gfs2_dir_get_hash_table(dip);
	if (IS_ERR(lp))
		return PTR_ERR(lp);

	darr = gfs2_alloc_sort_buffer(entries * sizeof(void *) * 2);
	if (!darr)
		return -ENOMEM;
	kvfree(darr);
	return 0;
}
