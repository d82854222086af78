// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2000-2005 Silicon Graphics, Inc.
 * All Rights Reserved.
 *
 * vmalloc-lint corpus: trimmed model of fs/xfs/kmem.c as it looked when
 * the vmalloc fallback still ORed __GFP_HIGHMEM into the converted flags.
 */
#include "kmem.h"

void *
kmem_alloc(size_t size, xfs_km_flags_t flags)
{
	gfp_t	lflags = kmem_flags_convert(flags);
	void	*ptr;

	ptr = kmalloc(size, lflags);
	if (ptr || (flags & KM_MAYFAIL))
		return ptr;
	pr_err("%s(%u) possible memory allocation deadlock size %u in %s (mode:0x%x)\n",
	       "xfs", 0, (unsigned int)size, __func__, (__force unsigned int)lflags);
	return NULL;
}

/*
 * __vmalloc() will allocate data pages and auxiliary structures (e.g.
 * pagetables) with GFP_KERNEL, yet we may be under GFP_NOFS context here. Hence
 * we need to tell memory reclaim that we are in such a context via
 * PF_MEMALLOC_NOFS to prevent memory reclaim re-entering the filesystem here
 * and potentially deadlocking.
 */
static void *
__kmem_vmalloc(size_t size, xfs_km_flags_t flags)
{
	unsigned nofs_flag = 0;
	void	*ptr;
	gfp_t	lflags = kmem_flags_convert(flags);

	if (flags & KM_NOFS)
		nofs_flag = memalloc_nofs_save();

	ptr = __vmalloc(size, lflags | __GFP_HIGHMEM | __GFP_ZERO); /* expect: vmalloc-redundant-highmem */

	if (flags & KM_NOFS)
		memalloc_nofs_restore(nofs_flag);

	return ptr;
}

/*
 * Same as kmem_alloc_large, except we guarantee the buffer returned is aligned
 * to the @align_mask. We only guarantee alignment up to page size, we'll clamp
 * alignment at page size if it is larger. vmalloc always returns a PAGE_SIZE
 * aligned region.
 */
void *
kmem_alloc_large(
	size_t		size,
	xfs_km_flags_t	flags)
{
	void	*ptr;

	ptr = kmem_alloc(size, flags | KM_MAYFAIL);
	if (ptr)
		return ptr;
	return __kmem_vmalloc(size, flags);
}
