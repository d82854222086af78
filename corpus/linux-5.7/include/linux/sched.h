/* Trimmed model of the real include/linux/sched.h for the vmalloc-lint corpus. */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/types.h>

#define PF_FSTRANS	0x00020000	/* inside a filesystem transaction */
#define PF_MEMALLOC_NOIO 0x00080000	/* Allocating memory without IO involved */

struct task_struct {
	volatile long state;	/* -1 unrunnable, 0 runnable, >0 stopped */
	void *stack;
	atomic_t usage;
	unsigned int flags;	/* per process flags, defined below */
	struct vm_struct *stack_vm_area;
	int pid;
};

extern struct task_struct *get_current(void);
#define current get_current()

/* (static inlines over current->flags in the real tree) */
extern unsigned int memalloc_noio_save(void);
extern void memalloc_noio_restore(unsigned int flags);

#endif
