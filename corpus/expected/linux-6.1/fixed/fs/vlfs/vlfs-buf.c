// SPDX-License-Identifier: GPL-2.0
/*
 * vlfs: block bitmap and journal buffers of a small file system.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-free-mismatch. vmalloc memory is
 * freed with vfree(), slab memory with kfree(), kvmalloc() memory with
 * kvfree() (which takes both).
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct vlfs_sb_info {
	unsigned long *bitmap;	/* vmalloc()ed */
	void *journal;		/* kzalloc()ed */
	unsigned long size;
};

void vlfs_scan(unsigned long size)
{
	unsigned long *map = vzalloc(size);

	if (!map)
		return;
	kfree(map); /* expect: vmalloc-free-mismatch */
}

void vlfs_kv(unsigned long n)
{
	void *t = kvmalloc(n, GFP_KERNEL);

	kfree(t); /* expect: vmalloc-free-mismatch */
}

void vlfs_kv_ok(unsigned long n)
{
	void *t = kvmalloc(n, GFP_KERNEL);
	void *v = vmalloc(n);
	void *k = kmalloc(n, GFP_KERNEL);

	kvfree(t);
	kvfree(v);
	kvfree(k);
}

void vlfs_name(const char *s)
{
	char *name = kstrdup(s, GFP_KERNEL);

	vfree(name); /* expect: vmalloc-free-mismatch */
}

void vlfs_page(void)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL, 2);

	vfree((void *)addr); /* expect: vmalloc-free-mismatch */
}

void vlfs_free_any(void *p)
{
	kvfree(p); /* expect: vmalloc-open-coded-kvfree */
}

void vlfs_vmap(struct page **pages, unsigned int count)
{
	void *addr = vmap(pages, count, VM_MAP, PAGE_KERNEL);

	kfree(addr); /* expect: vmalloc-free-mismatch */
}

/* A helper that kfree()s its parameter: reported where vmalloc memory goes in. */
static void vlfs_release(void *p)
{
	kfree(p);
}

void vlfs_drop(unsigned long n)
{
	vlfs_release(kmalloc(n, GFP_KERNEL));
	vlfs_release(vmalloc(n)); /* expect: vmalloc-free-mismatch */
}

int vlfs_fill_super(struct vlfs_sb_info *sbi)
{
	sbi->bitmap = vmalloc(sbi->size);
	sbi->journal = kzalloc(PAGE_SIZE, GFP_KERNEL);
	return sbi->bitmap && sbi->journal ? 0 : -ENOMEM;
}

void vlfs_put_super(struct vlfs_sb_info *sbi)
{
	kfree(sbi->bitmap); /* expect: vmalloc-free-mismatch */
	vfree(sbi->journal); /* expect: vmalloc-free-mismatch */
}
