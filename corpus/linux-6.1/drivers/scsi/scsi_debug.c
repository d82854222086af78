// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvvvvvvvvvvvvvvvvvvvvvv Original vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv
 *  Copyright (C) 1992  Eric Youngdale
 *  Simulate a host adapter with 2 disks attached.  Do a lot of checking
 *  to make sure that we are not getting blocks mixed up, and PANIC if
 *  anything out of the ordinary is seen.
 * ^^^^^^^^^^^^^^^^^^^^^^^ Original ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
 *
 * vmalloc-lint corpus: trimmed model of the store allocation in
 * drivers/scsi/scsi_debug.c, routed through a static gfp wrapper.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ":%s: " fmt, __func__

#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct t10_pi_tuple {
	u16 guard_tag;	/* Checksum */
	u16 app_tag;	/* Opaque storage */
	u32 ref_tag;	/* Target LBA or indirect LBA */
};

struct sdeb_store_info {
	u8 *storep;			/* user data storage (ram) */
	struct t10_pi_tuple *dif_storep; /* protection info */
	void *map_storep;		/* provisioning map */
};

static unsigned long sdebug_store_sectors = 1024;
static int sdebug_sector_size = 512;
static int sdebug_dix;
static bool sdebug_lbp = true;
static unsigned int sdebug_unmap_granularity = 1;

static struct sdeb_store_info sdeb_store;

static unsigned long lba_to_map_index(unsigned long lba)
{
	return lba / sdebug_unmap_granularity;
}

/* All per-store arrays are zeroed vmalloc memory. */
static void *sdebug_vzalloc(unsigned long size, gfp_t gfp)
{
	return __vmalloc(size, gfp | __GFP_ZERO);
}

static void sdebug_erase_store(struct sdeb_store_info *sip)
{
	vfree(sip->map_storep);
	vfree(sip->dif_storep);
	vfree(sip->storep);
	memset(sip, 0, sizeof(*sip));
}

/*
 * Returns store xarray new element index (idx) if >=0 else negated errno.
 * Limit the number of stores to 65536.
 */
static int sdebug_add_store(void)
{
	struct sdeb_store_info *sip = &sdeb_store;
	unsigned long sz = sdebug_store_sectors * sdebug_sector_size;
	unsigned long map_size;
	int res = -ENOMEM;

	sip->storep = sdebug_vzalloc(sz, GFP_KERNEL | __GFP_HIGHMEM); /* expect: vmalloc-redundant-highmem */
	if (!sip->storep) {
		pr_err("user data oom\n");
		goto err;
	}

	/* DIF/DIX: what T10 calls Protection Information (PI) */
	if (sdebug_dix) {
		sip->dif_storep = sdebug_vzalloc(sdebug_store_sectors *
						 sizeof(*sip->dif_storep),
						 GFP_KERNEL); /* silent */
		if (!sip->dif_storep) {
			pr_err("DIX oom\n");
			goto err;
		}
		memset(sip->dif_storep, 0xff, sdebug_store_sectors *
		       sizeof(*sip->dif_storep));
	}

	/* Logical Block Provisioning */
	if (sdebug_lbp) {
		map_size = lba_to_map_index(sdebug_store_sectors - 1) + 1;
		sip->map_storep = sdebug_vzalloc(array_size(sizeof(long),
							    BITS_TO_LONGS(map_size)),
						 GFP_KERNEL | __GFP_NOWARN); /* silent */
		if (!sip->map_storep) {
			pr_err("LBP map oom\n");
			goto err;
		}
	}
	return 0;
err:
	sdebug_erase_store(sip);
	pr_warn("failed, errno=%d\n", -res);
	return res;
}

int scsi_debug_init(void)
{
	return sdebug_add_store();
}

void scsi_debug_exit(void)
{
	sdebug_erase_store(&sdeb_store);
}
