/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/usb.h for the vmalloc-lint corpus. */
#ifndef __LINUX_USB_H
#define __LINUX_USB_H

#include <linux/device.h>

struct usb_device {
	int		devnum;
	struct device	dev;
};

#define USB_DIR_OUT			0		/* to device */
#define USB_DIR_IN			0x80		/* to host */
#define USB_TYPE_VENDOR			(0x02 << 5)
#define USB_RECIP_DEVICE		0x00

#define USB_CTRL_GET_TIMEOUT	5000
#define USB_CTRL_SET_TIMEOUT	5000

#define PIPE_CONTROL			2
#define PIPE_BULK			3

static inline unsigned int __create_pipe(struct usb_device *dev,
		unsigned int endpoint)
{
	return (dev->devnum << 8) | (endpoint << 15);
}

#define usb_sndctrlpipe(dev, endpoint)	\
	((PIPE_CONTROL << 30) | __create_pipe(dev, endpoint))
#define usb_rcvctrlpipe(dev, endpoint)	\
	((PIPE_CONTROL << 30) | __create_pipe(dev, endpoint) | USB_DIR_IN)
#define usb_sndbulkpipe(dev, endpoint)	\
	((PIPE_BULK << 30) | __create_pipe(dev, endpoint))

extern int usb_control_msg(struct usb_device *dev, unsigned int pipe,
	__u8 request, __u8 requesttype, __u16 value, __u16 index,
	void *data, __u16 size, int timeout);
extern int usb_interrupt_msg(struct usb_device *usb_dev, unsigned int pipe,
	void *data, int len, int *actual_length, int timeout);
extern int usb_bulk_msg(struct usb_device *usb_dev, unsigned int pipe,
	void *data, int len, int *actual_length, int timeout);
struct urb;
typedef void (*usb_complete_t)(struct urb *);

/* transfer_buffer "must be suitable for DMA; allocate it with kmalloc()". */
struct urb {
	struct usb_device	*dev;
	unsigned int		pipe;
	unsigned char		*setup_packet;
	void			*transfer_buffer;
	u32			transfer_buffer_length;
	void			*context;
	usb_complete_t		complete;
};

static inline void usb_fill_bulk_urb(struct urb *urb, struct usb_device *dev,
				     unsigned int pipe, void *transfer_buffer,
				     int buffer_length, usb_complete_t complete_fn,
				     void *context)
{
	urb->dev = dev;
	urb->pipe = pipe;
	urb->transfer_buffer = transfer_buffer;
	urb->transfer_buffer_length = buffer_length;
	urb->complete = complete_fn;
	urb->context = context;
}

extern int usb_submit_urb(struct urb *urb, gfp_t mem_flags);

/* These two copy data into (out of) a kmalloc()ed buffer. */
int usb_control_msg_send(struct usb_device *dev, __u8 endpoint, __u8 request,
			 __u8 requesttype, __u16 value, __u16 index,
			 const void *data, __u16 size, int timeout,
			 gfp_t memflags);
int usb_control_msg_recv(struct usb_device *dev, __u8 endpoint, __u8 request,
			 __u8 requesttype, __u16 value, __u16 index,
			 void *data, __u16 size, int timeout,
			 gfp_t memflags);

#endif
