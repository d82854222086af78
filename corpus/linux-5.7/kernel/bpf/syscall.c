// SPDX-License-Identifier: GPL-2.0-only
/* Shaped like kernel/bpf/syscall.c of Linux 5.7: __bpf_map_area_alloc(). */
#include <linux/gfp.h>
#include <asm/shmparam.h>	/* SHMLBA: the real file has it through <linux/shm.h> */
#include <linux/vmalloc.h>

void *bpf_map_area_mmapable_alloc(u64 size, int numa_node)
{
	const gfp_t flags = __GFP_NOWARN | __GFP_ZERO;

	return vmalloc_user_node_flags(size, numa_node, GFP_KERNEL | /* expect: vmalloc-api-migration */
				       __GFP_RETRY_MAYFAIL | flags);
}
