// SPDX-License-Identifier: GPL-2.0
/*
 * vlhid: a HID device with feature reports (the shape of
 * drivers/hid/hid-cp2112.c, hid-magicmouse.c and hid-lg.c, whose stack
 * report buffers went to hid_hw_raw_request(): "HID: magicmouse: Don't
 * use stack for feature report" and friends).
 *
 * vmalloc-lint corpus, pass 2: hid_hw_raw_request() and
 * hid_hw_output_report() hand the buffer to the transport driver, which for
 * usbhid is usb_control_msg()/usb_interrupt_msg() of that buffer.
 */
#include <linux/errno.h>
#include <linux/hid.h>
#include <linux/slab.h>
#include <linux/string.h>

#define VLHID_REPORT_MODE	0xd7

int vlhid_set_mode(struct hid_device *hdev)
{
	const u8 feature[] = { VLHID_REPORT_MODE, 0x01 };

	return hid_hw_raw_request(hdev, feature[0], (u8 *)feature, sizeof(feature), /* expect: vmalloc-stack-dma */
				  HID_FEATURE_REPORT, HID_REQ_SET_REPORT);
}

int vlhid_led(struct hid_device *hdev, u8 on)
{
	u8 buf[2] = { 0x01, on };

	return hid_hw_output_report(hdev, buf, sizeof(buf)); /* expect: vmalloc-stack-dma */
}

/* The fix: kmemdup() the report. */
int vlhid_set_mode_fixed(struct hid_device *hdev)
{
	static const u8 feature[] = { VLHID_REPORT_MODE, 0x01 };
	u8 *buf = kmemdup(feature, sizeof(feature), GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = hid_hw_raw_request(hdev, buf[0], buf, sizeof(feature), /* silent */
				 HID_FEATURE_REPORT, HID_REQ_SET_REPORT);
	kfree(buf);
	return ret;
}
