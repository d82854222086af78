/* SPDX-License-Identifier: GPL-2.0 */
/* Corpus-only header (no real counterpart): shared static inline vmalloc wrappers for the vmalloc-lint corpus. */
#ifndef _LINUX_HASHTAB_ALLOC_H
#define _LINUX_HASHTAB_ALLOC_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

/*
 * Bucket arrays of hash tables that can grow beyond what kmalloc() serves.
 * Always zeroed; the caller chooses the reclaim context.
 */
static inline void *hashtab_alloc_buckets(size_t nbuckets, size_t bucket_size,
					  gfp_t gfp)
{
	return __vmalloc_array(nbuckets, bucket_size, gfp | __GFP_ZERO);
}

/* One lock per bucket group. */
#define hashtab_alloc_locks(n) __vmalloc_array((n), sizeof(spinlock_t), GFP_KERNEL | __GFP_HIGHMEM) /* expect: vmalloc-redundant-highmem */

/* Scratch area used while rehashing into a resized table. */
static inline void *hashtab_alloc_scratch(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_HIGHMEM); /* expect: vmalloc-redundant-highmem */
}

static inline void hashtab_free(const void *addr)
{
	vfree(addr);
}

#endif /* _LINUX_HASHTAB_ALLOC_H */
