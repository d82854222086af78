// SPDX-License-Identifier: GPL-2.0
/*
 * vl-layouts: __GFP_HIGHMEM in the layouts kernel code writes it, beyond a
 * plain `A | B` on one line: OR chains with comments beside the flags, and
 * masks set once in a local that only vmalloc calls get.
 *
 * vmalloc-lint corpus, pass 1: vmalloc-redundant-highmem with its fix.
 * A comment stays with the operand it describes (the rest of that
 * operand's line, or its own lines before the next); the dropped flag's
 * comments go with it. A local's initialiser is fixed when it is the only
 * mask the local holds and every use is a vmalloc gfp argument.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

extern void vl_note_gfp(gfp_t gfp);
extern void vl_adjust_gfp(gfp_t *gfp);

struct vl_tables {
	unsigned long *keys;
	unsigned long *vals;
};

/* The layout, in a local: the comment is GFP_NOIO's, it stays. */
void *vl_layout_noio(unsigned long size)
{
	gfp_t gfp = GFP_NOIO |	/* called with the queue frozen */
		    __GFP_NOWARN;

	return __vmalloc(size, gfp); /* expect: vmalloc-redundant-highmem */
}

/* The flag shares its line with the next one: that one takes its place. */
void *vl_layout_shared_line(unsigned long size)
{
	return __vmalloc(size, GFP_NOIO |	/* no fs recursion */
			 __GFP_NOWARN); /* expect: vmalloc-redundant-highmem */
}

/* A comment on its own line before the flag is the flag's: it goes too. */
void *vl_layout_own_comment(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL); /* expect: vmalloc-redundant-highmem */
}

/* Leading bars: the comment at the end of __GFP_ZERO's line stays. */
void *vl_layout_leading_bars(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL
			 | __GFP_ZERO	/* cleared for the parser */); /* expect: vmalloc-redundant-highmem */
}

/* Negative fix: a // comment before the last flag would swallow the ')'. */
void *vl_layout_line_comment(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | // no reclaim games
			 __GFP_HIGHMEM); /* expect: vmalloc-redundant-highmem */
}

/* One local, two vmalloc calls: one edit, at the initialiser. */
int vl_layout_tables(struct vl_tables *t, unsigned long n)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO;

	t->keys = __vmalloc(n * sizeof(*t->keys), gfp); /* expect: vmalloc-redundant-highmem */
	t->vals = __vmalloc(n * sizeof(*t->vals), gfp); /* expect: vmalloc-redundant-highmem */
	if (!t->keys || !t->vals)
		return -ENOMEM;
	return 0;
}

/* Negative fix: assigned again, the initialiser is not the only mask. */
void *vl_layout_reassigned(unsigned long size, bool noio)
{
	gfp_t gfp = GFP_KERNEL | __GFP_HIGHMEM;

	if (noio)
		gfp = GFP_NOIO | __GFP_HIGHMEM;
	return __vmalloc(size, gfp); /* expect: vmalloc-redundant-highmem */
}

/* Negative fix: the mask also goes elsewhere, which needs the flag. */
void *vl_layout_escapes(unsigned long size)
{
	gfp_t gfp = GFP_KERNEL | __GFP_HIGHMEM;

	vl_note_gfp(gfp);
	return __vmalloc(size, gfp); /* expect: vmalloc-redundant-highmem */
}

/* Negative fix: its address is taken, anything may change it. */
void *vl_layout_address_taken(unsigned long size)
{
	gfp_t gfp = GFP_KERNEL | __GFP_HIGHMEM;

	vl_adjust_gfp(&gfp);
	return __vmalloc(size, gfp); /* expect: vmalloc-redundant-highmem */
}

/* Silent: a local without the flag, comments and all. */
void *vl_layout_clean(unsigned long size)
{
	gfp_t gfp = GFP_NOIO |	/* called with the queue frozen */
		    __GFP_NOWARN;

	return __vmalloc(size, gfp); /* silent */
}

/*
 * Two lines that fit on one of 80 columns once the flag is gone are
 * joined, as 4.12's kernel/bpf/core.c joined `gfp_t gfp_flags = ...`.
 */
void *vl_layout_join(unsigned long size, gfp_t gfp_extra_flags)
{
	gfp_t gfp_flags = GFP_KERNEL | __GFP_ZERO | gfp_extra_flags;

	return __vmalloc(size, gfp_flags); /* expect: vmalloc-redundant-highmem */
}

/* Still over 80 columns on one line: the layout stays. */
void *vl_layout_no_join(unsigned long size, gfp_t gfp_extra_flags)
{
	gfp_t gfp_flags_for_the_table = GFP_KERNEL | __GFP_ZERO |
					__GFP_NOWARN | gfp_extra_flags;

	return __vmalloc(size, gfp_flags_for_the_table); /* expect: vmalloc-redundant-highmem */
}
