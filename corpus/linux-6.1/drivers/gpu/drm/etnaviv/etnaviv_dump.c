// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2015-2018 Etnaviv Project
 *
 * vmalloc-lint corpus: trimmed model of drivers/gpu/drm/etnaviv/etnaviv_dump.c.
 * The devcoredump buffer is allocated with __GFP_NORETRY, which
 * __vmalloc() does not support.
 */

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

struct etnaviv_dump_object_header {
	u32 magic;
	u32 type;
	u32 file_offset;
	u32 file_size;
	u64 iova;
	u32 data[2];
};

struct etnaviv_iommu_context {
	struct mutex lock;
	size_t dump_size;
};

struct etnaviv_gpu {
	void *dev;
	size_t buffer_size;
};

struct etnaviv_gem_submit {
	struct etnaviv_gpu *gpu;
	struct etnaviv_iommu_context *mmu_context;
	size_t cmdbuf_size;
	unsigned int nr_bos;
	size_t bo_size[16];
};

struct core_dump_iterator {
	void *start;
	struct etnaviv_dump_object_header *hdr;
	void *data;
};

static bool etnaviv_dump_core = true;

extern void dev_coredumpv(void *dev, void *data, size_t datalen, gfp_t gfp);

void etnaviv_core_dump(struct etnaviv_gem_submit *submit)
{
	struct etnaviv_gpu *gpu = submit->gpu;
	struct core_dump_iterator iter;
	unsigned int n_obj, n_bomap_pages;
	size_t file_size, mmu_size;
	unsigned int i;

	/* Only catch the first event, or when manually re-armed */
	if (!etnaviv_dump_core)
		return;
	etnaviv_dump_core = false;

	mutex_lock(&submit->mmu_context->lock);

	mmu_size = submit->mmu_context->dump_size;

	/* We always dump registers, mmu, ring, hanging cmdbuf and end marker */
	n_obj = 5;
	n_bomap_pages = 0;
	file_size = mmu_size + gpu->buffer_size + submit->cmdbuf_size;

	/* Add in the active buffer objects */
	for (i = 0; i < submit->nr_bos; i++) {
		file_size += submit->bo_size[i];
		n_bomap_pages += submit->bo_size[i] >> PAGE_SHIFT;
		n_obj++;
	}

	/* If we have any buffer objects, add a bomap object */
	if (n_bomap_pages) {
		file_size += n_bomap_pages * sizeof(u64);
		n_obj++;
	}

	/* Add the size of the headers */
	file_size += sizeof(*iter.hdr) * n_obj;

	/* Allocate the file in vmalloc memory, it's likely to be big */
	iter.start = __vmalloc(file_size, GFP_KERNEL | __GFP_NOWARN |
			__GFP_NORETRY); /* expect: vmalloc-unsupported-gfp */
	if (!iter.start) {
		mutex_unlock(&submit->mmu_context->lock);
		pr_warn("failed to allocate devcoredump file\n");
		return;
	}

	/* Point the data member after the headers */
	iter.hdr = iter.start;
	iter.data = &iter.hdr[n_obj];

	memset(iter.hdr, 0, (char *)iter.data - (char *)iter.start);

	mutex_unlock(&submit->mmu_context->lock);

	dev_coredumpv(gpu->dev, iter.start, (char *)iter.data - (char *)iter.start,
		      GFP_KERNEL);
}
