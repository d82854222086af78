// SPDX-License-Identifier: GPL-2.0
/*
 * vlxkv, the defining half: two exported "kmalloc, else vmalloc" helpers,
 * as cxgb4's t4_alloc_mem() (fixed mask) and ext4's ext4_kvzalloc() (the
 * caller's mask) were before v4.12. Each is reported here; its calls in
 * vlxkv-user.c are sites only with the tree's cross-file facts.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-open-coded-kvmalloc, cross-file.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vlxkv.h"

void *vlxkv_alloc_mem(size_t size) /* expect: vmalloc-open-coded-kvmalloc */
{
	void *p = kvzalloc(size, GFP_KERNEL);
	return p;
}

void *vlxkv_kvzalloc(size_t size, gfp_t flags) /* expect: vmalloc-open-coded-kvmalloc */
{
	void *ret;

	ret = kzalloc(size, flags | __GFP_NOWARN);
	if (!ret)
		ret = __vmalloc(size, flags | __GFP_ZERO);
	return ret;
}

void vlxkv_free_mem(void *addr)
{
	kvfree(addr);
}
