// SPDX-License-Identifier: GPL-2.0
/* Shaped like kernel/notifier.c and kernel/trace/trace.c of Linux 5.7:
 * vmalloc_sync_mappings() and vmalloc_sync_unmappings(), gone in 5.8. */
#include <linux/vmalloc.h>

struct notifier_block;
int atomic_notifier_chain_register(struct notifier_block *nb);

int register_die_notifier(struct notifier_block *nb)
{
	vmalloc_sync_mappings(); /* expect: vmalloc-api-migration */
	return atomic_notifier_chain_register(nb);
}

void tracing_buffers_sync(int tracing)
{
	if (tracing) {
		vmalloc_sync_unmappings(); /* expect: vmalloc-api-migration */
	}
}
