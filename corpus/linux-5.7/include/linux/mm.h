/* Trimmed model of the real include/linux/mm.h for the vmalloc-lint corpus. */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mmdebug.h>
#include <linux/mm_types.h>
#include <asm/page.h>

struct vm_area_struct {
	unsigned long vm_start;		/* Our start address within vm_mm. */
	unsigned long vm_end;		/* The first byte after our end address
					   within vm_mm. */
	unsigned long vm_flags;		/* Flags, see mm.h. */
	unsigned long vm_pgoff;		/* Offset (within vm_file) in PAGE_SIZE
					   units */
	void *vm_private_data;		/* was vm_pte (shared mem) */
};

extern unsigned long totalram_pages;

/* to align the pointer to the (next) page boundary */
#define PAGE_ALIGN(addr) ALIGN(addr, PAGE_SIZE)

/* (static inline comparing against VMALLOC_START/END in the real tree) */
extern bool is_vmalloc_addr(const void *x);

extern void kvfree(const void *addr);

extern struct page *vmalloc_to_page(const void *addr);
extern unsigned long vmalloc_to_pfn(const void *addr);

extern void *page_address(const struct page *page);

extern __printf(2, 3)
void warn_alloc(gfp_t gfp_mask, const char *fmt, ...);

#endif /* _LINUX_MM_H */
