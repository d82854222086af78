// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc-lint corpus: a deliberately broken translation unit.
 *
 * The driver's configuration header is not part of the tree (as when a file
 * is compiled for a configuration it does not belong to) and
 * misc_cfg_probe() calls a function nothing declares. The tool must still
 * analyse the valid function misc_cfg_alloc_ring() and report its finding.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/not_configured.h>

struct misc_cfg_dev {
	void *ring;
	size_t ring_size;
	int irq;
};

int misc_cfg_alloc_ring(struct misc_cfg_dev *dev, size_t size)
{
	dev->ring = __vmalloc(size, GFP_KERNEL); /* expect: vmalloc-redundant-highmem */
	if (!dev->ring)
		return -ENOMEM;
	dev->ring_size = size;
	return 0;
}

int misc_cfg_probe(struct misc_cfg_dev *dev)
{
	int ret;

	ret = misc_cfg_alloc_ring(dev, 64 * PAGE_SIZE);
	if (ret)
		return ret;

	dev->irq = misc_cfg_request_irq(dev);
	if (dev->irq < 0) {
		vfree(dev->ring);
		return dev->irq;
	}
	return 0;
}
