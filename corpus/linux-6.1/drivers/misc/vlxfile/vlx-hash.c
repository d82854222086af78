// SPDX-License-Identifier: GPL-2.0
/*
 * vlxfile, a block cache's user (the shape of drivers/md/dm-verity-target.c
 * before e4b069e0945f "dm verity: fix crash on bufio buffer that was
 * allocated with vmalloc"): vlx-alloc.c's blocks are kmalloc()ed, or
 * vmalloc()ed when large, and its data_mode tag says which, in a struct
 * this file cannot see. A block's data may be vmalloc memory here, whatever
 * vlx-alloc.c tests: found with the cross-file facts only (expect-facts).
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/vmalloc.h>

#include "vlxfile.h"

void vlx_hash_block(struct vlx_block_cache *c, struct scatterlist *sg,
		    unsigned int len)
{
	void *data = vlx_block_read(c, 0);

	sg_init_one(sg, data, len); /* expect-facts: vmalloc-dma-map */
}

/* The fix: a vmalloc()ed block goes in page by page. */
void vlx_hash_block_ok(struct vlx_block_cache *c, struct scatterlist *sg,
		       unsigned int len)
{
	void *data = vlx_block_read(c, 1);

	if (is_vmalloc_addr(data))
		sg_set_page(sg, vmalloc_to_page(data), len, offset_in_page(data));
	else
		sg_init_one(sg, data, len); /* silent */
}
