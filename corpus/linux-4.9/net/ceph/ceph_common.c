/*
 * vmalloc-lint corpus: trimmed model of ceph_kvmalloc() from Linux 4.9
 * net/ceph/ceph_common.c. ceph_kvmalloc() is a gfp wrapper that ORs
 * __GFP_HIGHMEM into its caller's mask, so its callers are fine before
 * 4.12. No finding is expected here.
 */

#include <linux/kernel.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define PAGE_ALLOC_COSTLY_ORDER 3

void *ceph_kvmalloc(size_t size, gfp_t flags)
{
	if (size <= (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER)) {
		void *ptr = kmalloc(size, flags | __GFP_NOWARN);
		if (ptr)
			return ptr;
	}

	return __vmalloc(size, flags | __GFP_HIGHMEM, PAGE_KERNEL);
}

void ceph_kvfree(const void *ptr)
{
	kvfree(ptr);
}

/* Front buffers of large OSD replies. */
void *ceph_msg_front_alloc(size_t front_len)
{
	return ceph_kvmalloc(front_len, GFP_NOFS); /* silent: the wrapper adds __GFP_HIGHMEM */
}
