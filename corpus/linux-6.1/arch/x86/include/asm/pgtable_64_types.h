/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real arch/x86/include/asm/pgtable_64_types.h (4-level paging) for the vmalloc-lint corpus. */
#ifndef _ASM_X86_PGTABLE_64_DEFS_H
#define _ASM_X86_PGTABLE_64_DEFS_H

#include <asm/page_types.h>

#ifndef __ASSEMBLY__
#include <linux/types.h>

/*
 * These are used to make use of C type-checking..
 */
typedef unsigned long	pteval_t;
typedef unsigned long	pmdval_t;
typedef unsigned long	pudval_t;
typedef unsigned long	p4dval_t;
typedef unsigned long	pgdval_t;
typedef unsigned long	pgprotval_t;

#endif	/* !__ASSEMBLY__ */

#define __VMALLOC_BASE_L4	0xffffc90000000000UL
#define VMALLOC_SIZE_TB_L4	32UL

#define VMALLOC_START		__VMALLOC_BASE_L4
#define VMALLOC_SIZE_TB		VMALLOC_SIZE_TB_L4

/*
 * End of the region for which vmalloc page tables are pre-allocated.
 */
#define VMALLOC_END		(VMALLOC_START + (VMALLOC_SIZE_TB << 40) - 1)

#define MODULES_VADDR		(__START_KERNEL_map + KERNEL_IMAGE_SIZE)
/* The module sections ends with the start of the fixmap */
#define MODULES_END		_AC(0xffffffffff000000, UL)
#define MODULES_LEN		(MODULES_END - MODULES_VADDR)

#endif /* _ASM_X86_PGTABLE_64_DEFS_H */
