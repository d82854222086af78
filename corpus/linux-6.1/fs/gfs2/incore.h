/* SPDX-License-Identifier: GPL-2.0-only */
/* Trimmed model of the real fs/gfs2/incore.h for the vmalloc-lint corpus. */
/*
 * Copyright (C) Sistina Software, Inc.  1997-2003 All rights reserved.
 * Copyright (C) 2004-2008 Red Hat, Inc.  All rights reserved.
 *
 * vmalloc-lint corpus: trimmed model of fs/gfs2/incore.h.
 */

#ifndef __INCORE_DOT_H__
#define __INCORE_DOT_H__

#include <linux/types.h>

struct buffer_head;

struct gfs2_sbd {
	unsigned int sd_quota_slots;
	unsigned int sd_qc_per_block;
	unsigned long *sd_quota_bitmap;
	unsigned int sd_hash_ptrs;
	unsigned int sd_hash_bsize;
};

struct gfs2_inode {
	struct gfs2_sbd *i_sbd;
	u64 i_no_addr;
	u32 i_depth;
	u64 *i_hash_cache;
	u64 i_size;
};

static inline struct gfs2_sbd *GFS2_SB(struct gfs2_inode *ip)
{
	return ip->i_sbd;
}

#endif /* __INCORE_DOT_H__ */
