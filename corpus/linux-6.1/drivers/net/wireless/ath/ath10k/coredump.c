// SPDX-License-Identifier: ISC
/*
 * Copyright (c) 2011-2017 Qualcomm Atheros, Inc.
 * Copyright (c) 2018, The Linux Foundation. All rights reserved.
 *
 * vmalloc-lint corpus: trimmed model of
 * drivers/net/wireless/ath/ath10k/coredump.c where the dump buffers are
 * allocated under ar->data_lock, i.e. without __GFP_DIRECT_RECLAIM, which
 * __vmalloc() does not support.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define ATH10K_FW_CRASH_DUMP_VERSION 1

struct ath10k_dump_file_data {
	/* dump file information */

	/* "ATH10K-FW-DUMP" */
	char df_magic[16];

	u32 len;

	/* file dump version */
	u32 version;

	/* some info we can get from ath10k struct that might help */
	u32 chip_id;
	u32 bus_type;
	u32 target_version;
	u32 fw_version_major;

	/* VERSION_DUMP_LEN_MAX */
	char fw_ver[32];

	/* Must be last item in the struct */
	u8 data[];
} __packed;

struct ath10k_fw_crash_data {
	u32 guid[4];
	u8 *ramdump_buf;
	size_t ramdump_buf_len;
};

struct ath10k {
	spinlock_t data_lock;
	u32 chip_id;
	u32 target_version;
	struct ath10k_fw_crash_data *fw_crash_data;
};

static struct ath10k_dump_file_data *ath10k_coredump_build(struct ath10k *ar)
{
	struct ath10k_fw_crash_data *crash_data = ar->fw_crash_data;
	struct ath10k_dump_file_data *dump_data;
	size_t hdr_len = sizeof(*dump_data);
	size_t len;
	unsigned char *buf;

	len = hdr_len + crash_data->ramdump_buf_len;

	spin_lock_bh(&ar->data_lock);

	/* This is going to get big when we start dumping FW RAM and such,
	 * so go ahead and use vmalloc.
	 */
	buf = __vmalloc(len, GFP_ATOMIC); /* expect: vmalloc-unsupported-gfp */
	if (!buf) {
		spin_unlock_bh(&ar->data_lock);
		return NULL;
	}

	memset(buf, 0, len);
	dump_data = (struct ath10k_dump_file_data *)(buf);
	strscpy(dump_data->df_magic, "ATH10K-FW-DUMP",
		sizeof(dump_data->df_magic));
	dump_data->len = len;
	dump_data->version = ATH10K_FW_CRASH_DUMP_VERSION;
	dump_data->chip_id = ar->chip_id;
	dump_data->target_version = ar->target_version;

	memcpy(dump_data->data, crash_data->ramdump_buf,
	       crash_data->ramdump_buf_len);

	spin_unlock_bh(&ar->data_lock);

	return dump_data;
}

/* Called from the firmware crash tasklet. */
int ath10k_coredump_create(struct ath10k *ar, size_t ramdump_len)
{
	struct ath10k_fw_crash_data *crash_data = ar->fw_crash_data;

	crash_data->ramdump_buf = __vmalloc(ramdump_len, GFP_NOWAIT | __GFP_NOWARN); /* expect: vmalloc-unsupported-gfp */
	if (!crash_data->ramdump_buf)
		return -ENOMEM;
	crash_data->ramdump_buf_len = ramdump_len;

	return 0;
}

int ath10k_coredump_submit(struct ath10k *ar)
{
	struct ath10k_dump_file_data *dump;

	dump = ath10k_coredump_build(ar);
	if (!dump)
		return -ENODATA;

	vfree(dump);
	return 0;
}

void ath10k_coredump_destroy(struct ath10k *ar)
{
	if (ar->fw_crash_data->ramdump_buf) {
		vfree(ar->fw_crash_data->ramdump_buf);
		ar->fw_crash_data->ramdump_buf = NULL;
		ar->fw_crash_data->ramdump_buf_len = 0;
	}
}
