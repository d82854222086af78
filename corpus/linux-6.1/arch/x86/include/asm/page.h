/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real arch/x86/include/asm/page.h for the vmalloc-lint corpus. */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

#include <linux/types.h>

#include <asm/page_types.h>
#include <asm/page_64.h>
#include <asm/pgtable_types.h>

#ifndef __ASSEMBLY__

struct page;

/*
 * __pa() is the physical address of a linear-map (or kernel image)
 * address; __va() the reverse.
 */
#define __pa(x)		__phys_addr((unsigned long)(x))

#ifndef __va
#define __va(x)			((void *)((unsigned long)(x)+PAGE_OFFSET))
#endif

/*
 * virt_to_page(kaddr) returns a valid pointer if and only if
 * virt_addr_valid(kaddr) returns true.
 */
#define virt_to_page(kaddr)	pfn_to_page(__pa(kaddr) >> PAGE_SHIFT)
#define pfn_to_kaddr(pfn)      __va((pfn) << PAGE_SHIFT)
extern bool __virt_addr_valid(unsigned long kaddr);
#define virt_addr_valid(kaddr)	__virt_addr_valid((unsigned long) (kaddr))

#include <asm-generic/memory_model.h>

#endif	/* __ASSEMBLY__ */

#endif /* _ASM_X86_PAGE_H */
