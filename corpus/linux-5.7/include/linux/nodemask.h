/* Trimmed model of the real include/linux/nodemask.h for the vmalloc-lint corpus. */
#ifndef __LINUX_NODEMASK_H
#define __LINUX_NODEMASK_H

#include <linux/numa.h>

typedef struct { unsigned long bits[(MAX_NUMNODES + 63) / 64]; } nodemask_t;

#endif /* __LINUX_NODEMASK_H */
