// SPDX-License-Identifier: GPL-2.0-only
/* Shaped like arch/x86/hyperv/hv_init.c of Linux 5.7: __vmalloc() with a
 * prot other than PAGE_KERNEL (an executable hypercall page). */
#include <linux/gfp.h>
#include <linux/vmalloc.h>

void *hv_hypercall_pg;

int hyperv_init(void)
{
	hv_hypercall_pg  = __vmalloc_node_range(PAGE_SIZE, 1, VMALLOC_START, VMALLOC_END, GFP_KERNEL, PAGE_KERNEL_RX, 0, NUMA_NO_NODE, __builtin_return_address(0)); /* expect: vmalloc-api-migration */
	if (hv_hypercall_pg == NULL)
		return -1;
	return 0;
}
