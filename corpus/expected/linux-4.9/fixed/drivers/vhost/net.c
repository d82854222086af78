/* Copyright (C) 2009 Red Hat, Inc.
 * Author: Michael S. Tsirkin <mst@redhat.com>
 *
 * This work is licensed under the terms of the GNU GPL, version 2.
 *
 * virtio-net server in host kernel.
 *
 * vmalloc-lint corpus: trimmed model of vhost_net_open() from Linux 4.9
 * drivers/vhost/net.c, with the vmalloc fallback spelled as __vmalloc().
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define VHOST_NET_VQ_MAX 2

struct vhost_virtqueue {
	void *private_data;
	int num;
};

struct vhost_dev {
	struct vhost_virtqueue **vqs;
	int nvqs;
};

struct vhost_net_virtqueue {
	struct vhost_virtqueue vq;
	size_t vhost_hlen;
	size_t sock_hlen;
	unsigned char ubuf_info[4096];
};

struct vhost_net {
	struct vhost_dev dev;
	struct vhost_net_virtqueue vqs[VHOST_NET_VQ_MAX];
	unsigned tx_packets;
	int tx_flush;
};

struct file {
	void *private_data;
};

struct inode;

static int vhost_net_open(struct inode *inode, struct file *f)
{
	struct vhost_net *n;
	struct vhost_dev *dev;
	struct vhost_virtqueue **vqs;
	int i;

	n = kmalloc(sizeof *n, GFP_KERNEL | __GFP_NOWARN | __GFP_REPEAT); /* expect: vmalloc-open-coded-kvmalloc */
	if (!n) {
		n = __vmalloc(sizeof *n, GFP_KERNEL | __GFP_HIGHMEM, PAGE_KERNEL); /* expect: vmalloc-lowmem-gfp */
		if (!n)
			return -ENOMEM;
	}
	vqs = kmalloc(VHOST_NET_VQ_MAX * sizeof(*vqs), GFP_KERNEL);
	if (!vqs) {
		kvfree(n); /* expect: vmalloc-open-coded-kvfree */
		return -ENOMEM;
	}

	dev = &n->dev;
	for (i = 0; i < VHOST_NET_VQ_MAX; i++) {
		vqs[i] = &n->vqs[i].vq;
		n->vqs[i].vhost_hlen = 0;
		n->vqs[i].sock_hlen = 0;
	}
	dev->vqs = vqs;
	dev->nvqs = VHOST_NET_VQ_MAX;

	f->private_data = n;

	return 0;
}

int vhost_net_open_for_test(struct inode *inode, struct file *f)
{
	return vhost_net_open(inode, f);
}
