// SPDX-License-Identifier: GPL-2.0
/*
 * vltpm_spi: a TPM on a SPI bus behind an ops table (the shape of
 * drivers/char/tpm/tpm_tis_spi.c before "tpm_tis_spi: Use DMA-safe memory
 * for SPI transfers").
 *
 * vmalloc-lint corpus, pass 2: write32() passes its by-value u32 as the
 * buffer of a call through the phy ops table; the unit stores one function
 * in that pointer, which makes the buffer a spi_transfer's tx_buf. With
 * CONFIG_VMAP_STACK the stack is vmalloc memory. read_bytes holds two
 * functions (which one is called is not known): not followed.
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>

struct vltpm_data;

struct vltpm_phy_ops {
	int (*read_bytes)(struct vltpm_data *data, u32 addr, u16 len,
			  u8 *result);
	int (*write_bytes)(struct vltpm_data *data, u32 addr, u16 len,
			   const u8 *value);
	int (*write32)(struct vltpm_data *data, u32 addr, u32 value);
};

struct vltpm_data {
	const struct vltpm_phy_ops *phy_ops;
	struct spi_device *spi;
};

static int vltpm_spi_transfer(struct vltpm_data *data, u32 addr, u16 len,
			      const u8 *in, u8 *out)
{
	struct spi_transfer spi_xfer = { .len = len };
	struct spi_message m;

	spi_xfer.tx_buf = in;
	spi_xfer.rx_buf = out;
	spi_message_init_with_transfers(&m, &spi_xfer, 1);
	return spi_sync(data->spi, &m);
}

static int vltpm_spi_write_bytes(struct vltpm_data *data, u32 addr, u16 len,
				 const u8 *value)
{
	return vltpm_spi_transfer(data, addr, len, value, NULL);
}

static int vltpm_spi_read_bytes(struct vltpm_data *data, u32 addr, u16 len,
				u8 *result)
{
	return vltpm_spi_transfer(data, addr, len, NULL, result);
}

static int vltpm_spi_read_bytes_slow(struct vltpm_data *data, u32 addr,
				     u16 len, u8 *result)
{
	return vltpm_spi_transfer(data, addr, len, NULL, result);
}

static int vltpm_spi_write32(struct vltpm_data *data, u32 addr, u32 value)
{
	return data->phy_ops->write_bytes(data, addr, sizeof(u32),
					  (u8 *)&value); /* expect: vmalloc-stack-dma */
}

/* The fix: a kmalloc()ed bounce buffer. */
static int vltpm_spi_write16(struct vltpm_data *data, u32 addr, u16 value)
{
	u8 *buf = kmemdup(&value, sizeof(value), GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = data->phy_ops->write_bytes(data, addr, sizeof(value), buf); /* silent */
	kfree(buf);
	return ret;
}

static int vltpm_spi_read16(struct vltpm_data *data, u32 addr, u16 *result)
{
	u16 v;
	int ret;

	/* two functions in read_bytes: not followed */
	ret = data->phy_ops->read_bytes(data, addr, sizeof(v), (u8 *)&v); /* silent */
	*result = v;
	return ret;
}

static const struct vltpm_phy_ops vltpm_spi_phy_ops = {
	.read_bytes = vltpm_spi_read_bytes,
	.write_bytes = vltpm_spi_write_bytes,
	.write32 = vltpm_spi_write32,
};

static const struct vltpm_phy_ops vltpm_spi_slow_phy_ops = {
	.read_bytes = vltpm_spi_read_bytes_slow,
};

const struct vltpm_phy_ops *vltpm_spi_ops(bool slow, u16 (*probe)(void))
{
	if (probe && vltpm_spi_write16(NULL, 0, probe()) == 0) {
		u16 r;

		vltpm_spi_read16(NULL, 0, &r);
	}
	return slow ? &vltpm_spi_slow_phy_ops : &vltpm_spi_phy_ops;
}
