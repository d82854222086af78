/* Trimmed model of the real include/linux/init.h for the vmalloc-lint corpus. */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

/* These are for everybody (although not all archs will actually
   discard it in modules) */
#define __init		__section(.init.text) __cold notrace
#define __initdata	__section(.init.data)
#define __exit          __section(.exit.text) __exitused __cold notrace

#define notrace __attribute__((no_instrument_function))
#define __exitused  __used

#endif /* _LINUX_INIT_H */
