// SPDX-License-Identifier: GPL-2.0
/*
 * Request reply cache. This is currently a global cache, but this may
 * change in the future and be a per-client cache.
 *
 * Copyright (C) 1995, 1996 Olaf Kirch <okir@monad.swb.de>
 *
 * vmalloc-lint corpus: trimmed model of nfsd_reply_cache_init() from
 * fs/nfsd/nfscache.c, going through include/linux/hashtab_alloc.h.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/hashtab_alloc.h>

#define TARGET_BUCKET_SIZE	64

struct nfsd_drc_bucket {
	struct hlist_head cache_hash;
	struct list_head lru_head;
	spinlock_t cache_lock;
};

struct nfsd_net {
	struct nfsd_drc_bucket *drc_hashtbl;
	spinlock_t *drc_locks;
	void *drc_scratch;
	unsigned int max_drc_entries;
	unsigned int maskbits;
	unsigned int drc_hashsize;
};

static int nfsd_cache_size_limit(void)
{
	return 1024 * 256;
}

static unsigned int nfsd_hashsize(unsigned int limit)
{
	unsigned int n = 1;

	while (n < limit / TARGET_BUCKET_SIZE)
		n <<= 1;
	return n;
}

int nfsd_reply_cache_init(struct nfsd_net *nn)
{
	unsigned int hashsize;
	unsigned int i;

	nn->max_drc_entries = nfsd_cache_size_limit();
	hashsize = nfsd_hashsize(nn->max_drc_entries);
	nn->maskbits = 0;
	while ((1U << nn->maskbits) < hashsize)
		nn->maskbits++;

	nn->drc_hashtbl = hashtab_alloc_buckets(hashsize, sizeof(*nn->drc_hashtbl), GFP_KERNEL |
						__GFP_HIGHMEM); /* expect: vmalloc-redundant-highmem */
	if (!nn->drc_hashtbl)
		goto out_nomem;

	nn->drc_locks = hashtab_alloc_locks(hashsize);
	if (!nn->drc_locks)
		goto out_free_tbl;

	nn->drc_scratch = hashtab_alloc_scratch(PAGE_SIZE);
	if (!nn->drc_scratch)
		goto out_free_locks;

	for (i = 0; i < hashsize; i++) {
		nn->drc_hashtbl[i].lru_head.next = &nn->drc_hashtbl[i].lru_head;
		nn->drc_hashtbl[i].lru_head.prev = &nn->drc_hashtbl[i].lru_head;
		spin_lock_init(&nn->drc_hashtbl[i].cache_lock);
	}
	nn->drc_hashsize = hashsize;

	return 0;
out_free_locks:
	hashtab_free(nn->drc_locks);
out_free_tbl:
	hashtab_free(nn->drc_hashtbl);
out_nomem:
	pr_err("nfsd: failed to allocate reply cache\n");
	return -ENOMEM;
}

void nfsd_reply_cache_shutdown(struct nfsd_net *nn)
{
	hashtab_free(nn->drc_scratch);
	hashtab_free(nn->drc_locks);
	hashtab_free(nn->drc_hashtbl);
	nn->drc_hashtbl = NULL;
	nn->drc_hashsize = 0;
}
