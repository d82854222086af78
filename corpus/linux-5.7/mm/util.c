// SPDX-License-Identifier: GPL-2.0-only
/* Shaped like mm/util.c of Linux 5.7: kvmalloc_node()'s vmalloc fallback. */
#include <linux/slab.h>
#include <linux/vmalloc.h>

void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	void *ret = kmalloc_node(size, flags | __GFP_NOWARN, node);

	if (ret || size <= PAGE_SIZE)
		return ret;

	return __vmalloc_node_flags_caller(size, node, flags, /* expect: vmalloc-api-migration */
			__builtin_return_address(0));
}
