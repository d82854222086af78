/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/compiler.h for the vmalloc-lint corpus. */
#ifndef __LINUX_COMPILER_H
#define __LINUX_COMPILER_H

#include <linux/compiler_types.h>

#ifndef __ASSEMBLY__

# define likely(x)	__builtin_expect(!!(x), 1)
# define unlikely(x)	__builtin_expect(!!(x), 0)

/* Optimization barrier */
# define barrier() __asm__ __volatile__("": : :"memory")

#endif /* __ASSEMBLY__ */

#endif /* __LINUX_COMPILER_H */
