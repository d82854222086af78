// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmalloc-lint corpus: trimmed model of alloc_large_system_hash() in 6.1
 * mm/page_alloc.c. Both branches of the conditional give a mask without
 * __GFP_DIRECT_RECLAIM, so the mask is not one constant but no path can
 * sleep-allocate: vmalloc_huge() is handed GFP_ATOMIC either way.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define HASH_EARLY	0x00000001	/* Allocating during early boot? */
#define HASH_ZERO	0x00000004	/* Zero allocated hash table */

void *alloc_large_system_hash(const char *tablename, unsigned long bucketsize,
			      unsigned long numentries, int flags)
{
	unsigned long size = bucketsize * numentries;
	gfp_t gfp_flags;
	void *table = NULL;

	if (flags & HASH_EARLY)
		return NULL;

	gfp_flags = (flags & HASH_ZERO) ? GFP_ATOMIC | __GFP_ZERO : GFP_ATOMIC;
	table = vmalloc_huge(size, gfp_flags); /* expect: vmalloc-unsupported-gfp */
	if (!table)
		pr_err("Failed to allocate %s hash table\n", tablename);
	return table;
}

/* Negative: one branch can sleep, so the mask may carry direct reclaim. */
void *alloc_hash_maybe_sleep(unsigned long size, int can_sleep)
{
	gfp_t gfp = can_sleep ? GFP_KERNEL : GFP_ATOMIC; /* silent */

	return vmalloc_huge(size, gfp);
}
