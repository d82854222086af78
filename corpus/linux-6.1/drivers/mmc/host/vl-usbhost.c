// SPDX-License-Identifier: GPL-2.0
/*
 * vl-usbhost: a USB-attached host controller (the shape of
 * drivers/mmc/host/vub300.c in 6.1).
 *
 * vmalloc-lint corpus, pass 2, stack addresses in fields: one function
 * waits for its urb with a struct completion on its own stack, stored in
 * urb->context (vub300_usb_bulk_msg()); the completion handlers of the
 * other urbs read the host from urb->context. urb.context's facts hold the
 * stack address, but that is the frame of the function that stored it: in
 * the handlers `&host->resp` is no stack buffer (silent). A stack buffer
 * passed to the helper by its caller is still reported.
 */
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/usb.h>

struct vl_usbhost {
	struct usb_device *udev;
	struct urb *urb;
	struct urb *command_res_urb;
	struct urb *command_out_urb;
	int usb_transport_fail;
	struct completion irqpoll_complete;
	struct {
		u8 header[4];
		u8 reg[60];
	} resp;
	u8 cmnd[64];
};

static void vl_usbhost_bulk_msg_completion(struct urb *urb)
{
	complete((struct completion *)urb->context);
}

static int vl_usbhost_bulk_msg(struct vl_usbhost *host, unsigned int pipe,
			       void *data, int len)
{
	struct completion done;
	int retval;

	usb_fill_bulk_urb(host->urb, host->udev, pipe, data, len,
			  vl_usbhost_bulk_msg_completion, NULL);
	init_completion(&done);
	host->urb->context = &done;
	retval = usb_submit_urb(host->urb, GFP_KERNEL);
	if (retval)
		return retval;
	wait_for_completion(&done);
	return 0;
}

static void vl_usbhost_res_completed(struct urb *urb)
{
	struct vl_usbhost *host = (struct vl_usbhost *)urb->context;

	complete(&host->irqpoll_complete);
}

static void vl_usbhost_out_completed(struct urb *urb)
{
	struct vl_usbhost *host = (struct vl_usbhost *)urb->context;

	usb_fill_bulk_urb(host->command_res_urb, host->udev, 0,
			  &host->resp, sizeof(host->resp), /* silent */
			  vl_usbhost_res_completed, host);
	if (usb_submit_urb(host->command_res_urb, GFP_ATOMIC))
		host->usb_transport_fail = -EIO;
}

void vl_usbhost_send_irqpoll(struct vl_usbhost *host)
{
	usb_fill_bulk_urb(host->command_out_urb, host->udev, 0, host->cmnd,
			  sizeof(host->cmnd), vl_usbhost_out_completed, host);
	usb_submit_urb(host->command_out_urb, GFP_ATOMIC);
}

int vl_usbhost_read_status(struct vl_usbhost *host)
{
	u8 status[8];

	return vl_usbhost_bulk_msg(host, 0, status, sizeof(status)); /* expect: vmalloc-stack-dma */
}

int vl_usbhost_read(struct vl_usbhost *host, void *buf, int len)
{
	return vl_usbhost_bulk_msg(host, 0, buf, len);
}
