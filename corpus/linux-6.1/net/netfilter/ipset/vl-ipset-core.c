// SPDX-License-Identifier: GPL-2.0
/*
 * vl-ipset, the core: 4.12's net/netfilter/ipset/ip_set_core.c
 * ip_set_alloc(), kmalloc() memory, or vzalloc() memory when the size is
 * large or kmalloc() fails, and ip_set_free(), which picks the free by
 * is_vmalloc_addr().
 *
 * vmalloc-lint corpus, pass 2: vmalloc-free-mismatch. The helper's own
 * frees are judged path by path, as any other function's: each branch frees
 * what it allocated, so every line here is silent.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vl-ipset.h"

void *vl_ip_set_alloc(size_t size)
{
	void *members = NULL;

	if (size < KMALLOC_MAX_SIZE)
		members = kzalloc(size, GFP_KERNEL | __GFP_NOWARN);

	if (members)
		return members;

	members = vzalloc(size);
	if (!members)
		return NULL;

	return members;
}

void vl_ip_set_free(void *members)
{
	if (is_vmalloc_addr(members)) /* expect: vmalloc-open-coded-kvfree */
		vfree(members);
	else
		kfree(members);
}

/* A probe inside a helper of the same shape: each path frees its own kind. */
int vl_ip_set_probe(size_t size)
{
	void *members;

	if (size < KMALLOC_MAX_SIZE) {
		members = kzalloc(size, GFP_KERNEL);
		if (!members)
			return -ENOMEM;
		kfree(members); /* silent */
		return 0;
	}
	members = vzalloc(size);
	if (!members)
		return -ENOMEM;
	vfree(members); /* silent */
	return 0;
}
