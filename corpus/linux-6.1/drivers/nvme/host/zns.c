// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2020 Western Digital Corporation or its affiliates.
 *
 * vmalloc-lint corpus: trimmed model of drivers/nvme/host/zns.c.
 * The report buffer is allocated with GFP_KERNEL | __GFP_NORETRY, which
 * __vmalloc() does not support.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define SECTOR_SHIFT 9

struct nvme_zone_descriptor {
	u8		zt;
	u8		zs;
	u8		za;
	u8		zai;
	u8		rsvd4[4];
	u64		zcap;
	u64		zslba;
	u64		wp;
	u8		rsvd32[32];
};

struct nvme_zone_report {
	u64		nr_zones;
	u8		rsvd8[56];
	struct nvme_zone_descriptor entries[];
};

struct request_queue {
	unsigned int max_hw_sectors;
	unsigned short max_segments;
};

struct nvme_ns {
	struct request_queue *queue;
	u64 capacity;
	u64 zsze;
};

typedef int (*report_zones_cb)(void *zone, unsigned int idx, void *data);

static void *nvme_zns_alloc_report_buffer(struct nvme_ns *ns,
					  unsigned int nr_zones, size_t *buflen)
{
	struct request_queue *q = ns->queue;
	size_t bufsize;
	void *buf;

	const size_t min_bufsize = sizeof(struct nvme_zone_report) +
				   sizeof(struct nvme_zone_descriptor);

	nr_zones = min_t(unsigned int, nr_zones, ns->capacity / ns->zsze);

	bufsize = sizeof(struct nvme_zone_report) +
		nr_zones * sizeof(struct nvme_zone_descriptor);
	bufsize = min_t(size_t, bufsize,
			(size_t)q->max_hw_sectors << SECTOR_SHIFT);
	bufsize = min_t(size_t, bufsize, (size_t)q->max_segments << PAGE_SHIFT);

	while (bufsize >= min_bufsize) {
		buf = __vmalloc(bufsize, GFP_KERNEL | __GFP_NORETRY); /* expect: vmalloc-unsupported-gfp */
		if (buf) {
			*buflen = bufsize;
			return buf;
		}
		bufsize >>= 1;
	}
	return NULL;
}

extern int nvme_submit_zone_report(struct nvme_ns *ns, u64 sector, void *buf,
				   size_t buflen);

int nvme_ns_report_zones(struct nvme_ns *ns, u64 sector,
			 unsigned int nr_zones, report_zones_cb cb, void *data)
{
	struct nvme_zone_report *report;
	size_t buflen;
	int ret;

	report = nvme_zns_alloc_report_buffer(ns, nr_zones, &buflen);
	if (!report)
		return -ENOMEM;

	ret = nvme_submit_zone_report(ns, sector, report, buflen);

	kvfree(report);
	return ret;
}
