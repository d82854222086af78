/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/device.h for the vmalloc-lint corpus. */
#ifndef _DEVICE_H_
#define _DEVICE_H_

#include <linux/types.h>

struct device {
	struct device		*parent;
	const char		*init_name;
	u64			*dma_mask;	/* dma mask (if dma'able device) */
	u64			coherent_dma_mask;
	void			*driver_data;
};

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

#endif /* _DEVICE_H_ */
