/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmalloc-lint corpus: a header under include/ whose only includer is
 * arch/parisc/kernel/module.c. The census's "view" of its site is the
 * including unit's (parisc's, with the configured arch's flags: this tree
 * has no arch/parisc/Makefile), not the one the header's path would give
 * ("configured").
 */
#ifndef _LINUX_MODULE_TEXT_H
#define _LINUX_MODULE_TEXT_H

#include <linux/vmalloc.h>

static inline void *module_text_alloc(unsigned long size)
{
	return vmalloc(size); /* silent */
}

#endif /* _LINUX_MODULE_TEXT_H */
