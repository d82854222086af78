/* Trimmed model of the real fs/ubifs/ubifs.h for the vmalloc-lint corpus. */
/*
 * This file is part of UBIFS.
 *
 * Copyright (C) 2006-2008 Nokia Corporation
 *
 * Authors: Artem Bityutskiy (Битюцкий Артём)
 *          Adrian Hunter
 *
 * vmalloc-lint corpus: trimmed model of fs/ubifs/ubifs.h.
 */

#ifndef __UBIFS_H__
#define __UBIFS_H__

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

struct ubifs_info {
	int leb_size;
	int lpt_first;
	int lpt_last;
	int check_lprops;
	int vi_ubi_num;
	int vi_vol_id;
};

#define ubifs_err(c, fmt, ...)						\
	pr_err("UBIFS error (ubi%d:%d): " fmt "\n",			\
	       (c)->vi_ubi_num, (c)->vi_vol_id, ##__VA_ARGS__)

static inline int dbg_is_chk_lprops(const struct ubifs_info *c)
{
	return c->check_lprops;
}

int ubifs_leb_read(const struct ubifs_info *c, int lnum, void *buf, int offs,
		   int len, int even_ebadmsg);

#endif /* !__UBIFS_H__ */
