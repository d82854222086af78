/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Trimmed model of the real include/linux/hid.h for the vmalloc-lint corpus. */
#ifndef __HID_H
#define __HID_H

#include <linux/device.h>
#include <linux/errno.h>

#define HID_MAX_BUFFER_SIZE	16384
#define HID_FEATURE_REPORT	2
#define HID_REQ_GET_REPORT	0x01
#define HID_REQ_SET_REPORT	0x09

struct hid_device;

struct hid_ll_driver {
	int (*raw_request)(struct hid_device *hdev, unsigned char reportnum,
			   __u8 *buf, size_t len, unsigned char rtype,
			   int reqtype);
	int (*output_report)(struct hid_device *hdev, __u8 *buf, size_t len);
};

struct hid_device {
	struct device		dev;
	struct hid_ll_driver	*ll_driver;
};

/* usbhid's raw_request hands buf to usb_control_msg() as it is. */
static inline int hid_hw_raw_request(struct hid_device *hdev,
				     unsigned char reportnum, __u8 *buf,
				     size_t len, unsigned char rtype, int reqtype)
{
	if (len < 1 || len > HID_MAX_BUFFER_SIZE || !buf)
		return -EINVAL;

	return hdev->ll_driver->raw_request(hdev, reportnum, buf, len,
					    rtype, reqtype);
}

static inline int hid_hw_output_report(struct hid_device *hdev, __u8 *buf,
				       size_t len)
{
	if (len < 1 || len > HID_MAX_BUFFER_SIZE || !buf)
		return -EINVAL;

	if (hdev->ll_driver->output_report)
		return hdev->ll_driver->output_report(hdev, buf, len);

	return -ENOSYS;
}

#endif
