/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real arch/x86/include/asm/page_64_types.h for the vmalloc-lint corpus. */
#ifndef _ASM_X86_PAGE_64_DEFS_H
#define _ASM_X86_PAGE_64_DEFS_H

#ifdef CONFIG_KASAN
#define KASAN_STACK_ORDER 1
#else
#define KASAN_STACK_ORDER 0
#endif

#define THREAD_SIZE_ORDER	(2 + KASAN_STACK_ORDER)
#define THREAD_SIZE  (PAGE_SIZE << THREAD_SIZE_ORDER)

#define __START_KERNEL_map	_AC(0xffffffff80000000, UL)

#define KERNEL_IMAGE_SIZE	(1024 * 1024 * 1024)

#endif /* _ASM_X86_PAGE_64_DEFS_H */
