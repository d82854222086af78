// SPDX-License-Identifier: GPL-2.0-only
/*
 * This file is part of UBIFS.
 *
 * Copyright (C) 2006-2008 Nokia Corporation.
 *
 * Authors: Adrian Hunter
 *          Artem Bityutskiy (Битюцкий Артём)
 *
 * vmalloc-lint corpus: trimmed model of the LPT debugging helpers in
 * fs/ubifs/lpt_commit.c, with the LEB-sized buffer allocation folded into a
 * function-like macro.
 */

/*
 * This file implements commit-related functionality of the LEB properties
 * subsystem.
 */

#include "ubifs.h"

/* LEB-sized scratch buffers are too big for kmalloc(). */
#define ubifs_alloc_leb_buf(c) __vmalloc((c)->leb_size, GFP_NOFS) /* expect: vmalloc-redundant-highmem */

static int dbg_is_all_ff(const u8 *buf, int len)
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
	int err, len = c->leb_size;
	void *buf;

	if (!dbg_is_chk_lprops(c))
		return 0;

	buf = ubifs_alloc_leb_buf(c);
	if (!buf) {
		ubifs_err(c, "cannot allocate memory for ltab checking");
		return 0;
	}

	dbg_lp("LEB %d", lnum);

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
 * dump_lpt_leb - dump an LPT LEB.
 * @c: UBIFS file-system description object
 * @lnum: LEB number to dump
 *
 * This function dumps an LEB from LPT area. Nodes in this area are very
 * different to nodes in the main area (e.g., they do not have common headers,
 * they do not have 8-byte alignments, etc), so we have a separate function to
 * dump LPT area LEBs. Note, LPT has to be locked by the caller.
 */
static void dump_lpt_leb(const struct ubifs_info *c, int lnum)
{
	int err;
	void *buf;

	pr_err("start dumping LEB %d\n", lnum);
	buf = ubifs_alloc_leb_buf(c);
	if (!buf) {
		ubifs_err(c, "cannot allocate memory to dump LPT");
		return;
	}

	err = ubifs_leb_read(c, lnum, buf, 0, c->leb_size, 1);
	if (err)
		goto out;

	pr_err("LEB %d is %s\n", lnum,
	       dbg_is_all_ff(buf, c->leb_size) ? "empty" : "in use");
out:
	pr_err("finished dumping LEB %d\n", lnum);
	vfree(buf);
}

/**
 * ubifs_dump_lpt_lebs - dump LPT lebs.
 * @c: UBIFS file-system description object
 *
 * This function dumps all LPT LEBs. The caller has to make sure the LPT is
 * locked.
 */
void ubifs_dump_lpt_lebs(const struct ubifs_info *c)
{
	int i;

	pr_err("(pid %d) start dumping all LPT LEBs\n", 0);
	for (i = 0; i < c->lpt_last - c->lpt_first + 1; i++)
		dump_lpt_leb(c, i + c->lpt_first);
	pr_err("(pid %d) finish dumping all LPT LEBs\n", 0);
}

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
