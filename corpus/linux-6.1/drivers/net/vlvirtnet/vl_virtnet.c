// SPDX-License-Identifier: GPL-2.0
/*
 * vl_virtnet: a control queue's status byte (the shape of
 * drivers/net/virtio_net.c before 12e571693837 "virtio_net: split out ctrl
 * buffer").
 *
 * vmalloc-lint corpus, pass 2: netdev_priv() memory is inside the
 * net_device allocation, which alloc_netdev_mqs() makes with kvzalloc(): it
 * may be vmalloc memory, and must not go into a scatterlist for DMA. The
 * fix moves the buffers into their own kzalloc()ed struct. The command
 * puts two such buffers in scatterlists (the header and the status): the
 * caller's finding has a note at each.
 */
#include <linux/errno.h>
#include <linux/netdevice.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

struct vl_control_buf {
	u8 status;
	u8 cmd;
};

struct vl_ctrl_hdr {
	u8 class;
	u8 cmd;
};

struct vl_virtnet_info {
	struct net_device *dev;
	struct vl_ctrl_hdr ctrl_hdr;	/* before the fix: in the private area */
	u8 ctrl_status;			/* before the fix: in the private area */
	struct vl_control_buf *ctrl;	/* after the fix: kzalloc()ed */
};

int vl_virtqueue_add_sgs(struct scatterlist *sgs[], unsigned int out,
			 unsigned int in);

static bool vl_virtnet_send_command(struct vl_virtnet_info *vi, u8 class,
				    u8 cmd)
{
	struct scatterlist hdr, stat, *sgs[2];

	vi->ctrl_status = ~0;
	vi->ctrl_hdr.class = class;
	vi->ctrl_hdr.cmd = cmd;
	sg_init_one(&hdr, &vi->ctrl_hdr, sizeof(vi->ctrl_hdr));
	sgs[0] = &hdr;
	sg_init_one(&stat, &vi->ctrl_status, sizeof(vi->ctrl_status));
	sgs[1] = &stat;
	return vl_virtqueue_add_sgs(sgs, 1, 1) == 0;
}

static bool vl_virtnet_send_command_fixed(struct vl_virtnet_info *vi)
{
	struct scatterlist stat, *sgs[1];

	sg_init_one(&stat, &vi->ctrl->status, sizeof(vi->ctrl->status)); /* silent */
	sgs[0] = &stat;
	return vl_virtqueue_add_sgs(sgs, 0, 1) == 0;
}

int vl_virtnet_set_mac_address(struct net_device *dev)
{
	struct vl_virtnet_info *vi = netdev_priv(dev);

	if (!vl_virtnet_send_command(vi, 1, 2)) /* expect: vmalloc-dma-map */
		return -EINVAL;
	return 0;
}

int vl_virtnet_probe(struct net_device *dev)
{
	struct vl_virtnet_info *vi = netdev_priv(dev);

	vi->dev = dev;
	vi->ctrl = kzalloc(sizeof(*vi->ctrl), GFP_KERNEL);
	if (!vi->ctrl)
		return -ENOMEM;
	return vl_virtnet_send_command_fixed(vi) ? 0 : -EINVAL;
}
