/* SPDX-License-Identifier: GPL-2.0 */
/* vl-ipset: the core's allocator, as ip_set.h declared it in 4.12. */
#ifndef _VL_IPSET_H
#define _VL_IPSET_H

#include <linux/types.h>

extern void *vl_ip_set_alloc(size_t size);
extern void vl_ip_set_free(void *members);

#endif
