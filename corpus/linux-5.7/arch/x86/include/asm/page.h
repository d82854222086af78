/* Trimmed model of the real arch/x86/include/asm/page.h for the vmalloc-lint corpus. */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

#include <linux/types.h>

#include <asm/page_types.h>
#include <asm/pgtable_types.h>

#ifndef __ASSEMBLY__

struct page;

#endif	/* __ASSEMBLY__ */

#endif /* _ASM_X86_PAGE_H */
