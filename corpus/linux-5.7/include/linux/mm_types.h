/* Trimmed model of the real include/linux/mm_types.h for the vmalloc-lint corpus. */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/types.h>

struct address_space;

/*
 * Each physical page in the system has a struct page associated with
 * it to keep track of whatever it is we are using the page for at the
 * moment.
 */
struct page {
	unsigned long flags;		/* Atomic flags, some possibly
					 * updated asynchronously */
	struct list_head lru;
	struct address_space *mapping;
	pgoff_t index;			/* Our offset within mapping. */
	unsigned long private;
	atomic_t _refcount;
};

#endif /* _LINUX_MM_TYPES_H */
