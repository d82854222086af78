/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/asm-generic/cacheflush.h for the vmalloc-lint corpus. */
#ifndef _ASM_GENERIC_CACHEFLUSH_H
#define _ASM_GENERIC_CACHEFLUSH_H

struct page;

/* x86: caches are coherent, the flushes do nothing. */
static inline void flush_dcache_page(struct page *page)
{
}

#endif /* _ASM_GENERIC_CACHEFLUSH_H */
