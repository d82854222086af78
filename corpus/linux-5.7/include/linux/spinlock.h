/* Trimmed model of the real include/linux/spinlock.h for the vmalloc-lint corpus. */
#ifndef __LINUX_SPINLOCK_H
#define __LINUX_SPINLOCK_H

#include <linux/types.h>

typedef struct spinlock {
	unsigned int locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname) (spinlock_t) { .locked = 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

/* (static inlines over raw_spin_*() in the real tree) */
extern void spin_lock_init(spinlock_t *lock);
extern void spin_lock(spinlock_t *lock);
extern void spin_unlock(spinlock_t *lock);
extern void spin_lock_bh(spinlock_t *lock);
extern void spin_unlock_bh(spinlock_t *lock);

#endif /* __LINUX_SPINLOCK_H */
