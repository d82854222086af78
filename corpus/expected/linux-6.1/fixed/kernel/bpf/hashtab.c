// SPDX-License-Identifier: GPL-2.0-only
/* Copyright (c) 2011-2014 PLUMgrid, http://plumgrid.com
 * Copyright (c) 2016 Facebook
 *
 * vmalloc-lint corpus: trimmed model of the bucket allocation in
 * kernel/bpf/hashtab.c, going through include/linux/hashtab_alloc.h.
 */
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/hashtab_alloc.h>

#define HASHTAB_MAP_LOCK_COUNT 8

struct bucket {
	struct hlist_head head;
	spinlock_t raw_lock;
};

struct bpf_map {
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 map_flags;
	int numa_node;
};

struct bpf_htab {
	struct bpf_map map;
	struct bucket *buckets;
	spinlock_t *map_locked;
	void *rehash_scratch;
	u32 n_buckets;	/* number of hash buckets */
	u32 elem_size;	/* size of each element in bytes */
};

static u32 roundup_pow_of_two_u32(u32 n)
{
	u32 r = 1;

	while (r < n)
		r <<= 1;
	return r;
}

static struct bpf_map *htab_map_alloc(u32 max_entries, u32 key_size, u32 value_size)
{
	struct bpf_htab *htab;
	int err;

	htab = kzalloc(sizeof(*htab), GFP_USER | __GFP_ACCOUNT);
	if (!htab)
		return ERR_PTR(-ENOMEM);

	htab->map.max_entries = max_entries;
	htab->map.key_size = key_size;
	htab->map.value_size = value_size;
	htab->n_buckets = roundup_pow_of_two_u32(max_entries);
	htab->elem_size = key_size + value_size;

	err = -ENOMEM;
	htab->buckets = hashtab_alloc_buckets(htab->n_buckets,
					      sizeof(struct bucket),
					      GFP_USER | __GFP_NOWARN); /* expect: vmalloc-redundant-highmem */
	if (!htab->buckets)
		goto free_htab;

	htab->map_locked = hashtab_alloc_locks(HASHTAB_MAP_LOCK_COUNT);
	if (!htab->map_locked)
		goto free_buckets;

	htab->rehash_scratch = hashtab_alloc_scratch(htab->n_buckets * sizeof(u32));
	if (!htab->rehash_scratch)
		goto free_map_locked;

	return &htab->map;

free_map_locked:
	hashtab_free(htab->map_locked);
free_buckets:
	hashtab_free(htab->buckets);
free_htab:
	kfree(htab);
	return ERR_PTR(err);
}

static void htab_map_free(struct bpf_map *map)
{
	struct bpf_htab *htab = (struct bpf_htab *)map;

	hashtab_free(htab->rehash_scratch);
	hashtab_free(htab->map_locked);
	hashtab_free(htab->buckets);
	kfree(htab);
}

int htab_map_selftest(void)
{
	struct bpf_map *map = htab_map_alloc(1024, 4, 8);

	if (IS_ERR(map))
		return PTR_ERR(map);
	htab_map_free(map);
	return 0;
}
