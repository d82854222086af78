/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VLXKV_H
#define VLXKV_H

#include <linux/gfp.h>
#include <linux/types.h>

void *vlxkv_alloc_mem(size_t size);
void *vlxkv_kvzalloc(size_t size, gfp_t flags);
void vlxkv_free_mem(void *addr);

#endif
