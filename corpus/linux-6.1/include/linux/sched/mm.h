/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/sched/mm.h for the vmalloc-lint corpus. */
#ifndef _LINUX_SCHED_MM_H
#define _LINUX_SCHED_MM_H

/*
 * memalloc_nofs_save - Marks implicit GFP_NOFS allocation scope.
 * memalloc_noio_save - Marks implicit GFP_NOIO allocation scope.
 *
 * (static inlines over current->flags in the real tree)
 */
extern unsigned int memalloc_nofs_save(void);
extern void memalloc_nofs_restore(unsigned int flags);
extern unsigned int memalloc_noio_save(void);
extern void memalloc_noio_restore(unsigned int flags);

#endif /* _LINUX_SCHED_MM_H */
