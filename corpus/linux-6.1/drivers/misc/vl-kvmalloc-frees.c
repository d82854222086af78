// SPDX-License-Identifier: GPL-2.0
/*
 * vl-kvmalloc-frees: the frees of memory an open-coded kvmalloc() fix makes
 * kv* memory, which v4.12 turned into kvfree() in the same change (bcache's
 * bcache_device_init() and bcache_device_free(), sch_netem's
 * get_dist_table() and dist_free() in 4.11): a local freed with vfree() in
 * its function, a field freed in another function, a field also stored by
 * a plain kmalloc() (its frees stay: they free that memory too), and a free
 * inside an is_vmalloc_addr() choice (vmalloc-open-coded-kvfree's).
 *
 * vmalloc-lint corpus, pass 2: vmalloc-open-coded-kvmalloc and
 * vmalloc-open-coded-kvfree, 6.1's rules.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct vl_frees_dev {
	unsigned long *full_dirty_stripes;
	unsigned long *stripe_sectors;
	void *dist;
	size_t nr;
};

/* A local, freed with vfree() in its own function. */
int vl_frees_local(size_t n, const void *src)
{
	unsigned long *map;

	map = kmalloc(n, GFP_KERNEL | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!map)
		map = vmalloc(n);
	if (!map)
		return -ENOMEM;
	memcpy(map, src, n);
	vfree(map);
	return 0;
}

/*
 * A field allocated here (by size) and freed in another function, twice
 * (bcache's full_dirty_stripes).
 */
int vl_frees_init(struct vl_frees_dev *d, size_t n)
{
	if (n > PAGE_SIZE) /* expect: vmalloc-open-coded-kvmalloc */
		d->full_dirty_stripes = vzalloc(n);
	else
		d->full_dirty_stripes = kzalloc(n, GFP_KERNEL);
	if (!d->full_dirty_stripes)
		return -ENOMEM;
	d->nr = n;
	return 0;
}

void vl_frees_free(struct vl_frees_dev *d)
{
	if (d->nr > PAGE_SIZE)
		vfree(d->full_dirty_stripes);
	else
		kfree(d->full_dirty_stripes);
	d->full_dirty_stripes = NULL;
}

/*
 * A field whose other store is a plain kmalloc(): its kfree() frees that
 * memory too, and stays.
 */
int vl_frees_sectors(struct vl_frees_dev *d, size_t n)
{
	d->stripe_sectors = kzalloc(n, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	if (!d->stripe_sectors)
		d->stripe_sectors = vzalloc(n);
	return d->stripe_sectors ? 0 : -ENOMEM;
}

int vl_frees_sectors_small(struct vl_frees_dev *d)
{
	d->stripe_sectors = kmalloc(64, GFP_KERNEL);
	return d->stripe_sectors ? 0 : -ENOMEM;
}

void vl_frees_sectors_free(struct vl_frees_dev *d)
{
	kfree(d->stripe_sectors);
}

/*
 * A field freed by an is_vmalloc_addr() choice: the choice is the kvfree
 * check's finding, and its fix is the whole statement.
 */
int vl_frees_dist(struct vl_frees_dev *d, size_t n)
{
	d->dist = kmalloc(n, GFP_KERNEL | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!d->dist)
		d->dist = vmalloc(n);
	return d->dist ? 0 : -ENOMEM;
}

void vl_frees_dist_free(struct vl_frees_dev *d)
{
	if (is_vmalloc_addr(d->dist)) /* expect: vmalloc-open-coded-kvfree */
		vfree(d->dist);
	else
		kfree(d->dist);
}
