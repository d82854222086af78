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
	r->buf = kmalloc(len, GFP_KERNEL | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!r->buf)
		r->buf = vmalloc(len);
	if (!r->buf)
		return -ENOMEM;
	r->len = len;
	return 0;
}

/* A declaration, a NULL test, braces. */
void *vl_table_alloc(size_t n)
{
	unsigned long *t = kzalloc(n * sizeof(*t), GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */

	if (t == NULL) {
		t = vzalloc(n * sizeof(*t));
	}
	return t;
}

/* kcalloc() and vzalloc(array_size()): kvcalloc() keeps the overflow check. */
int vl_ring_map(struct vl_ring *r, unsigned int n)
{
	r->map = kcalloc(n, sizeof(*r->map), GFP_KERNEL | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!r->map)
		r->map = vzalloc(array_size(n, sizeof(*r->map)));
	return r->map ? 0 : -ENOMEM;
}

/* kmalloc_array() and vmalloc(n * size). */
int vl_ring_idx(struct vl_ring *r, unsigned int n)
{
	r->idx = kmalloc_array(n, sizeof(unsigned int), GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	if (!r->idx)
		r->idx = vmalloc(n * sizeof(unsigned int));
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

	if (array_size > PAGE_SIZE)
		pages = vzalloc(array_size);
	else
		pages = kzalloc(array_size, GFP_KERNEL);
	return pages;
}

/* By size with the costly order, the kmalloc() branch first. */
int vl_ring_big(struct vl_ring *r, size_t len)
{
	if (len <= (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER)) /* expect: vmalloc-open-coded-kvmalloc */
		r->buf = kmalloc(len, GFP_KERNEL);
	else
		r->buf = vmalloc(len);
	return r->buf ? 0 : -ENOMEM;
}

/* GFP_NOFS: 6.1's kvmalloc() takes it (memalloc_nofs_save() in vmalloc). */
int vl_log_alloc(struct vl_ring *r, size_t len)
{
	void *p = kmalloc(len, GFP_NOFS | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */

	if (!p)
		p = __vmalloc(len, GFP_NOFS);
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
	r->buf = kmalloc(len, GFP_KERNEL | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!r->buf) {
		r->buf = vmalloc(len);
		if (!r->buf)
			return -ENOMEM;
	}
	r->len = len;
	return 0;
}

/* Only large sizes fall back (core_sys_select()): kvmalloc() does the same. */
int vl_select_alloc(struct vl_ring *r, size_t len)
{
	r->buf = kmalloc(len, GFP_KERNEL | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!r->buf && len > PAGE_SIZE)
		r->buf = vmalloc(len);
	return r->buf ? 0 : -ENOMEM;
}

/* By size, as a conditional (bcache_device_init()). */
int vl_stripes_alloc(struct vl_ring *r, size_t n)
{
	r->map = n < PAGE_SIZE << 6 ? kzalloc(n, GFP_KERNEL) : vzalloc(n); /* expect: vmalloc-open-coded-kvmalloc */
	return r->map ? 0 : -ENOMEM;
}

/* A helper whose whole body is the pattern (mlx5_vzalloc()): its calls. */
static void *vl_vzalloc(unsigned long size) /* expect: vmalloc-open-coded-kvmalloc */
{
	void *rtn;

	rtn = kzalloc(size, GFP_KERNEL | __GFP_NOWARN);
	if (!rtn)
		rtn = vzalloc(size);
	return rtn;
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

/* An array helper with its overflow check (drm_malloc_ab()). */
static void *vl_malloc_ab(size_t nmemb, size_t size) /* expect: vmalloc-open-coded-kvmalloc */
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;

	if (size * nmemb <= PAGE_SIZE)
		return kmalloc(nmemb * size, GFP_KERNEL);

	return vmalloc(size * nmemb);
}

int vl_ring_helpers(struct vl_ring *r, unsigned int n)
{
	r->buf = vl_vzalloc(n * sizeof(long)); /* expect: vmalloc-open-coded-kvmalloc */
	r->map = vl_kvmalloc(n, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	r->idx = vl_malloc_ab(n, sizeof(*r->idx)); /* expect: vmalloc-open-coded-kvmalloc */
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
