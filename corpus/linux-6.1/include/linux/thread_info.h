/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/thread_info.h for the vmalloc-lint corpus. */
#ifndef _LINUX_THREAD_INFO_H
#define _LINUX_THREAD_INFO_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <asm/page.h>

#ifndef THREAD_ALIGN
#define THREAD_ALIGN	THREAD_SIZE
#endif

#define THREADINFO_GFP		(GFP_KERNEL_ACCOUNT | __GFP_ZERO)

#endif /* _LINUX_THREAD_INFO_H */
