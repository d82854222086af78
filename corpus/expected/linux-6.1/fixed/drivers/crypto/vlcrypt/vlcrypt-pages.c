// SPDX-License-Identifier: GPL-2.0
/*
 * vlcrypt: the pages behind a request's buffers.
 *
 * vmalloc-lint corpus, pass 2: virt_to_page() nested in another call or
 * macro is still virt_to_page(): sg_set_page(sg, virt_to_page(p), ...),
 * flush_dcache_page(virt_to_page(p)), page_to_phys(virt_to_page(p)).
 * On vmalloc memory the page is vmalloc_to_page()'s.
 */
#include <linux/cacheflush.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

void vlcrypt_sg_table_page(struct scatterlist *sg, size_t len)
{
	void *buf = vzalloc(len);

	sg_set_page(sg, vmalloc_to_page(buf), len, offset_in_page(buf)); /* expect: vmalloc-virt-to-phys */
}

void vlcrypt_flush_result(size_t len)
{
	void *out = vmalloc(len);

	flush_dcache_page(vmalloc_to_page(out)); /* expect: vmalloc-virt-to-phys */
	vfree(out);
}

phys_addr_t vlcrypt_desc_phys(size_t len)
{
	void *desc = vmalloc(len);

	return page_to_phys(vmalloc_to_page(desc)); /* expect: vmalloc-virt-to-phys */
}

void vlcrypt_sg_stack_page(struct scatterlist *sg)
{
	u8 iv[16];

	sg_set_page(sg, virt_to_page(iv), sizeof(iv), offset_in_page(iv)); /* expect: vmalloc-stack-dma */
}

/* Negatives: linear memory, and the guarded choice of the page lookup. */
void vlcrypt_sg_linear_page(struct scatterlist *sg, size_t len)
{
	void *buf = kmalloc(len, GFP_KERNEL);

	sg_set_page(sg, virt_to_page(buf), len, offset_in_page(buf)); /* silent */
	flush_dcache_page(virt_to_page(buf)); /* silent */
}

phys_addr_t vlcrypt_any_phys(void *p)
{
	struct page *page;

	if (is_vmalloc_addr(p))
		page = vmalloc_to_page(p);
	else
		page = virt_to_page(p); /* silent */
	flush_dcache_page(page);
	return page_to_phys(page);
}
