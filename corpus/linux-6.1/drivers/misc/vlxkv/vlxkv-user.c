// SPDX-License-Identifier: GPL-2.0
/*
 * vlxkv, the using half: calls of vlxkv-mem.c's helpers. Per translation
 * unit every line is silent (no allocator is called here); with the tree's
 * cross-file facts (--facts-in) each expect-facts line is a site: a kvfree()
 * wrapper's call, or an open-coded kvzalloc() with a fix unless its mask is
 * one kvmalloc() does not fall back to vmalloc for (GFP_ATOMIC: no fix; the
 * helper being a gfp wrapper of __vmalloc(), vmalloc-unsupported-gfp too).
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/types.h>

#include "vlxkv.h"

struct vlxkv_tbl {
	unsigned long *map;
	void *ring;
	size_t len;
};

int vlxkv_tbl_init(struct vlxkv_tbl *t, unsigned int n)
{
	t->map = vlxkv_alloc_mem(n * sizeof(*t->map)); /* expect-facts: vmalloc-open-coded-kvmalloc */
	if (!t->map)
		return -ENOMEM;
	t->ring = vlxkv_kvzalloc(t->len, GFP_KERNEL); /* expect-facts: vmalloc-open-coded-kvmalloc */
	if (!t->ring) {
		vlxkv_free_mem(t->map); /* expect-facts: vmalloc-open-coded-kvfree */
		return -ENOMEM;
	}
	return 0;
}

int vlxkv_tbl_irq(struct vlxkv_tbl *t)
{
	t->ring = vlxkv_kvzalloc(t->len, GFP_ATOMIC); /* expect-facts: vmalloc-open-coded-kvmalloc vmalloc-unsupported-gfp */
	return t->ring ? 0 : -ENOMEM;
}

/* Not a helper call: another function of the same shape of name. */
void *vlxkv_other(size_t size);

void *vlxkv_user_other(size_t size)
{
	return vlxkv_other(size);
}
