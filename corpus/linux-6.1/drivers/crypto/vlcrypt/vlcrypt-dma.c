// SPDX-License-Identifier: GPL-2.0
/*
 * vlcrypt: an offload engine that reads its source buffers by DMA.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-dma-map. Streaming DMA and
 * scatterlists need linear-map memory; 6.1's dma_map_single_attrs() rejects
 * vmalloc memory at run time ("rejecting DMA map of vmalloc memory").
 */
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vlcrypt_req {
	struct device *dev;
	void *src;
	size_t len;
	dma_addr_t dma;
};

int vlcrypt_map_src(struct vlcrypt_req *req)
{
	req->src = vmalloc(req->len);
	if (!req->src)
		return -ENOMEM;
	req->dma = dma_map_single(req->dev, req->src, req->len, DMA_TO_DEVICE); /* expect: vmalloc-dma-map */
	return dma_mapping_error(req->dev, req->dma);
}

int vlcrypt_map_linear(struct device *dev, size_t len)
{
	void *buf = kmalloc(len, GFP_KERNEL);
	dma_addr_t dma;

	if (!buf)
		return -ENOMEM;
	dma = dma_map_single(dev, buf, len, DMA_TO_DEVICE);
	return dma_mapping_error(dev, dma);
}

void vlcrypt_sg_one(struct scatterlist *sg, size_t len)
{
	void *buf = vzalloc(len);

	sg_init_one(sg, buf, len); /* expect: vmalloc-dma-map */
}

/* kvzalloc() memory may be vmalloc memory: "may". */
void vlcrypt_sg_buf(struct scatterlist *sg, size_t len)
{
	void *buf = kvzalloc(len, GFP_KERNEL);

	sg_set_buf(sg, buf, len); /* expect: vmalloc-dma-map */
}

/* The right way: the pages behind the vmalloc buffer. */
void vlcrypt_sg_pages(struct scatterlist *sg, size_t len)
{
	void *buf = vzalloc(len);

	sg_set_page(sg, vmalloc_to_page(buf), len, offset_in_page(buf));
}

int vlcrypt_map_guarded(struct device *dev, void *buf, size_t len)
{
	dma_addr_t dma;

	if (is_vmalloc_addr(buf))
		return -EINVAL;
	dma = dma_map_single(dev, buf, len, DMA_BIDIRECTIONAL);
	return dma_mapping_error(dev, dma);
}

/* A helper whose parameter is mapped: reported where vmalloc memory goes in. */
static dma_addr_t vlcrypt_map(struct device *dev, void *buf, size_t len)
{
	return dma_map_single(dev, buf, len, DMA_BIDIRECTIONAL);
}

dma_addr_t vlcrypt_map_key(struct device *dev, size_t len)
{
	void *key = kzalloc(len, GFP_KERNEL);
	void *iv = vmalloc_32(len);

	vlcrypt_map(dev, key, len);
	return vlcrypt_map(dev, iv, len); /* expect: vmalloc-dma-map */
}

/*
 * The caller tests the field, the helper maps it (efa's pbl_create() in
 * 6.1): judged at each caller with what the caller knows of pbl->buf.
 */
struct vlcrypt_pbl {
	void *buf;
	size_t len;
	dma_addr_t dma;
};

static int vlcrypt_pbl_map(struct device *dev, struct vlcrypt_pbl *pbl)
{
	pbl->dma = dma_map_single(dev, pbl->buf, pbl->len, DMA_TO_DEVICE);
	return dma_mapping_error(dev, pbl->dma);
}

int vlcrypt_pbl_create(struct device *dev, struct vlcrypt_pbl *pbl)
{
	pbl->buf = kvzalloc(pbl->len, GFP_KERNEL);
	if (!pbl->buf)
		return -ENOMEM;
	if (is_vmalloc_addr(pbl->buf))
		return -EINVAL;
	return vlcrypt_pbl_map(dev, pbl);
}

int vlcrypt_pbl_create_unchecked(struct device *dev, struct vlcrypt_pbl *pbl)
{
	pbl->buf = kvzalloc(pbl->len, GFP_KERNEL);
	if (!pbl->buf)
		return -ENOMEM;
	return vlcrypt_pbl_map(dev, pbl); /* expect: vmalloc-dma-map */
}
