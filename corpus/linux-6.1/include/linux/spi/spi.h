/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Trimmed model of the real include/linux/spi/spi.h for the vmalloc-lint corpus. */
#ifndef __LINUX_SPI_H
#define __LINUX_SPI_H

#include <linux/device.h>

struct spi_device {
	struct device	dev;
	u32		max_speed_hz;
	u8		chip_select;
};

struct spi_transfer {
	const void	*tx_buf;
	void		*rx_buf;
	unsigned	len;
};

extern int spi_sync_transfer(struct spi_device *spi, struct spi_transfer *xfers,
			     unsigned int num_xfers);

struct spi_message {
	struct spi_transfer	*transfers;
	unsigned		num_transfers;
};

static inline void
spi_message_init_with_transfers(struct spi_message *m,
				struct spi_transfer *xfers, unsigned int num_xfers)
{
	m->transfers = xfers;
	m->num_transfers = num_xfers;
}

extern int spi_sync(struct spi_device *spi, struct spi_message *message);

/* The controller DMA-maps tx_buf and rx_buf. */
static inline int
spi_write(struct spi_device *spi, const void *buf, size_t len)
{
	struct spi_transfer	t = {
			.tx_buf		= buf,
			.len		= len,
		};

	return spi_sync_transfer(spi, &t, 1);
}

static inline int
spi_read(struct spi_device *spi, void *buf, size_t len)
{
	struct spi_transfer	t = {
			.rx_buf		= buf,
			.len		= len,
		};

	return spi_sync_transfer(spi, &t, 1);
}

/* This copies txbuf and rxbuf data; for small transfers only! */
extern int spi_write_then_read(struct spi_device *spi,
		const void *txbuf, unsigned n_tx,
		void *rxbuf, unsigned n_rx);

#endif /* __LINUX_SPI_H */
