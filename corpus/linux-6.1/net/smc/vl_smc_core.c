// SPDX-License-Identifier: GPL-2.0
/*
 * vl_smc: send and receive buffers of a link group (the shape of
 * net/smc/smc_core.c).
 *
 * vmalloc-lint corpus, pass 2, tag correlation: the buffer is physically
 * contiguous or vmalloc memory, and buf_desc->is_vm, set after the
 * allocation, says which; the mapping tests is_vm, not the pointer.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

enum vl_smc_buf_type {
	VL_SMCR_PHYS_CONT_BUFS = 0,
	VL_SMCR_VIRT_CONT_BUFS = 1,
	VL_SMCR_MIXED_BUFS = 2,
};

struct vl_smc_lgr {
	enum vl_smc_buf_type buf_type;
};

struct vl_smc_buf_desc {
	void *cpu_addr;
	int len;
	unsigned int order;
	bool is_vm;
	struct scatterlist sgl[16];
};

struct vl_smc_buf_desc *vl_smcr_new_buf_create(struct vl_smc_lgr *lgr,
					       int bufsize, unsigned int order)
{
	struct vl_smc_buf_desc *buf_desc;

	buf_desc = kzalloc(sizeof(*buf_desc), GFP_KERNEL);
	if (!buf_desc)
		return ERR_PTR(-ENOMEM);

	switch (lgr->buf_type) {
	case VL_SMCR_PHYS_CONT_BUFS:
	case VL_SMCR_MIXED_BUFS:
		buf_desc->order = order;
		buf_desc->cpu_addr = (void *)__get_free_pages(GFP_KERNEL, order);
		if (buf_desc->cpu_addr) {
			buf_desc->len = bufsize;
			buf_desc->is_vm = false;
			break;
		}
		if (lgr->buf_type == VL_SMCR_PHYS_CONT_BUFS)
			goto out;
		fallthrough;
	case VL_SMCR_VIRT_CONT_BUFS:
		buf_desc->order = order;
		buf_desc->cpu_addr = vzalloc(PAGE_SIZE << order);
		if (!buf_desc->cpu_addr)
			goto out;
		buf_desc->len = bufsize;
		buf_desc->is_vm = true;
		break;
	}
	return buf_desc;

out:
	kfree(buf_desc);
	return ERR_PTR(-EAGAIN);
}

static int vl_smcr_buf_map_link(struct vl_smc_buf_desc *buf_desc)
{
	char *buf = buf_desc->cpu_addr;
	int i;

	if (buf_desc->is_vm) {
		/* virtually contiguous buffer */
		for (i = 0; i < 16 && i * PAGE_SIZE < buf_desc->len; i++)
			sg_set_page(&buf_desc->sgl[i],
				    vmalloc_to_page(buf + i * PAGE_SIZE),
				    PAGE_SIZE, 0);
	} else {
		/* physically contiguous buffer */
		sg_set_buf(buf_desc->sgl, buf_desc->cpu_addr, buf_desc->len); /* silent */
	}
	return 0;
}

/* No test of is_vm: the buffer may be vmalloc memory. */
static void vl_smc_sg_one(struct vl_smc_buf_desc *buf_desc)
{
	sg_set_buf(buf_desc->sgl, buf_desc->cpu_addr, buf_desc->len); /* expect-possible: vmalloc-dma-map */
}

int vl_smc_buf_map(struct vl_smc_buf_desc *buf_desc, bool one)
{
	if (one) {
		vl_smc_sg_one(buf_desc);
		return 0;
	}
	return vl_smcr_buf_map_link(buf_desc);
}
