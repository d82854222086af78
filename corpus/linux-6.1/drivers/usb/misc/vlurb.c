// SPDX-License-Identifier: GPL-2.0
/*
 * vlurb: a USB reader that submits its own URBs (the shape of
 * drivers/nfc/pn533/usb.c, whose stack command buffer became the URB's
 * transfer_buffer: "NFC: pn533: don't send USB data off of the stack").
 *
 * vmalloc-lint corpus, pass 2: urb->transfer_buffer is DMA-mapped by the
 * host controller driver (linux/usb.h: "must be suitable for DMA"); a store
 * of a stack buffer into it, directly or through usb_fill_bulk_urb(), is
 * vmalloc-stack-dma, and of vmalloc memory vmalloc-dma-map.
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb.h>
#include <linux/vmalloc.h>

#define VLURB_CMD_POWERON	0x62

struct vlurb_phy {
	struct usb_device *udev;
	struct urb *out_urb;
	struct urb *in_urb;
	void *ring;
};

static void vlurb_done(struct urb *urb)
{
}

int vlurb_power_on(struct vlurb_phy *phy)
{
	u8 cmd[10] = { VLURB_CMD_POWERON, 0, 0, 0, 0, 0, 0, 3, 0, 0 };

	phy->out_urb->transfer_buffer = cmd; /* expect: vmalloc-stack-dma */
	phy->out_urb->transfer_buffer_length = sizeof(cmd);
	return usb_submit_urb(phy->out_urb, GFP_KERNEL);
}

int vlurb_read(struct vlurb_phy *phy)
{
	u8 reply[16];

	usb_fill_bulk_urb(phy->in_urb, phy->udev, usb_sndbulkpipe(phy->udev, 1),
			  reply, sizeof(reply), vlurb_done, phy); /* expect: vmalloc-stack-dma */
	return usb_submit_urb(phy->in_urb, GFP_KERNEL);
}

int vlurb_start_ring(struct vlurb_phy *phy, size_t len)
{
	phy->ring = vzalloc(len);
	if (!phy->ring)
		return -ENOMEM;
	phy->in_urb->transfer_buffer = phy->ring; /* expect: vmalloc-dma-map */
	phy->in_urb->transfer_buffer_length = len;
	return usb_submit_urb(phy->in_urb, GFP_KERNEL);
}

/* The fix: a kmalloc()ed copy of the command. */
int vlurb_power_on_fixed(struct vlurb_phy *phy)
{
	static const u8 poweron[10] = { VLURB_CMD_POWERON, 0, 0, 0, 0, 0, 0, 3, 0, 0 };
	u8 *cmd = kmemdup(poweron, sizeof(poweron), GFP_KERNEL);

	if (!cmd)
		return -ENOMEM;
	phy->out_urb->transfer_buffer = cmd; /* silent */
	phy->out_urb->transfer_buffer_length = sizeof(poweron);
	return usb_submit_urb(phy->out_urb, GFP_KERNEL);
}

/* Other fields of the URB take what they like. */
int vlurb_context(struct vlurb_phy *phy)
{
	int state = 0;

	phy->in_urb->context = &state; /* silent */
	return usb_submit_urb(phy->in_urb, GFP_KERNEL);
}

/*
 * A zero-length packet: usb_hcd_map_urb_for_dma() maps no buffer of a
 * zero-length transfer (drivers/staging/rtl8192u/r8192U_core.c's &zero).
 */
int vlurb_send_zlp(struct vlurb_phy *phy)
{
	u8 zero = 0;

	usb_fill_bulk_urb(phy->out_urb, phy->udev, usb_sndbulkpipe(phy->udev, 1),
			  &zero, 0, vlurb_done, phy); /* silent */
	return usb_submit_urb(phy->out_urb, GFP_KERNEL);
}

/* The same call with a length: the stack byte is DMA-mapped. */
int vlurb_send_byte(struct vlurb_phy *phy)
{
	u8 one = 1;

	usb_fill_bulk_urb(phy->out_urb, phy->udev, usb_sndbulkpipe(phy->udev, 1),
			  &one, 1, vlurb_done, phy); /* expect: vmalloc-stack-dma */
	return usb_submit_urb(phy->out_urb, GFP_KERNEL);
}
