// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc-lint corpus: inline suppressions with clang-tidy's rules. The
 * suppressed lines carry no expect: annotation; the lines a directive does
 * not reach (another check, two lines down, outside the block) do. The CLI
 * and the clang-tidy plugin must agree.
 */

#include <linux/gfp.h>
#include <linux/vmalloc.h>

#define VL_NOLINT_TABLE_GFP	(GFP_KERNEL | __GFP_HIGHMEM)

void *vl_nolint_bare(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM); // NOLINT
}

void *vl_nolint_listed(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM); // NOLINT(vmalloc-redundant-highmem)
}

void *vl_nolint_glob(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM); /* NOLINT(misc-*, vmalloc-*highmem) */
}

void *vl_nolint_other_check(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL); /* NOLINT(vmalloc-zone-gfp) */ /* expect: vmalloc-redundant-highmem */
}

void *vl_nolint_next_line(unsigned long n)
{
	/* NOLINTNEXTLINE(vmalloc-redundant-highmem) */
	return __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);
}

void *vl_nolint_next_line_too_far(unsigned long n)
{
	/* NOLINTNEXTLINE */
	void *p;

	p = __vmalloc(n, GFP_KERNEL); /* expect: vmalloc-redundant-highmem */
	return p;
}

/* NOLINTBEGIN(vmalloc-*) */
void *vl_nolint_block(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL | __GFP_ZERO | __GFP_HIGHMEM);
}
/* NOLINTEND(vmalloc-*) */

void *vl_nolint_after_block(unsigned long n)
{
	return __vmalloc(n, GFP_KERNEL | __GFP_ZERO); /* expect: vmalloc-redundant-highmem */
}

/* The flag is spelled in the macro's body: the directive at the expansion
 * site suppresses it, as clang-tidy looks at a macro's expansion locations.
 */
void *vl_nolint_macro(unsigned long n)
{
	return __vmalloc(n, VL_NOLINT_TABLE_GFP); // NOLINT(vmalloc-redundant-highmem)
}
