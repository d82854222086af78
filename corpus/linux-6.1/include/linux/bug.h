/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/bug.h (+ asm-generic/bug.h) for the vmalloc-lint corpus. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/build_bug.h>

#define BUG() do {			\
	__builtin_trap();		\
} while (0)

#define BUG_ON(condition) do { if (unlikely(condition)) BUG(); } while (0)

extern __printf(1, 2) void __warn_printk(const char *fmt, ...);

#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__warn_printk("WARNING at %s:%d\n", __FILE__, __LINE__);	\
	unlikely(__ret_warn_on);					\
})

#define WARN_ON_ONCE(condition)	WARN_ON(condition)

#endif	/* _LINUX_BUG_H */
