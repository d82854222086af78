/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/compiler_attributes.h for the vmalloc-lint corpus. */
#ifndef __LINUX_COMPILER_ATTRIBUTES_H
#define __LINUX_COMPILER_ATTRIBUTES_H

#define __alloc_size__(x, ...)		__attribute__((__alloc_size__(x, ## __VA_ARGS__)))
#define __aligned(x)                    __attribute__((__aligned__(x)))
#define __always_inline                 inline __attribute__((__always_inline__))
#define __cold                          __attribute__((__cold__))
#define __malloc                        __attribute__((__malloc__))
#define __maybe_unused                  __attribute__((__unused__))
#define __must_check                    __attribute__((__warn_unused_result__))
#define noinline                        __attribute__((__noinline__))
#define __packed                        __attribute__((__packed__))
#define __printf(a, b)                  __attribute__((__format__(printf, a, b)))
#define __section(section)              __attribute__((__section__(section)))
#define __used                          __attribute__((__used__))
#define   fallthrough                    __attribute__((__fallthrough__))

#endif /* __LINUX_COMPILER_ATTRIBUTES_H */
