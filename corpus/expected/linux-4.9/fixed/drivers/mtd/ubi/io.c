/*
 * Copyright (c) International Business Machines Corp., 2006
 * Copyright (c) Nokia Corporation, 2006, 2007
 *
 * This program is free software; you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation; either version 2 of the License, or
 * (at your option) any later version.
 *
 * Author: Artem Bityutskiy (Битюцкий Артём)
 *
 * vmalloc-lint corpus: trimmed model of the self-check buffers in Linux 4.9
 * drivers/mtd/ubi/io.c, allocated through a static gfp wrapper.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct ubi_device {
	int ubi_num;
	int peb_size;
	int dbg_chk_io;
};

#define ubi_err(ubi, fmt, ...) \
	pr_err("UBI error: ubi%d: " fmt "\n", (ubi)->ubi_num, ##__VA_ARGS__)

extern int ubi_io_read(const struct ubi_device *ubi, void *buf, int pnum,
		       int offset, int len);

/* The self-check buffers are PEB-sized, far too big for kmalloc(). */
static void *ubi_self_check_alloc(int len, gfp_t gfp)
{
	return __vmalloc(len, gfp, PAGE_KERNEL);
}

/**
 * self_check_write - make sure write succeeded.
 * @ubi: UBI device description object
 * @buf: buffer with data which were written
 * @pnum: physical eraseblock number the data were written to
 * @offset: offset within the physical eraseblock the data were written to
 * @len: how many bytes were written
 *
 * This functions reads data which were recently written and compares it with
 * the original data buffer - the data have to match. Returns zero if the data
 * match and a negative error code if not or in case of failure.
 */
static int self_check_write(struct ubi_device *ubi, const void *buf, int pnum,
			    int offset, int len)
{
	int err;
	void *buf1;

	if (!ubi->dbg_chk_io)
		return 0;

	buf1 = ubi_self_check_alloc(len, GFP_NOFS | __GFP_HIGHMEM); /* expect: vmalloc-lowmem-gfp */
	if (!buf1) {
		ubi_err(ubi, "cannot allocate memory to check writes");
		return 0;
	}

	err = ubi_io_read(ubi, buf1, pnum, offset, len);
	if (err)
		goto out_free;

	if (memcmp(buf, buf1, len)) {
		ubi_err(ubi, "self-check failed for PEB %d:%d, len %d",
			pnum, offset, len);
		err = -EINVAL;
	}

out_free:
	vfree(buf1);
	return err;
}

/**
 * ubi_self_check_all_ff - check that a region of flash is empty.
 * @ubi: UBI device description object
 * @pnum: the physical eraseblock number to check
 * @offset: the starting offset within the physical eraseblock to check
 * @len: the length of the region to check
 *
 * This function returns zero if only 0xFF bytes are present at offset
 * @offset of the physical eraseblock @pnum, and a negative error code if not
 * or if an error occurred.
 */
int ubi_self_check_all_ff(struct ubi_device *ubi, int pnum, int offset, int len)
{
	int err, i;
	unsigned char *buf;

	if (!ubi->dbg_chk_io)
		return 0;

	buf = ubi_self_check_alloc(len, GFP_NOFS | __GFP_HIGHMEM); /* silent */
	if (!buf) {
		ubi_err(ubi, "cannot allocate memory to check for 0xFFs");
		return 0;
	}

	err = ubi_io_read(ubi, buf, pnum, offset, len);
	if (err)
		goto error;

	for (i = 0; i < len; i++)
		if (buf[i] != 0xFF) {
			ubi_err(ubi, "flash region at PEB %d:%d, length %d does not contain all 0xFF bytes",
				pnum, offset, len);
			err = -EINVAL;
			break;
		}

error:
	vfree(buf);
	return err;
}

int ubi_io_write_checked(struct ubi_device *ubi, const void *buf, int pnum,
			 int offset, int len)
{
	return self_check_write(ubi, buf, pnum, offset, len);
}
