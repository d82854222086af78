// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) Sistina Software, Inc.  1997-2003 All rights reserved.
 * Copyright (C) 2004-2007 Red Hat, Inc.  All rights reserved.
 *
 * vmalloc-lint corpus: trimmed model of gfs2_quota_init() from
 * fs/gfs2/quota.c.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "incore.h"

extern int gfs2_quota_read_changes(struct gfs2_sbd *sdp, unsigned int blocks);

int gfs2_quota_init(struct gfs2_sbd *sdp, unsigned int blocks)
{
	unsigned int bm_size;
	int error;

	sdp->sd_quota_slots = blocks * sdp->sd_qc_per_block;
	bm_size = DIV_ROUND_UP(sdp->sd_quota_slots, 8 * sizeof(unsigned long));
	bm_size *= sizeof(unsigned long);
	error = -ENOMEM;
	sdp->sd_quota_bitmap = kvzalloc(bm_size, GFP_NOFS); /* expect: vmalloc-open-coded-kvmalloc */ /* expect: vmalloc-redundant-highmem */
	if (!sdp->sd_quota_bitmap)
		return error;

	error = gfs2_quota_read_changes(sdp, blocks);
	if (error)
		goto fail;

	return 0;

fail:
	kvfree(sdp->sd_quota_bitmap);
	sdp->sd_quota_bitmap = NULL;
	return error;
}

void gfs2_quota_cleanup(struct gfs2_sbd *sdp)
{
	kvfree(sdp->sd_quota_bitmap);
	sdp->sd_quota_bitmap = NULL;
}
