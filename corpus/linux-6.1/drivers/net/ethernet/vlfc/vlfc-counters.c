// SPDX-License-Identifier: GPL-2.0
/*
 * vlfc-counters: flow counters from a pool or allocated one by one (the
 * shape of drivers/net/ethernet/mellanox/mlx5/core/fs_counters.c in 6.1).
 *
 * vmalloc-lint corpus, pass 2, free-mismatch: vl_fc_acquire() returns a
 * counter of a kvzalloc()ed bulk (`&bulk->fcs[i]`, a pointer into the
 * bulk, which no free takes) or a kzalloc()ed one; vl_fc_release() kfree()s
 * only a counter without a bulk. The pool's counter is no kvmalloc
 * allocation: the kfree() is silent. A helper that returns whole kzalloc()
 * or kvzalloc() allocations, freed with kfree(), is still reported.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/slab.h>

struct vl_fc_bulk;

struct vl_fc {
	u32 id;
	u64 packets;
	struct vl_fc_bulk *bulk;
};

struct vl_fc_bulk {
	int bulk_len;
	int used;
	struct vl_fc fcs[];
};

static struct vl_fc_bulk *vl_fc_bulk_create(int bulk_len)
{
	struct vl_fc_bulk *bulk;
	int i;

	bulk = kvzalloc(sizeof(*bulk) + bulk_len * sizeof(struct vl_fc),
			GFP_KERNEL);
	if (!bulk)
		return ERR_PTR(-ENOMEM);
	bulk->bulk_len = bulk_len;
	for (i = 0; i < bulk_len; i++)
		bulk->fcs[i].bulk = bulk;
	return bulk;
}

static struct vl_fc *vl_fc_bulk_acquire_fc(struct vl_fc_bulk *bulk)
{
	if (bulk->used >= bulk->bulk_len)
		return ERR_PTR(-ENOSPC);
	return &bulk->fcs[bulk->used++];
}

static struct vl_fc *vl_fc_pool_acquire_counter(void)
{
	struct vl_fc_bulk *new_bulk;
	struct vl_fc *fc;

	new_bulk = vl_fc_bulk_create(32);
	if (IS_ERR(new_bulk)) {
		fc = ERR_CAST(new_bulk);
		goto out;
	}
	fc = vl_fc_bulk_acquire_fc(new_bulk);
out:
	return fc;
}

static void vl_fc_pool_release_counter(struct vl_fc *fc)
{
	fc->bulk->used--;
}

static struct vl_fc *vl_fc_single_alloc(void)
{
	struct vl_fc *counter = kzalloc(sizeof(*counter), GFP_KERNEL);

	if (!counter)
		return ERR_PTR(-ENOMEM);
	return counter;
}

static struct vl_fc *vl_fc_acquire(bool aging)
{
	struct vl_fc *counter;

	if (aging) {
		counter = vl_fc_pool_acquire_counter();
		if (!IS_ERR(counter))
			return counter;
	}
	return vl_fc_single_alloc();
}

static void vl_fc_free(struct vl_fc *counter)
{
	kfree(counter);
}

static void vl_fc_release(struct vl_fc *counter)
{
	if (counter->bulk)
		vl_fc_pool_release_counter(counter);
	else
		vl_fc_free(counter);
}

struct vl_fc *vl_fc_create(bool aging, int id)
{
	struct vl_fc *counter = vl_fc_acquire(aging);

	if (IS_ERR(counter))
		return counter;
	counter->id = id;
	if (id < 0) {
		vl_fc_release(counter); /* silent */
		return ERR_PTR(-EINVAL);
	}
	return counter;
}

/* Whole allocations of either kind: kfree() is wrong above the size. */
static u64 *vl_fc_alloc_stats(int n)
{
	if (n <= 8)
		return kzalloc(n * sizeof(u64), GFP_KERNEL);
	return kvzalloc(n * sizeof(u64), GFP_KERNEL);
}

int vl_fc_query_stats(int n)
{
	u64 *stats = vl_fc_alloc_stats(n);

	if (!stats)
		return -ENOMEM;
	kfree(stats); /* expect: vmalloc-free-mismatch */
	return 0;
}
