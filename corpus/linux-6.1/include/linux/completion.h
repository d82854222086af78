/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/completion.h for the vmalloc-lint corpus. */
#ifndef __LINUX_COMPLETION_H
#define __LINUX_COMPLETION_H

struct completion {
	unsigned int done;
};

extern void init_completion(struct completion *x);
extern void wait_for_completion(struct completion *x);
extern void complete(struct completion *x);

#endif
