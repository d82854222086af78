// SPDX-License-Identifier: GPL-2.0
/*
 * vl-kvmalloc-shapes: more of the open-coded kvmalloc() shapes 4.11 had and
 * v4.12 converted: on a node (kmalloc_node(), vmalloc_node(): mlx4's
 * en_tx.c, x_tables' jumpstacks, sch_fq's fq_alloc_node()), the pointer set
 * to NULL first and kmalloc()ed only for small sizes (agp's
 * agp_alloc_page_array()), the kmalloc's result returned unless NULL
 * (xt_alloc_entry_offsets()), and a fallback under memalloc_noio_save()
 * (dm-ioctl's copy_params()), the kmalloc's mask in a local that adds
 * kvmalloc's own flags for large sizes (seq_file's seq_buf_alloc()). A kv*
 * call longer than 80 columns is broken after a comma, aligned with its
 * open parenthesis.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-open-coded-kvmalloc, 6.1's rules.
 * Look-alikes stay silent: two nodes, a kmalloc() for the large sizes.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vl_table {
	void *buf;
	size_t len;
};

/*
 * kmalloc_node() with a plain vmalloc() fallback and its own NULL check
 * (mlx4_en_create_tx_ring()): kvmalloc_node() with the kmalloc's node.
 */
int vl_table_node(struct vl_table *t, size_t len, int node)
{
	t->buf = kvmalloc_node(len, GFP_KERNEL, node); /* expect: vmalloc-open-coded-kvmalloc */
	if (!t->buf)
		return -ENOMEM;
	t->len = len;
	return 0;
}

/* By size, one per cpu, the arguments over two lines (xt_jumpstack_alloc()). */
int vl_stacks_alloc(void **stacks, const int *nodes, unsigned int n, size_t size)
{
	unsigned int cpu;

	for (cpu = 0; cpu < n; cpu++) {
		stacks[cpu] = kvmalloc_node(size, GFP_KERNEL, nodes[cpu]); /* expect: vmalloc-open-coded-kvmalloc */
		if (stacks[cpu] == NULL)
			return -ENOMEM;
	}
	return 0;
}

/* kzalloc_node() and vzalloc_node() of the same node, a helper: kvzalloc_node(). */
void *vl_zeroed_node(size_t len, int node) /* expect: vmalloc-open-coded-kvmalloc */
{
	void *p = kvzalloc_node(len, GFP_KERNEL, node);
	return p;
}

void *vl_resize(unsigned int log, int node)
{
	return kvmalloc_node(sizeof(void *) << log, GFP_KERNEL, node); /* expect: vmalloc-open-coded-kvmalloc */
}

/* An array on a node: 6.1 has no kvcalloc_node(); reported, no fix. */
void *vl_array_node(size_t n, int node) /* expect: vmalloc-open-coded-kvmalloc */
{
	long *a = kcalloc_node(n, sizeof(long), GFP_KERNEL, node);

	if (!a)
		a = vzalloc_node(n * sizeof(long), node);
	return a;
}

/*
 * NULL first, kmalloc() only for small sizes, vmalloc() when still NULL
 * (agp_alloc_page_array()): one kvmalloc(), as 4.12 wrote it.
 */
void vl_pages_array(struct vl_table *t, size_t size)
{
	t->buf = kvmalloc(size, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
}

/*
 * The kmalloc's result returned unless NULL, an overflow guard before the
 * fallback (xt_alloc_entry_offsets()): a helper of external linkage; its
 * body becomes kvcalloc() (kcalloc() zeroed).
 */
unsigned int *vl_offsets_alloc(size_t size) /* expect: vmalloc-open-coded-kvmalloc */
{
	unsigned int *off;

	off = kvcalloc(size, sizeof(unsigned int), GFP_KERNEL);

	return off;
}

struct vl_rules {
	unsigned int *entry_offsets;
	size_t nr_entries;
};

/*
 * The kv* call does not fit in 80 columns (xt_alloc_entry_offsets() in 4.11,
 * fixed for 4.12, is 82): broken after the last comma that fits, the rest
 * aligned with the open parenthesis, tabs then spaces.
 */
int vl_rules_offsets(struct vl_rules *t, size_t nr_entries)
{
	t->entry_offsets = kvmalloc_array(nr_entries, sizeof(unsigned int),
					  GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	if (!t->entry_offsets)
		return -ENOMEM;
	t->nr_entries = nr_entries;
	return 0;
}

/*
 * The kmalloc's mask a local that adds __GFP_NORETRY | __GFP_NOWARN for
 * sizes over PAGE_SIZE (seq_buf_alloc() in 4.11): what kvmalloc() does on
 * its kmalloc attempt; kvmalloc(size, GFP_KERNEL), and the local goes.
 */
void *vl_seq_buf(unsigned long size)
{
	void *buf;

	/* Large: fall back to vmalloc() rather than oom-kill. */
	buf = kvmalloc(size, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	return buf;
}

/*
 * The same local used again afterwards: its value there would change.
 * Reported, no fix (the mask is not known at the kmalloc).
 */
void *vl_seq_buf_again(unsigned long size, void **spare)
{
	void *buf;
	gfp_t gfp = GFP_KERNEL;

	if (size > PAGE_SIZE)
		gfp |= __GFP_NORETRY | __GFP_NOWARN;
	buf = kmalloc(size, gfp); /* expect: vmalloc-open-coded-kvmalloc */
	if (!buf && size > PAGE_SIZE)
		buf = vmalloc(size);
	*spare = kmalloc(PAGE_SIZE, gfp);
	return buf;
}

/*
 * The fallback under memalloc_noio_save() (copy_params()): the kmalloc
 * attempt is outside the scope; reported, no fix.
 */
int vl_params_alloc(struct vl_table *t, size_t size)
{
	t->buf = NULL; /* expect: vmalloc-open-coded-kvmalloc */
	if (size <= KMALLOC_MAX_SIZE)
		t->buf = kmalloc(size, GFP_KERNEL | __GFP_NOWARN);
	if (!t->buf) {
		unsigned int noio_flag;

		noio_flag = memalloc_noio_save();
		t->buf = __vmalloc(size, GFP_KERNEL | __GFP_HIGH);
		memalloc_noio_restore(noio_flag);
	}
	return t->buf ? 0 : -ENOMEM;
}

/* Look-alikes: silent. */

/* Two nodes: not one kvmalloc_node(). */
void *vl_other_node(size_t len, int node)
{
	void *p = kmalloc_node(len, GFP_KERNEL | __GFP_NOWARN, node);

	if (!p)
		p = vmalloc_node(len, NUMA_NO_NODE);
	return p;
}

/* NULL first, but the kmalloc() is for the large sizes. */
void vl_pages_backwards(struct vl_table *t, size_t size)
{
	t->buf = NULL;
	if (size > PAGE_SIZE)
		t->buf = kmalloc(size, GFP_KERNEL);
	if (!t->buf)
		t->buf = vmalloc(size);
}

/* The kmalloc's result returned, then a fallback for another pointer. */
void *vl_returned_other(struct vl_table *t, size_t len)
{
	void *p = NULL;

	p = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);
	if (p)
		return p;
	t->buf = vmalloc(len);
	return t->buf;
}

void vl_table_free(struct vl_table *t)
{
	kvfree(t->buf);
}

/*
 * vmalloc-open-coded-kvfree: a kvfree() wrapper (cxgb4's t4_free_mem() in
 * 4.11): each call becomes kvfree(), as v4.12 did.
 */
void vl_free_mem(void *addr)
{
	kvfree(addr);
}

void vl_table_release(struct vl_table *t)
{
	kvfree(t->buf); /* expect: vmalloc-open-coded-kvfree */
}

/* Not wrappers: more than the free, another argument; their calls are silent. */
static void vl_free_reset(struct vl_table *t)
{
	kvfree(t->buf);
	t->len = 0;
}

static void vl_free_len(void *addr, size_t len)
{
	kvfree(addr);
}

void vl_table_reset(struct vl_table *t)
{
	vl_free_reset(t);
	vl_free_len(t->buf, t->len);
}

/*
 * A static kvfree() wrapper whose calls are all its uses: with them
 * converted it would be unused (gcc's -Wunused-function, an error under
 * CONFIG_WERROR), so the fix of its first call converts them all and
 * removes it (6.1's kernel/relay.c relay_free_page_array()). One also
 * called where the configuration does not compile it gets no fix (6.1's
 * mm/percpu.c pcpu_mem_free()). One whose address is also taken stays
 * used: its call alone is fixed.
 */

void vl_free_page_arrays(void *a, void *b)
{
	kvfree(a); /* expect: vmalloc-open-coded-kvfree */
	kvfree(b); /* expect: vmalloc-open-coded-kvfree */
}

static void vl_free_md(void *md)
{
	kvfree(md);
}

void vl_free_mds(void *a, void *b)
{
	vl_free_md(a); /* expect: vmalloc-open-coded-kvfree */
#ifdef CONFIG_VL_NEVER_SET
	vl_free_md(b);
#endif
}

static void vl_free_cb(void *p)
{
	kvfree(p);
}

void (*vl_free_hook)(void *) = vl_free_cb;

void vl_free_cb_user(void *p)
{
	kvfree(p); /* expect: vmalloc-open-coded-kvfree */
}
