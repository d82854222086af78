/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/cacheflush.h for the vmalloc-lint corpus. */
#ifndef _LINUX_CACHEFLUSH_H
#define _LINUX_CACHEFLUSH_H

#include <asm-generic/cacheflush.h>

#endif /* _LINUX_CACHEFLUSH_H */
