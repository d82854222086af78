/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/netdevice.h for the vmalloc-lint corpus. */
#ifndef _LINUX_NETDEVICE_H
#define _LINUX_NETDEVICE_H

#include <linux/types.h>

#define NETDEV_ALIGN		32

struct net_device {
	char			name[16];
	unsigned int		flags;
	unsigned int		mtu;
};

/*
 * The private area follows the net_device in one allocation, which
 * alloc_netdev_mqs() (net/core/dev.c) makes with kvzalloc().
 */
static inline void *netdev_priv(const struct net_device *dev)
{
	return (char *)dev + ((sizeof(struct net_device) + NETDEV_ALIGN - 1) &
			      ~(NETDEV_ALIGN - 1));
}

struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs,
				      unsigned int rxqs);

#endif /* _LINUX_NETDEVICE_H */
