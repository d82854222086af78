/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/bitops.h (+ asm-generic/bitsperlong.h) for the vmalloc-lint corpus. */
#ifndef _LINUX_BITOPS_H
#define _LINUX_BITOPS_H

#include <linux/kernel.h>

#ifdef CONFIG_64BIT
#define BITS_PER_LONG 64
#else
#define BITS_PER_LONG 32
#endif /* CONFIG_64BIT */

#define BITS_PER_TYPE(type)	(sizeof(type) * 8)
#define BITS_TO_LONGS(nr)	DIV_ROUND_UP(nr, BITS_PER_TYPE(long))

#endif
