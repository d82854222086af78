// SPDX-License-Identifier: GPL-2.0
/*
 * vl-kvmalloc-old: the open-coded "kmalloc, else vmalloc" of a 4.9 driver,
 * with 4.9's three-argument __vmalloc(). There is no kvmalloc() before
 * v4.12: each site is reported, none is fixed.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-open-coded-kvmalloc.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vl_old_table {
	void *slots;
	void *exec;
};

int vl_old_table_alloc(struct vl_old_table *t, size_t len)
{
	t->slots = kmalloc(len, GFP_KERNEL | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!t->slots)
		t->slots = __vmalloc(len, GFP_KERNEL | __GFP_HIGHMEM, PAGE_KERNEL);
	if (!t->slots)
		return -ENOMEM;
	/* Another pgprot: executable memory is no kvmalloc(); silent. */
	t->exec = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);
	if (!t->exec)
		t->exec = __vmalloc(len, GFP_KERNEL | __GFP_HIGHMEM, PAGE_KERNEL_EXEC);
	return t->exec ? 0 : -ENOMEM;
}
