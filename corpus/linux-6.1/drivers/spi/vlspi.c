// SPDX-License-Identifier: GPL-2.0
/*
 * vlspi: a register-mapped SPI peripheral (the shape of
 * drivers/net/dsa/b53/b53_spi.c, drivers/rtc/rtc-m41t93.c).
 *
 * vmalloc-lint corpus, pass 2: spi_write()/spi_read() hand their buffer to
 * the controller, which DMA-maps it; with CONFIG_VMAP_STACK a stack buffer
 * is vmalloc memory. spi_write_then_read() copies both buffers into a
 * DMA-safe bounce buffer: a stack buffer there is right.
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define VLSPI_CMD_WRITE		0x60
#define VLSPI_CMD_READ		0x61

int vlspi_set_reg(struct spi_device *spi, u8 reg, u8 val)
{
	u8 txbuf[3];

	txbuf[0] = VLSPI_CMD_WRITE;
	txbuf[1] = reg;
	txbuf[2] = val;

	return spi_write(spi, txbuf, sizeof(txbuf)); /* expect: vmalloc-stack-dma */
}

int vlspi_read_status(struct spi_device *spi, u32 *val)
{
	u32 rx_buf[2] = { 0 };
	int ret;

	ret = spi_read(spi, rx_buf, 1); /* expect: vmalloc-stack-dma */
	if (ret < 0)
		return ret;
	*val = rx_buf[0];
	return 0;
}

int vlspi_select(struct spi_device *spi, int bank)
{
	int opcode = VLSPI_CMD_WRITE | bank;

	return spi_write(spi, &opcode, 1); /* expect: vmalloc-stack-dma */
}

/* spi_write_then_read() copies: stack buffers are fine. */
int vlspi_get_reg(struct spi_device *spi, u8 reg, u8 *val)
{
	u8 cmd[2] = { VLSPI_CMD_READ, reg };
	u8 result;
	int ret;

	ret = spi_write_then_read(spi, cmd, sizeof(cmd), &result, 1); /* silent */
	if (ret < 0)
		return ret;
	*val = result;
	return 0;
}

/* The right way for spi_write(): a kmalloc()ed buffer. */
int vlspi_write_block(struct spi_device *spi, const void *data, size_t len)
{
	u8 *buf = kmemdup(data, len, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = spi_write(spi, buf, len); /* silent */
	kfree(buf);
	return ret;
}

/* vmalloc memory is no better than the stack. */
int vlspi_load_table(struct spi_device *spi, size_t len)
{
	void *table = vzalloc(len);
	int ret;

	if (!table)
		return -ENOMEM;
	ret = spi_write(spi, table, len); /* expect: vmalloc-dma-map */
	vfree(table);
	return ret;
}

/*
 * A message of transfers (the shape of drivers/gpu/drm/tinydrm/mipi-dbi.c's
 * mipi_dbi_typec3_command_read(), "drm/tinydrm: mipi-dbi: Fix
 * mipi_dbi_typec3_command_read()": its by-value cmd was tr[0].tx_buf).
 * spi_transfer's tx_buf and rx_buf must be DMA-safe memory (linux/spi/spi.h).
 */
int vlspi_command_read(struct spi_device *spi, u8 cmd, u8 *data, size_t len)
{
	struct spi_transfer tr[2] = {
		{
			.tx_buf = &cmd, /* expect: vmalloc-stack-dma */
			.len = 1,
		}, {
			.len = len,
		},
	};
	struct spi_message m;
	u8 *buf;
	int ret;

	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	tr[1].rx_buf = buf; /* silent */
	spi_message_init_with_transfers(&m, tr, 2);
	ret = spi_sync(spi, &m);
	if (!ret)
		memcpy(data, buf, len);
	kfree(buf);
	return ret;
}

int vlspi_read_fifo(struct spi_device *spi, u8 *out)
{
	u8 fifo[4];
	struct spi_transfer t = { .len = sizeof(fifo) };
	struct spi_message m;
	int ret;

	t.rx_buf = fifo; /* expect: vmalloc-stack-dma */
	spi_message_init_with_transfers(&m, &t, 1);
	ret = spi_sync(spi, &m);
	*out = fifo[0];
	return ret;
}
