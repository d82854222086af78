// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux Socket Filter - Kernel level socket filtering
 *
 * Based on the design of the Berkeley Packet Filter. The new
 * internal format has been designed by PLUMgrid:
 *
 *	Copyright (c) 2011-2014 PLUMgrid, http://plumgrid.com
 *
 * vmalloc-lint corpus: trimmed model of bpf_prog_realloc() from
 * kernel/bpf/core.c, with the gfp mask kept in a local variable that was
 * initialised with __GFP_HIGHMEM (as in the 4.x code).
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct bpf_prog_aux {
	struct bpf_prog *prog;
	u32 stack_depth;
};

struct bpf_prog {
	u16			pages;		/* Number of allocated pages */
	u16			jited:1,	/* Is our filter JIT'ed? */
				jit_requested:1;/* archs need to JIT the prog */
	u32			len;		/* Number of filter blocks */
	struct bpf_prog_aux	*aux;		/* Auxiliary fields */
	void			*stats;
	int			*active;
};

extern void __bpf_prog_free(struct bpf_prog *fp);

struct bpf_prog *bpf_prog_realloc(struct bpf_prog *fp_old, unsigned int size)
{
	gfp_t gfp_flags = GFP_KERNEL_ACCOUNT | __GFP_ZERO;
	struct bpf_prog *fp;
	u32 pages;

	size = ALIGN(size, PAGE_SIZE);
	pages = size / PAGE_SIZE;
	if (pages <= fp_old->pages)
		return fp_old;

	fp = __vmalloc(size, gfp_flags); /* expect: vmalloc-redundant-highmem */
	if (fp) {
		memcpy(fp, fp_old, fp_old->pages * PAGE_SIZE);
		fp->pages = pages;
		fp->aux->prog = fp;

		/* We keep fp->aux from fp_old around in the new
		 * reallocated structure.
		 */
		fp_old->aux = NULL;
		fp_old->stats = NULL;
		fp_old->active = NULL;
		__bpf_prog_free(fp_old);
	}

	return fp;
}
