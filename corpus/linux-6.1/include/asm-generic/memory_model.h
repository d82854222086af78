/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/asm-generic/memory_model.h for the vmalloc-lint corpus. */
#ifndef __ASM_MEMORY_MODEL_H
#define __ASM_MEMORY_MODEL_H

#include <linux/pfn.h>

#ifndef __ASSEMBLY__

/* CONFIG_SPARSEMEM_VMEMMAP: memmap is virtually contiguous. */
#define vmemmap ((struct page *)vmemmap_base)

#define __pfn_to_page(pfn)	(vmemmap + (pfn))
#define __page_to_pfn(page)	(unsigned long)((page) - vmemmap)

#define page_to_pfn __page_to_pfn
#define pfn_to_page __pfn_to_page

#endif /* __ASSEMBLY__ */

#endif
