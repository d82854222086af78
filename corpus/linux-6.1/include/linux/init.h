/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/init.h for the vmalloc-lint corpus. */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

/* These are for everybody (although not all archs will actually
   discard it in modules) */
#define __init		__section(".init.text") __cold
#define __initdata	__section(".init.data")
#define __exit          __section(".exit.text") __cold

#define __meminit        __section(".meminit.text") __cold

typedef int (*initcall_t)(void);

#define __define_initcall(fn, id) \
	static initcall_t __initcall_##fn##id __used \
	__section(".initcall" #id ".init") = fn;

#define device_initcall(fn)		__define_initcall(fn, 6)
#define late_initcall(fn)		__define_initcall(fn, 7)

#endif /* _LINUX_INIT_H */
