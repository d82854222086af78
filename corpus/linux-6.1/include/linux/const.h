/* Trimmed model of the real include/linux/const.h (via vdso/const.h) for the vmalloc-lint corpus. */
#ifndef _LINUX_CONST_H
#define _LINUX_CONST_H

#include <uapi/linux/const.h>

#define UL(x)		(_UL(x))
#define ULL(x)		(_ULL(x))

#endif /* _LINUX_CONST_H */
