/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vl-macro-gfp.h: a subsystem header's own gfp macros (the shape of
 * fs/nilfs2/mdt.h's NILFS_MDT_GFP): every file that includes the header may
 * expand them, so the run decides, over the whole tree's text, whether each
 * expansion is a vmalloc gfp argument that it fixes: only then is the body
 * edited (rewriters/HeaderMacroFixes.h).
 */
#ifndef VL_MACRO_GFP_H
#define VL_MACRO_GFP_H

#include <linux/gfp.h>

/* Only ever a vmalloc mask, in the whole tree: the body is the place. */
#define VL_SHARED_GFP	(GFP_KERNEL)

/* Also the page allocator's mask (vl_ring_shared_page()): no fix. */
#define VL_SHARED_PAGE_GFP	(GFP_KERNEL | __GFP_HIGHMEM)

/* Also named in another macro's body, whose expansions would change: no fix. */
#define VL_SHARED_BASE_GFP	(GFP_NOFS | __GFP_HIGHMEM)
#define VL_SHARED_NOWARN_GFP	(VL_SHARED_BASE_GFP | __GFP_NOWARN)

#endif
