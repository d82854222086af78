// SPDX-License-Identifier: GPL-2.0
/*
 * vl-ipset, a set type: 4.12's net/netfilter/ipset/ip_set_bitmap_ip.c
 * init_map_ip(), which kfree()d what ip_set_alloc() returned (fixed upstream
 * by ip_set_free(), later kvfree()). One call of the core's helper may
 * return either kind, so kfree() or vfree() alone is wrong whichever path
 * the helper took.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-free-mismatch. The helper lives in
 * vl-ipset-core.c: these lines get their findings only with the tree's
 * cross-file facts (expect-facts); negatives stay silent both ways.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vl-ipset.h"

struct vl_bitmap_ip {
	void *members;
	void *extensions;
	size_t memsize;
};

int vl_init_map_ip(struct vl_bitmap_ip *map, size_t memsize)
{
	map->members = vl_ip_set_alloc(memsize);
	if (!map->members)
		return -ENOMEM;
	map->extensions = kzalloc(memsize, GFP_KERNEL);
	if (!map->extensions) {
		kfree(map->members); /* expect-facts: vmalloc-free-mismatch */
		return -ENOMEM;
	}
	map->memsize = memsize;
	return 0;
}

int vl_init_map_ip_fixed(struct vl_bitmap_ip *map, size_t memsize)
{
	map->members = vl_ip_set_alloc(memsize);
	if (!map->members)
		return -ENOMEM;
	map->extensions = kzalloc(memsize, GFP_KERNEL);
	if (!map->extensions) {
		kvfree(map->members); /* silent */
		return -ENOMEM;
	}
	return 0;
}

void vl_bitmap_ip_destroy(struct vl_bitmap_ip *map)
{
	vl_ip_set_free(map->members); /* free-mismatch: silent */ /* expect-facts: vmalloc-open-coded-kvfree */
	kfree(map->extensions);
}
