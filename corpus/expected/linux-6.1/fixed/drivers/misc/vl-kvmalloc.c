// SPDX-License-Identifier: GPL-2.0
/*
 * vl-kvmalloc: tables that are kmalloc()ed, and vmalloc()ed when kmalloc()
 * fails or the size is large, written before the driver used kvmalloc(),
 * in the shapes v4.12's "treewide: use kv[mz]alloc* rather than opencoded
 * variants" replaced: inline on failure and by size, kcalloc() and
 * kmalloc_array() with vmalloc(n * size) or vmalloc(array_size(n, size)),
 * and local helpers (mlx5_vzalloc(), f2fs_kvmalloc(), drm_malloc_ab()).
 *
 * vmalloc-lint corpus, pass 2: vmalloc-open-coded-kvmalloc. 6.1's
 * kvmalloc() falls back to vmalloc for every blocking mask (GFP_NOFS too),
 * not for GFP_ATOMIC/GFP_NOWAIT. Look-alikes stay silent: two objects, two
 * sizes, vmalloc() for the small sizes.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vl_ring {
	void *buf;
	unsigned long *map;
	unsigned int *idx;
	size_t len;
};

/* kmalloc(), vmalloc() if that fails: kvmalloc() warns and retries itself. */
int vl_ring_alloc(struct vl_ring *r, size_t len)
{
	r->buf = kvmalloc(len, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	if (!r->buf)
		return -ENOMEM;
	r->len = len;
	return 0;
}

/* A declaration, a NULL test, braces. */
void *vl_table_alloc(size_t n)
{
	unsigned long *t = kvzalloc(n * sizeof(*t), GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	return t;
}

/* kcalloc() and vzalloc(array_size()): kvcalloc() keeps the overflow check. */
int vl_ring_map(struct vl_ring *r, unsigned int n)
{
	r->map = kvcalloc(n, sizeof(*r->map), GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	return r->map ? 0 : -ENOMEM;
}

/* kmalloc_array() and vmalloc(n * size). */
int vl_ring_idx(struct vl_ring *r, unsigned int n)
{
	r->idx = kvmalloc_array(n, sizeof(unsigned int), GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	return r->idx ? 0 : -ENOMEM;
}

/*
 * By size, as arch/arm's __iommu_alloc_buffer() does; and a function whose
 * whole body it is, with external linkage (ipc_alloc()): its body becomes
 * the call.
 */
void *vl_pages_alloc(size_t array_size) /* expect: vmalloc-open-coded-kvmalloc */
{
	void *pages;

	pages = kvzalloc(array_size, GFP_KERNEL);
	return pages;
}

/* By size with the costly order, the kmalloc() branch first. */
int vl_ring_big(struct vl_ring *r, size_t len)
{
	r->buf = kvmalloc(len, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	return r->buf ? 0 : -ENOMEM;
}

/* GFP_NOFS: 6.1's kvmalloc() takes it (memalloc_nofs_save() in vmalloc). */
int vl_log_alloc(struct vl_ring *r, size_t len)
{
	void *p = kvmalloc(len, GFP_NOFS); /* expect: vmalloc-open-coded-kvmalloc */
	r->buf = p;
	return p ? 0 : -ENOMEM;
}

/* GFP_ATOMIC: kvmalloc() would not fall back to vmalloc; reported, no fix. */
int vl_irq_alloc(struct vl_ring *r, size_t len)
{
	r->buf = kmalloc(len, GFP_ATOMIC); /* expect: vmalloc-open-coded-kvmalloc */
	if (!r->buf)
		r->buf = vmalloc(len);
	return r->buf ? 0 : -ENOMEM;
}

/* The fallback with its own NULL check (btrfs_ioctl_send()): the check stays. */
int vl_send_alloc(struct vl_ring *r, size_t len)
{
	r->buf = kvmalloc(len, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	if (!r->buf)
		return -ENOMEM;
	r->len = len;
	return 0;
}

/* Only large sizes fall back (core_sys_select()): kvmalloc() does the same. */
int vl_select_alloc(struct vl_ring *r, size_t len)
{
	r->buf = kvmalloc(len, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	return r->buf ? 0 : -ENOMEM;
}

/* By size, as a conditional (bcache_device_init()). */
int vl_stripes_alloc(struct vl_ring *r, size_t n)
{
	r->map = kvzalloc(n, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	return r->map ? 0 : -ENOMEM;
}

/* A helper with the caller's mask (f2fs_kvmalloc()). */
static void *vl_kvmalloc(size_t size, gfp_t flags) /* expect: vmalloc-open-coded-kvmalloc */
{
	void *ret;

	ret = kmalloc(size, flags | __GFP_NOWARN);
	if (!ret)
		ret = __vmalloc(size, flags);
	return ret;
}

int vl_ring_helpers(struct vl_ring *r, unsigned int n)
{
	r->buf = kvzalloc(n * sizeof(long), GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	r->map = kvmalloc(n, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	r->idx = kvmalloc_array(n, sizeof(*r->idx), GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	return 0;
}

void *vl_ring_nowait(size_t len)
{
	return vl_kvmalloc(len, GFP_NOWAIT); /* expect: vmalloc-open-coded-kvmalloc vmalloc-unsupported-gfp */
}

/* Look-alikes: silent. */

/* Two objects: a kmalloc()ed header, a vmalloc()ed body. */
int vl_two_objects(struct vl_ring *r, size_t len)
{
	r->buf = kmalloc(64, GFP_KERNEL);
	if (!r->buf)
		return -ENOMEM;
	r->map = vmalloc(len);
	if (!r->map)
		r->map = vmalloc(len / 2);
	return 0;
}

/* A fallback of another size: a smaller table, not the same allocation. */
void *vl_smaller(size_t len)
{
	void *p = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);

	if (!p)
		p = vmalloc(len / 2);
	return p;
}

/* vmalloc() for the small sizes: not what kvmalloc() does. */
void *vl_backwards(size_t len)
{
	void *p;

	if (len < PAGE_SIZE)
		p = vmalloc(len);
	else
		p = kmalloc(len, GFP_KERNEL);
	return p;
}

/* Another pointer tested and assigned. */
void vl_other_pointer(struct vl_ring *r, size_t len)
{
	r->buf = kmalloc(len, GFP_KERNEL);
	if (!r->map)
		r->map = vmalloc(len);
}

void vl_ring_free(struct vl_ring *r)
{
	kvfree(r->buf);
	kvfree(r->map);
	kvfree(r->idx);
}
