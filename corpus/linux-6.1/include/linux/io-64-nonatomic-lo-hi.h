/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/io-64-nonatomic-lo-hi.h for the vmalloc-lint corpus. */
#ifndef _LINUX_IO_64_NONATOMIC_LO_HI_H_
#define _LINUX_IO_64_NONATOMIC_LO_HI_H_

#include <linux/io.h>

static inline void lo_hi_writeq(__u64 val, volatile void __iomem *addr)
{
	writel(val, addr);
	writel(val >> 32, addr + 4);
}

#endif	/* _LINUX_IO_64_NONATOMIC_LO_HI_H_ */
