/*
 * This file is part of UBIFS.
 *
 * Copyright (C) 2006-2008 Nokia Corporation.
 *
 * This program is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License version 2 as published by
 * the Free Software Foundation.
 *
 * Authors: Adrian Hunter
 *          Artem Bityutskiy (Битюцкий Артём)
 *
 * vmalloc-lint corpus: trimmed model of dbg_check_ltab_lnum() from
 * Linux 4.9 fs/ubifs/lpt_commit.c, with the gfp mask kept in a local
 * variable.
 */

#include "ubifs.h"

static int dbg_is_all_ff(const unsigned char *buf, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (buf[i] != 0xff)
			return 0;
	return 1;
}

/**
 * dbg_check_ltab_lnum - check the ltab for a LPT LEB number.
 * @c: the UBIFS file-system description object
 * @lnum: LEB number where node was written
 *
 * This function returns %0 on success and a negative error code on failure.
 */
static int dbg_check_ltab_lnum(struct ubifs_info *c, int lnum)
{
	gfp_t gfp_mask = GFP_NOFS;
	int err, len = c->leb_size;
	void *buf;

	if (!dbg_is_chk_lprops(c))
		return 0;

	buf = __vmalloc(c->leb_size, gfp_mask, PAGE_KERNEL); /* expect: vmalloc-lowmem-gfp */
	if (!buf) {
		ubifs_err(c, "cannot allocate memory for ltab checking");
		return 0;
	}

	err = ubifs_leb_read(c, lnum, buf, 0, c->leb_size, 1);
	if (err)
		goto out;

	if (!dbg_is_all_ff(buf, len)) {
		ubifs_err(c, "invalid empty space in LEB %d at %d",
			  lnum, c->leb_size - len);
		err = -EINVAL;
	}
out:
	vfree(buf);
	return err;
}

/**
 * dbg_check_ltab - check the free and dirty space in the ltab.
 * @c: the UBIFS file-system description object
 *
 * This function returns %0 on success and a negative error code on failure.
 */
int dbg_check_ltab(struct ubifs_info *c)
{
	int lnum, err;

	for (lnum = c->lpt_first; lnum <= c->lpt_last; lnum++) {
		err = dbg_check_ltab_lnum(c, lnum);
		if (err) {
			ubifs_err(c, "failed at LEB %d", lnum);
			return err;
		}
	}
	return 0;
}
