// SPDX-License-Identifier: GPL-2.0-only
/* Shaped like kernel/bpf/syscall.c of Linux 5.7: __bpf_map_area_alloc(). */
#include <linux/gfp.h>
#include <asm/shmparam.h>	/* SHMLBA: the real file has it through <linux/shm.h> */
#include <linux/vmalloc.h>

void *bpf_map_area_mmapable_alloc(u64 size, int numa_node)
{
	const gfp_t flags = __GFP_NOWARN | __GFP_ZERO;

	return __vmalloc_node_range(size, SHMLBA, VMALLOC_START, VMALLOC_END, GFP_KERNEL | __GFP_RETRY_MAYFAIL | flags | __GFP_ZERO, PAGE_KERNEL, VM_USERMAP, numa_node, __builtin_return_address(0)) /* expect: vmalloc-api-migration */;
}
