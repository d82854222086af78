/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real arch/x86/include/asm/io.h for the vmalloc-lint corpus. */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H

#include <linux/compiler.h>
#include <asm/page.h>

#define build_mmio_write(name, size, type, reg, barrier) \
static inline void name(type val, volatile void __iomem *addr) \
{ asm volatile("mov" size " %0,%1": :reg (val), \
"m" (*(volatile type __force *)addr) barrier); }

build_mmio_write(writel, "l", unsigned int, "r", :"memory")
build_mmio_write(__writel, "l", unsigned int, "r", )

#define writel_relaxed(v, a)	__writel(v, a)
#define __raw_writel __writel

build_mmio_write(writeq, "q", u64, "r", :"memory")

/**
 *	virt_to_phys	-	map virtual addresses to physical
 *	@address: address to remap
 *
 *	The returned physical address is the physical (CPU) mapping for
 *	the memory address given. It is only valid to use this function on
 *	addresses directly mapped or allocated via kmalloc.
 */
static inline phys_addr_t virt_to_phys(volatile void *address)
{
	return __pa(address);
}
#define virt_to_phys virt_to_phys

/*
 * Change "struct page" to physical address.
 */
#define page_to_phys(page)    ((dma_addr_t)page_to_pfn(page) << PAGE_SHIFT)

extern void iowrite32(u32, void __iomem *);

#endif /* _ASM_X86_IO_H */
