// SPDX-License-Identifier: GPL-2.0
/*
 * vlfs: superblock teardown of a small file system, written before it used
 * kvfree(): the tables may come from kmalloc() or vmalloc() and each free
 * picks vfree() or kfree() by is_vmalloc_addr(), as ext4_kvfree() and the
 * frees v4.5's "tree wide: use kvfree() than conditional kfree()/vfree()"
 * (1d5cfdb07628) replaced did.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-open-coded-kvfree. The free chosen
 * by is_vmalloc_addr() is kvfree(): inline, negated with the branches
 * swapped, as a ternary, or as a local helper's whole body. Frees that
 * choose another way, or do more than the free, stay.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vlfs_group_table {
	unsigned long *bits;	/* kmalloc()ed, vmalloc()ed when large */
	void *shadow;
	unsigned int len;
};

struct vlfs_super {
	struct vlfs_group_table *groups;
	void *flex_groups;
	void *log_buf;
	void *key;		/* kmalloc()ed, vmalloc()ed when large */
	void *ring;		/* vmap()ed or kmalloc()ed */
	void *pages;		/* __get_free_pages() or vmalloc() */
	unsigned int pages_order;
	struct kmem_cache *inode_cachep;
	void *root_inode;	/* from inode_cachep, or vmalloc()ed */
	unsigned long vfrees;
};

/* A local copy of kvfree(): its body is the site, its callers stay. */
void vlfs_kvfree(void *ptr)
{
	kvfree(ptr); /* expect: vmalloc-open-coded-kvfree */
}

void vlfs_free_group_table(struct vlfs_group_table *t)
{
	kvfree(t->bits); /* expect: vmalloc-open-coded-kvfree */
	t->len = 0;
}

void vlfs_put_super(struct vlfs_super *s, int ngroups)
{
	int i;

	kvfree(s->log_buf); /* expect: vmalloc-open-coded-kvfree */
	for (i = 0; i < ngroups; i++) {
		struct vlfs_group_table *t = &s->groups[i];

		kvfree(t->shadow); /* expect: vmalloc-open-coded-kvfree */
		vlfs_free_group_table(t);
	}
	kvfree(s->flex_groups); /* expect: vmalloc-open-coded-kvfree */
	s->flex_groups = NULL;
}

/* Frees that choose another way: no kvfree() does what they do. */
void vlfs_free_buffers(struct vlfs_super *s)
{
	if (is_vmalloc_addr(s->ring)) /* silent: vunmap() */
		vunmap(s->ring);
	else
		kfree(s->ring);
	if (is_vmalloc_addr(s->pages)) /* silent: free_pages() */
		vfree(s->pages);
	else
		free_pages((unsigned long)s->pages, s->pages_order);
	if (is_vmalloc_addr(s->root_inode)) /* silent: kmem_cache_free() */
		vfree(s->root_inode);
	else
		kmem_cache_free(s->inode_cachep, s->root_inode);
	if (is_vmalloc_addr(s->key)) /* silent: kfree_sensitive() */
		vfree(s->key);
	else
		kfree_sensitive(s->key);
}

/* More than the free, other pointers, another pointer tested. */
void vlfs_free_tables(struct vlfs_super *s, struct vlfs_group_table *t)
{
	if (is_vmalloc_addr(s->log_buf)) { /* silent: counts the vfree() */
		vfree(s->log_buf);
		s->vfrees++;
	} else {
		kfree(s->log_buf);
	}
	if (is_vmalloc_addr(t->bits)) /* silent: frees two pointers */
		vfree(t->bits);
	else
		kfree(t->shadow);
	if (is_vmalloc_addr(s->flex_groups)) /* silent: tests another pointer */
		vfree(t->shadow);
	else
		kfree(t->shadow);
}
