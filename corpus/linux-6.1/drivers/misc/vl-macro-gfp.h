/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vl-macro-gfp.h: a subsystem header's own gfp macro (the shape of
 * fs/nilfs2/mdt.h's NILFS_MDT_GFP): every file that includes the header may
 * expand it, so its body is not edited from one file's view.
 */
#ifndef VL_MACRO_GFP_H
#define VL_MACRO_GFP_H

#include <linux/gfp.h>

#define VL_SHARED_GFP	(GFP_KERNEL | __GFP_HIGHMEM)

#endif
