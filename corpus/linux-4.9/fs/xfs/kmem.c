/*
 * Copyright (c) 2000-2005 Silicon Graphics, Inc.
 * All Rights Reserved.
 *
 * This program is free software; you can redistribute it and/or
 * modify it under the terms of the GNU General Public License as
 * published by the Free Software Foundation.
 *
 * vmalloc-lint corpus: trimmed model of Linux 4.9 fs/xfs/kmem.c.
 * No finding is expected here: the vmalloc fallback ORs __GFP_HIGHMEM into
 * the converted flags, as it must before 4.12.
 */
#include "kmem.h"

void *
kmem_alloc(size_t size, xfs_km_flags_t flags)
{
	gfp_t	lflags = kmem_flags_convert(flags);
	void	*ptr;

	ptr = kmalloc(size, lflags);
	if (ptr || (flags & (KM_MAYFAIL|KM_NOSLEEP)))
		return ptr;
	printk(KERN_ERR "XFS: possible memory allocation deadlock size %u in %s (mode:0x%x)\n",
	       (unsigned int)size, __func__, (__force unsigned int)lflags);
	return NULL;
}

void *
kmem_zalloc_large(size_t size, xfs_km_flags_t flags)
{
	unsigned noio_flag = 0;
	void	*ptr;
	gfp_t	lflags;

	ptr = kmem_zalloc(size, flags | KM_MAYFAIL);
	if (ptr)
		return ptr;

	/*
	 * __vmalloc() will allocate data pages and auxillary structures (e.g.
	 * pagetables) with GFP_KERNEL, yet we may be under GFP_NOFS context
	 * here. Hence we need to tell memory reclaim that we are in such a
	 * context via PF_MEMALLOC_NOIO to prevent memory reclaim re-entering
	 * the filesystem here and potentially deadlocking.
	 */
	if ((current->flags & PF_FSTRANS) || (flags & KM_NOFS))
		noio_flag = memalloc_noio_save();

	lflags = kmem_flags_convert(flags);
	ptr = __vmalloc(size, lflags | __GFP_HIGHMEM | __GFP_ZERO, PAGE_KERNEL); /* silent */

	if ((current->flags & PF_FSTRANS) || (flags & KM_NOFS))
		memalloc_noio_restore(noio_flag);

	return ptr;
}
