/*
 * Compressed RAM block device
 *
 * Copyright (C) 2008, 2009, 2010  Nitin Gupta
 *               2012, 2013 Minchan Kim
 *
 * This code is released using a dual license strategy: BSD/GPL
 * You can choose the licence that better fits your requirements.
 *
 * Released under the terms of 3-clause BSD License
 * Released under the terms of GNU General Public License Version 2.0
 *
 * vmalloc-lint corpus: trimmed model of drivers/block/zram/zram_drv.c.
 * Everything in this file is a negative: no finding is expected.
 */

#define KMSG_COMPONENT "zram"
#define pr_fmt(fmt) KMSG_COMPONENT ": " fmt

#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct zram_table_entry {
	unsigned long handle;
	unsigned long flags;
};

struct zram {
	struct zram_table_entry *table;
	unsigned long *bitmap;
	unsigned long nr_pages;
	void *debug_buf;
	void *comp_scratch;
	void *wb_buf;
	char compressor[32];
	u64 disksize;
};

/*
 * The table is vmalloc()ed; vmalloc() already maps highmem pages, so there
 * is no point in passing __GFP_HIGHMEM here (and it would be a bug to do so
 * on 6.1).
 */
static void *zram_table_alloc(size_t size, gfp_t gfp)
{
	return __vmalloc(size, gfp);
}

/* Not a gfp wrapper: it has no gfp_t parameter. */
static void *zram_vmalloc_helper(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_NOWARN);
}

static void zram_meta_free(struct zram *zram, u64 disksize)
{
	vfree(zram->table);
	vfree(zram->debug_buf);
	vfree(zram->comp_scratch);
	vfree(zram->wb_buf);
	kvfree(zram->bitmap);
}

static bool zram_meta_alloc(struct zram *zram, u64 disksize)
{
	size_t num_pages;

	num_pages = disksize >> PAGE_SHIFT;
	zram->table = zram_table_alloc(array_size(num_pages, sizeof(*zram->table)),
				       GFP_KERNEL); /* silent */
	if (!zram->table)
		return false;
	memset(zram->table, 0, array_size(num_pages, sizeof(*zram->table)));

	zram->debug_buf = vmalloc(PAGE_SIZE); /* silent */
	if (!zram->debug_buf)
		goto out_free;

	zram->comp_scratch = vzalloc(2 * PAGE_SIZE); /* silent */
	if (!zram->comp_scratch)
		goto out_free;

	zram->wb_buf = zram_vmalloc_helper(4 * PAGE_SIZE); /* silent */
	if (!zram->wb_buf)
		goto out_free;

	zram->nr_pages = num_pages;
	return true;

out_free:
	zram_meta_free(zram, disksize);
	pr_err("Error allocating zram metadata (not a __GFP_HIGHMEM issue)\n");
	return false;
}

static ssize_t writeback_limit_store(struct zram *zram, size_t len)
{
	unsigned long nr_pages = zram->disksize >> PAGE_SHIFT;
	size_t bitmap_sz;

	bitmap_sz = BITS_TO_LONGS(nr_pages) * sizeof(long);
	zram->bitmap = kvzalloc(bitmap_sz, GFP_KERNEL); /* silent */
	if (!zram->bitmap)
		return -ENOMEM;

	return len;
}

static ssize_t read_block_state(struct zram *zram, char *buf, size_t count)
{
	char *kbuf;

	kbuf = kvmalloc(count, GFP_KERNEL); /* silent */
	if (!kbuf)
		return -ENOMEM;

	memcpy(buf, kbuf, count);
	kvfree(kbuf);
	return count;
}

static ssize_t comp_algorithm_store(struct zram *zram, const char *buf, size_t len)
{
	char *compressor;

	compressor = kmalloc(len + 1, GFP_KERNEL); /* silent */
	if (!compressor)
		return -ENOMEM;

	strscpy(compressor, buf, len + 1);
	strscpy(zram->compressor, compressor, sizeof(zram->compressor));
	kfree(compressor);
	return len;
}

/* Must not fail: the device is being reset under a held reference. */
static void *zram_reset_scratch(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_NOFAIL); /* silent */
}

int zram_add(struct zram *zram, u64 disksize)
{
	if (!zram_meta_alloc(zram, disksize))
		return -ENOMEM;
	zram->disksize = disksize;
	if (writeback_limit_store(zram, 0) < 0)
		return -ENOMEM;
	if (read_block_state(zram, NULL, 0) < 0)
		return -ENOMEM;
	if (comp_algorithm_store(zram, "lzo-rle", 7) < 0)
		return -ENOMEM;
	vfree(zram_reset_scratch(PAGE_SIZE));
	return 0;
}
