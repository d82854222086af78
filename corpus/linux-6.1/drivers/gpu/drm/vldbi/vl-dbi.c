// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vl-dbi: a display controller's SPI command path (the shape of
 * drivers/gpu/drm/tinydrm/mipi-dbi.c of 4.12, before a89bfc5d9a07
 * "tinydrm/mipi-dbi: Use dma-safe buffers for all SPI transfers").
 *
 * vmalloc-lint corpus, pass 2: the SPI code is under
 * #if IS_ENABLED(CONFIG_SPI). This directory's Makefile builds the file
 * for CONFIG_DRM_VLDBI, which no configuration sets by hand: the panel that
 * selects it depends on DRM && SPI (Kconfig). The corpus tree sets no
 * option, so the file is not built, and it is analysed as the
 * configuration that builds it compiles it: with CONFIG_DRM_VLDBI,
 * CONFIG_DRM and CONFIG_SPI set. The by-value cmd is tr[0].tx_buf.
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>
#include <linux/string.h>

#if IS_ENABLED(CONFIG_SPI)

int vl_dbi_command_read(struct spi_device *spi, u8 cmd, u8 *data, size_t len)
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

#endif /* CONFIG_SPI */

#if IS_ENABLED(CONFIG_VL_NEVER_SET)
/* An option nothing that builds this file needs: still invisible. */
int vl_dbi_never(struct spi_device *spi)
{
	u8 cmd = 0;

	return spi_write(spi, &cmd, 1); /* silent */
}
#endif
