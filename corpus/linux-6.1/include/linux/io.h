/* SPDX-License-Identifier: GPL-2.0-only */
/* Trimmed model of the real include/linux/io.h for the vmalloc-lint corpus. */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H

#include <linux/types.h>
#include <asm/io.h>

#endif /* _LINUX_IO_H */
