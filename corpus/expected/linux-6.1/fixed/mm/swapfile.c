// SPDX-License-Identifier: GPL-2.0-only
/*
 *  linux/mm/swapfile.c
 *
 *  Copyright (C) 1991, 1992, 1993, 1994  Linus Torvalds
 *  Swap reorganised 29.12.95, Stephen Tweedie
 *
 *  vmalloc-lint corpus: trimmed model of the swapon() metadata
 *  allocations in mm/swapfile.c.
 */

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define SWAPFILE_CLUSTER	256

struct swap_cluster_info {
	spinlock_t lock;	/*
				 * Protect swap_cluster_info fields
				 * and swap_info_struct->swap_map
				 * elements correspond to the swap
				 * cluster
				 */
	unsigned int data:24;
	unsigned int flags:8;
};

struct swap_info_struct {
	unsigned long	flags;		/* SWP_USED etc: see above */
	signed short	prio;		/* swap priority of this type */
	unsigned char *swap_map;	/* vmalloc'ed array of usage counts */
	struct swap_cluster_info *cluster_info; /* cluster info. Only for SSD */
	unsigned int max;		/* extent of the swap_map */
	unsigned int pages;		/* total of usable pages of swap */
};

static struct swap_info_struct *alloc_swap_info(void)
{
	struct swap_info_struct *p;

	p = kvzalloc(sizeof(*p), GFP_KERNEL); /* silent */
	if (!p)
		return ERR_PTR(-ENOMEM);

	p->prio = -1;
	return p;
}

static int setup_swap_map_and_extents(struct swap_info_struct *p,
				      unsigned long maxpages)
{
	unsigned long nr_cluster;
	struct swap_cluster_info *cluster_info;

	/* OK, set up the swap map and apply the bad block list */
	p->swap_map = vzalloc(maxpages); /* silent */
	if (!p->swap_map)
		return -ENOMEM;

	nr_cluster = DIV_ROUND_UP(maxpages, SWAPFILE_CLUSTER);

	cluster_info = __vmalloc_array(nr_cluster, sizeof(*cluster_info),
				       (GFP_KERNEL)); /* expect: vmalloc-redundant-highmem */
	if (!cluster_info) {
		vfree(p->swap_map);
		p->swap_map = NULL;
		return -ENOMEM;
	}
	memset(cluster_info, 0, nr_cluster * sizeof(*cluster_info));

	p->cluster_info = cluster_info;
	p->max = maxpages;
	p->pages = maxpages - 1;
	return 0;
}

int sys_swapon_setup(unsigned long maxpages)
{
	struct swap_info_struct *p;
	int error;

	p = alloc_swap_info();
	if (IS_ERR(p))
		return PTR_ERR(p);

	error = setup_swap_map_and_extents(p, maxpages);
	if (error) {
		kvfree(p);
		return error;
	}
	return 0;
}
