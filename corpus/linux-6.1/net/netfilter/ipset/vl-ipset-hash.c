// SPDX-License-Identifier: GPL-2.0
/*
 * vl-ipset, a set type with its own copy of 4.12's ip_set_alloc() shape:
 * kmalloc() memory, or vzalloc() memory when the size is large or kmalloc()
 * fails.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-free-mismatch. One call of the helper
 * may return either kind, so its caller's kfree() or vfree() is wrong
 * whichever path the helper took: kvfree(), or the free that
 * is_vmalloc_addr() picks, is right. Inside the helper each path frees the
 * kind it allocated and is silent.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vl_hash_table {
	void *buckets;
	size_t htable_size;
};

static void *vl_hash_alloc(size_t size, bool zero_check)
{
	void *members = NULL;

	if (size < KMALLOC_MAX_SIZE)
		members = kzalloc(size, GFP_KERNEL | __GFP_NOWARN);

	if (members) {
		if (zero_check && !*(char *)members) {
			kfree(members); /* silent */
			return NULL;
		}
		return members;
	}

	members = vzalloc(size);
	if (!members)
		return NULL;
	if (zero_check && !*(char *)members) {
		vfree(members); /* silent */
		return NULL;
	}
	return members;
}

int vl_hash_create(struct vl_hash_table *t, size_t size)
{
	t->buckets = vl_hash_alloc(size, false);
	if (!t->buckets)
		return -ENOMEM;
	t->htable_size = size;
	return 0;
}

/* ip_set_bitmap_ip.c:322 before the fix: kfree() of ip_set_alloc() memory. */
int vl_hash_resize(struct vl_hash_table *t, size_t size)
{
	void *n = vl_hash_alloc(size, false);

	if (!n)
		return -ENOMEM;
	if (size < t->htable_size) {
		kfree(n); /* expect: vmalloc-free-mismatch */
		return -EINVAL;
	}
	t->buckets = n;
	t->htable_size = size;
	return 0;
}

int vl_hash_test(size_t size)
{
	void *n = vl_hash_alloc(size, true);

	if (!n)
		return -ENOMEM;
	vfree(n); /* expect: vmalloc-free-mismatch */
	return 0;
}

int vl_hash_test_kv(size_t size)
{
	void *n = vl_hash_alloc(size, true);

	if (!n)
		return -ENOMEM;
	kvfree(n); /* silent */
	return 0;
}

/* The free chosen by is_vmalloc_addr(): right, and an open-coded kvfree(). */
void vl_hash_destroy(struct vl_hash_table *t)
{
	if (is_vmalloc_addr(t->buckets)) /* expect: vmalloc-open-coded-kvfree */
		vfree(t->buckets);
	else
		kfree(t->buckets);
}
