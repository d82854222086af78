// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) Sistina Software, Inc.  1997-2003 All rights reserved.
 * Copyright (C) 2004-2006 Red Hat, Inc.  All rights reserved.
 *
 * vmalloc-lint corpus: trimmed model of the hash table and sort buffer
 * allocations in fs/gfs2/dir.c.
 */

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "incore.h"

extern int gfs2_dir_read_data(struct gfs2_inode *ip, u64 *buf, unsigned int size);
extern int leaf_dealloc(struct gfs2_inode *dip, u32 index, u32 len, u64 leaf_no,
			u64 *ht);

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
		hc = __vmalloc(hsize, GFP_NOFS); /* silent */

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
		ptr = __vmalloc(size, GFP_NOFS | __GFP_ZERO); /* silent */
	return ptr;
}

/**
 * gfs2_dir_exhash_dealloc - free all the leaf blocks in a directory
 * @dip: the directory
 *
 * Dealloc all on-disk directory leaves to FREEMETA state
 * Change on-disk inode type to "regular file"
 *
 * Returns: errno
 */
int gfs2_dir_exhash_dealloc(struct gfs2_inode *dip)
{
	u64 *lp;
	u32 index = 0, len;
	u64 leaf_no;
	int error = 0;
	u64 *ht;
	unsigned int hsize = 1U << dip->i_depth;
	size_t size = hsize * sizeof(u64);

	lp = gfs2_dir_get_hash_table(dip);
	if (IS_ERR(lp))
		return PTR_ERR(lp);

	ht = kzalloc(size, GFP_NOFS | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (ht == NULL)
		ht = __vmalloc(size, GFP_NOFS | __GFP_NOWARN | __GFP_ZERO
			       | __GFP_HIGHMEM); /* expect: vmalloc-redundant-highmem */
	if (!ht)
		return -ENOMEM;

	while (index < hsize) {
		leaf_no = lp[index];
		if (leaf_no) {
			len = 1;
			error = leaf_dealloc(dip, index, len, leaf_no, ht);
			if (error)
				goto out;
		}

		index += len ? len : 1;
	}

	if (index != hsize)
		error = -EIO;

out:
	kvfree(ht);
	return error;
}

int gfs2_dir_read_sorted(struct gfs2_inode *dip, unsigned int entries)
{
	void **darr;

	darr = gfs2_alloc_sort_buffer(entries * sizeof(void *) * 2);
	if (!darr)
		return -ENOMEM;
	kvfree(darr);
	return 0;
}
