// SPDX-License-Identifier: GPL-2.0
/*
 * vlusb: a vendor-specific USB gadget controller.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-stack-dma. USB transfer buffers are
 * DMA-mapped by the host controller driver; with CONFIG_VMAP_STACK a
 * buffer on the stack is vmalloc memory.
 */
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb.h>
#include <linux/vmalloc.h>

#define VLUSB_REQ_STATUS	0x01
#define VLUSB_REQ_MODE		0x02

struct vlusb_cmd {
	u8 op;
	u8 arg[7];
};

int vlusb_get_status(struct usb_device *udev)
{
	u8 status[2];

	return usb_control_msg(udev, usb_rcvctrlpipe(udev, 0), VLUSB_REQ_STATUS,
			       USB_DIR_IN | USB_TYPE_VENDOR | USB_RECIP_DEVICE,
			       0, 0, status, sizeof(status), USB_CTRL_GET_TIMEOUT); /* expect: vmalloc-stack-dma */
}

int vlusb_set_mode(struct usb_device *udev, u8 mode)
{
	return usb_control_msg(udev, usb_sndctrlpipe(udev, 0), VLUSB_REQ_MODE,
			       USB_DIR_OUT | USB_TYPE_VENDOR | USB_RECIP_DEVICE,
			       0, 0, &mode, 1, USB_CTRL_SET_TIMEOUT); /* expect: vmalloc-stack-dma */
}

int vlusb_send(struct usb_device *udev, u8 op)
{
	struct vlusb_cmd cmd = { .op = op };
	int actual;

	return usb_bulk_msg(udev, usb_sndbulkpipe(udev, 1), &cmd, sizeof(cmd), /* expect: vmalloc-stack-dma */
			    &actual, 1000);
}

/* usb_control_msg_send()/_recv() copy the data: a stack buffer is right. */
int vlusb_get_mode(struct usb_device *udev, u8 *mode)
{
	u8 reply[2];
	int ret;

	ret = usb_control_msg_recv(udev, 0, VLUSB_REQ_MODE, /* silent */
				   USB_DIR_IN | USB_TYPE_VENDOR | USB_RECIP_DEVICE,
				   0, 0, reply, sizeof(reply), USB_CTRL_GET_TIMEOUT,
				   GFP_KERNEL);
	if (ret)
		return ret;
	*mode = reply[0];
	return 0;
}

int vlusb_put_mode(struct usb_device *udev, u8 mode)
{
	return usb_control_msg_send(udev, 0, VLUSB_REQ_MODE, /* silent */
				    USB_DIR_OUT | USB_TYPE_VENDOR | USB_RECIP_DEVICE,
				    0, 0, &mode, 1, USB_CTRL_SET_TIMEOUT, GFP_KERNEL);
}

/* The right way: a kmalloc()ed copy. */
int vlusb_write(struct usb_device *udev, const void *data, int len)
{
	u8 *buf = kmemdup(data, len, GFP_KERNEL);
	int actual, ret;

	if (!buf)
		return -ENOMEM;
	ret = usb_bulk_msg(udev, usb_sndbulkpipe(udev, 1), buf, len, &actual, 1000);
	kfree(buf);
	return ret;
}

/* vmalloc memory is no better as a transfer buffer. */
int vlusb_upload(struct usb_device *udev, int len)
{
	void *fw = vmalloc(len);
	int actual;

	return usb_bulk_msg(udev, usb_sndbulkpipe(udev, 1), fw, len, &actual, 1000); /* expect: vmalloc-dma-map */
}

/* A helper that transfers its parameter: reported where the stack buffer goes in. */
static int vlusb_xfer(struct usb_device *udev, void *buf, int len)
{
	int actual;

	return usb_interrupt_msg(udev, usb_sndbulkpipe(udev, 2), buf, len, &actual, 100);
}

int vlusb_ping(struct usb_device *udev)
{
	u8 ping[4] = { 0x50, 0x49, 0x4e, 0x47 };
	u8 *heap = kzalloc(4, GFP_KERNEL);
	int ret;

	ret = vlusb_xfer(udev, heap, 4);
	kfree(heap);
	return ret ?: vlusb_xfer(udev, ping, sizeof(ping)); /* expect: vmalloc-stack-dma */
}

phys_addr_t vlusb_stack_phys(void)
{
	u8 scratch[16];

	return virt_to_phys(scratch); /* expect: vmalloc-stack-dma */
}
