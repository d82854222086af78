/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vlxfile: a driver split over two files. vlx-alloc.c allocates and
 * exports; vlx-user.c uses what it gets. Per translation unit nothing in
 * vlx-user.c is known; with cross-file facts (--facts-out, then
 * --facts-in) the lines marked expect-facts get their findings.
 */
#ifndef VLXFILE_H
#define VLXFILE_H

#include <linux/gfp.h>
#include <linux/types.h>

struct page;

struct vlx_dev {
	void *buf;		/* vmalloc()ed in vlx-alloc.c */
	void *ring;		/* kzalloc()ed in vlx-alloc.c */
	void *scratch;		/* set by vlx_set_scratch() */
	unsigned long size;
};

extern void *vlx_global_buf;	/* vzalloc()ed in vlx-alloc.c */

void *vlx_alloc(unsigned long size, gfp_t gfp);
void *vlx_buf_get(unsigned long size);
void *vlx_ring_get(unsigned long size);
void vlx_dev_setup(struct vlx_dev *d, unsigned long size);
void vlx_set_scratch(struct vlx_dev *d, void *p);
struct page *vlx_first_page(void *p);

struct vlx_block_cache;
void *vlx_block_read(struct vlx_block_cache *c, unsigned int i);

#endif
