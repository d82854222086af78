// SPDX-License-Identifier: GPL-2.0
/*
 * vl-kvmalloc-blocks: open-coded kvmalloc() shapes of 4.11 with more in the
 * fallback's block, or the kmalloc in a block of its own, that v4.12
 * converted by hand: a small-size exit before the fallback that fails as
 * its own NULL check does (keyctl's add_key() and
 * keyctl_instantiate_key_common()), a WARN_ON() of the mask before the
 * fallback (lustre's libcfs_kvzalloc_cpt()), the kmalloc under a size test
 * with its result returned unless NULL (dm-stats' dm_kvzalloc()), and an
 * array whose fallback spells the product its own way (sch_choke's
 * choke_change()).
 *
 * vmalloc-lint corpus, pass 2: vmalloc-open-coded-kvmalloc, 6.1's rules.
 * Look-alikes stay silent: an exit that fails another way, a warning about
 * something else than the mask, a kmalloc'ed pointer returned where the
 * vmalloc'ed one is not.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct vl_key {
	void *payload;
	size_t plen;
	int serial;
};

/*
 * A small-size exit in the fallback's block, failing as the fallback's own
 * check does (add_key() in 4.11): kvmalloc() does not vmalloc below
 * PAGE_SIZE either; the own check stays.
 */
int vl_key_payload(struct vl_key *k, size_t plen)
{
	int ret;

	ret = -ENOMEM;
	k->payload = kmalloc(plen, GFP_KERNEL | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!k->payload) {
		if (plen <= PAGE_SIZE)
			goto error;
		k->payload = vmalloc(plen);
		if (!k->payload)
			goto error;
	}
	k->plen = plen;
	ret = 0;
error:
	return ret;
}

/* The same with a return (keyctl_instantiate_key_common()'s shape). */
void *vl_key_buffer(size_t plen)
{
	void *payload;

	payload = kmalloc(plen, GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	if (!payload) {
		if (plen <= PAGE_SIZE)
			return NULL;
		payload = vmalloc(plen);
		if (!payload)
			return NULL;
	}
	memset(payload, 0, plen);
	return payload;
}

/*
 * A WARN_ON() of the mask before the fallback (libcfs_kvzalloc_cpt()): a
 * helper whose mask is the caller's, reported once without a fix of its
 * body; its call with GFP_KERNEL becomes kvzalloc().
 */
void *vl_zalloc_checked(size_t size, gfp_t flags) /* expect: vmalloc-open-coded-kvmalloc */
{
	void *ret;

	ret = kzalloc(size, flags | __GFP_NOWARN);
	if (!ret) {
		WARN_ON(!(flags & (__GFP_FS | __GFP_HIGH)));
		ret = vzalloc(size);
	}

	return ret;
}

int vl_key_table(struct vl_key *k, size_t n)
{
	k->payload = vl_zalloc_checked(n * sizeof(int), GFP_KERNEL); /* expect: vmalloc-open-coded-kvmalloc */
	return k->payload ? 0 : -ENOMEM;
}

/*
 * The kmalloc under a size test, its result returned unless NULL, then the
 * fallback (dm_kvzalloc()): kvzalloc_node(); the kmalloc attempt's own
 * __GFP_NORETRY and __GFP_NOWARN go (kvmalloc sets them there itself).
 */
void *vl_shared_alloc(size_t alloc_size, int node, int *claimed)
{
	void *p;

	if (!*claimed)
		return NULL;

	if (alloc_size <= KMALLOC_MAX_SIZE) { /* expect: vmalloc-open-coded-kvmalloc */
		p = kzalloc_node(alloc_size, GFP_KERNEL | __GFP_NORETRY | __GFP_NOMEMALLOC | __GFP_NOWARN, node);
		if (p)
			return p;
	}
	p = vzalloc_node(alloc_size, node);
	if (p)
		return p;

	*claimed = 0;

	return NULL;
}

/*
 * An array whose fallback spells the product its own way (choke_change():
 * `kcalloc(mask + 1, ...)`, `vzalloc((mask + 1) * ...)`): the kv* call
 * takes the fallback's spelling, as v4.12 wrote it.
 */
int vl_key_ring(struct vl_key *k, unsigned int mask)
{
	void **ntab;

	ntab = kcalloc(mask + 1, sizeof (void *), GFP_KERNEL | __GFP_NOWARN); /* expect: vmalloc-open-coded-kvmalloc */
	if (!ntab)
		ntab = vzalloc((mask + 1) * sizeof(void *));
	if (!ntab)
		return -ENOMEM;
	k->payload = ntab;
	return 0;
}

/* Look-alikes: silent. */

/* The small-size exit fails another way than the fallback's own check. */
int vl_key_exit_other(struct vl_key *k, size_t plen)
{
	k->payload = kmalloc(plen, GFP_KERNEL | __GFP_NOWARN);
	if (!k->payload) {
		if (plen <= PAGE_SIZE)
			return -E2BIG;
		k->payload = vmalloc(plen);
		if (!k->payload)
			return -ENOMEM;
	}
	return 0;
}

/* The exit tests the large sizes: vmalloc() only for the small ones. */
int vl_key_exit_large(struct vl_key *k, size_t plen)
{
	k->payload = kmalloc(plen, GFP_KERNEL | __GFP_NOWARN);
	if (!k->payload) {
		if (plen > PAGE_SIZE)
			return -ENOMEM;
		k->payload = vmalloc(plen);
		if (!k->payload)
			return -ENOMEM;
	}
	return 0;
}

/* A warning about something else than the mask. */
void *vl_zalloc_warned(size_t size, int *busy)
{
	void *ret;

	ret = kzalloc(size, GFP_KERNEL | __GFP_NOWARN);
	if (!ret) {
		WARN_ON(*busy);
		ret = vzalloc(size);
	}
	return ret;
}

/* The kmalloc'ed pointer returned at once, the vmalloc'ed one not. */
void *vl_shared_counted(size_t alloc_size, int node, int *count)
{
	void *p;

	if (alloc_size <= KMALLOC_MAX_SIZE) {
		p = kzalloc_node(alloc_size, GFP_KERNEL | __GFP_NOWARN, node);
		if (p)
			return p;
	}
	p = vzalloc_node(alloc_size, node);
	(*count)++;
	return p;
}
