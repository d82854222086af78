// SPDX-License-Identifier: GPL-2.0
/*
 * vlmem: exports the physical pages of its buffers to user space.
 *
 * vmalloc-lint corpus, pass 2: vmalloc-virt-to-phys and each precision rule
 * (flow, guards, functions, struct fields). A line with a finding carries
 * its expect annotation; every other line must stay silent.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vlmem_dev {
	void *buf;		/* only ever vzalloc()ed: vmalloc memory */
	void *scratch;		/* vmalloc()ed or kmalloc()ed: maybe */
	void *ring;		/* only ever kzalloc()ed: linear memory */
	unsigned long size;
};

phys_addr_t vlmem_direct(unsigned long size)
{
	void *p = vmalloc(size);

	return virt_to_phys(p); /* expect: vmalloc-virt-to-phys */
}

/* Definitely vmalloc memory on every path: the fix renames the helper. */
struct page *vlmem_first_page(unsigned long size)
{
	void *p = vzalloc(size);

	if (!p)
		return NULL;
	return vmalloc_to_page(p); /* expect: vmalloc-virt-to-phys */
}

/* Reassignment kills the vmalloc provenance. */
phys_addr_t vlmem_reassigned(unsigned long size)
{
	void *p = vmalloc(size);

	vfree(p);
	p = kmalloc(size, GFP_KERNEL);
	return virt_to_phys(p);
}

/* Casts, p + off, &p[i] and (char *)p + off keep it. */
unsigned long vlmem_offsets(unsigned long size, unsigned int i)
{
	char *p = vmalloc(size);
	unsigned long sum = 0;

	sum += __pa(p + PAGE_SIZE);		/* expect: vmalloc-virt-to-phys */
	sum += __pa(&p[i]);			/* expect: vmalloc-virt-to-phys */
	sum += virt_to_phys((char *)p + 64);	/* expect: vmalloc-virt-to-phys */
	sum += page_to_pfn(vmalloc_to_page((void *)(unsigned long)p)); /* expect: vmalloc-virt-to-phys */
	return sum;
}

/* Each branch keeps its own kind; the join reports a path with vmalloc. */
phys_addr_t vlmem_branches(unsigned long size, bool small)
{
	void *p;

	if (small)
		p = kmalloc(size, GFP_KERNEL);
	else
		p = vmalloc(size);
	return virt_to_phys(p); /* expect: vmalloc-virt-to-phys */
}

phys_addr_t vlmem_branches_linear(unsigned long size, bool small)
{
	void *p;

	if (small)
		p = kmalloc(size, GFP_KERNEL);
	else
		p = kzalloc(size, GFP_KERNEL);
	return virt_to_phys(p);
}

/* kvmalloc() memory may be vmalloc memory: "may", no fix. */
struct page *vlmem_kv_page(unsigned long size)
{
	void *p = kvmalloc(size, GFP_KERNEL);

	return virt_to_page(p); /* expect: vmalloc-virt-to-phys */
}

/* Guards choose the right helper. */
struct page *vlmem_any_page(const void *p)
{
	struct page *page;

	if (is_vmalloc_addr(p))
		page = vmalloc_to_page(p);
	else
		page = virt_to_page(p);
	return page;
}

struct page *vlmem_kv_page_guarded(unsigned long size)
{
	void *p = kvmalloc(size, GFP_KERNEL);

	if (!is_vmalloc_addr(p))
		return virt_to_page(p);
	return vmalloc_to_page(p);
}

phys_addr_t vlmem_checked(void *p)
{
	if (virt_addr_valid(p))
		return virt_to_phys(p);
	return 0;
}

/* Where is_vmalloc_addr() is true the pointer is vmalloc memory. */
phys_addr_t vlmem_wrong_branch(void *p)
{
	if (is_vmalloc_addr(p))
		return __pa(p); /* expect: vmalloc-virt-to-phys */
	return 0;
}

phys_addr_t vlmem_vmap_phys(struct page **pages, unsigned int count)
{
	void *addr = vmap(pages, count, VM_MAP, PAGE_KERNEL);

	return virt_to_phys(addr); /* expect: vmalloc-virt-to-phys */
}

/* A function that returns vmalloc memory through a variable. */
static void *vlmem_alloc_table(unsigned long n)
{
	void *t = vzalloc(n * sizeof(u64));

	return t;
}

phys_addr_t vlmem_table_phys(unsigned long n)
{
	void *t = vlmem_alloc_table(n);

	return virt_to_phys(t); /* expect: vmalloc-virt-to-phys */
}

/* A parameter that reaches a sink: reported where vmalloc memory is passed. */
static phys_addr_t vlmem_buf_phys(const void *buf)
{
	return virt_to_phys((void *)buf);
}

phys_addr_t vlmem_export(unsigned long size)
{
	void *buf = vmalloc(size);
	void *hdr = kmalloc(64, GFP_KERNEL);

	return vlmem_buf_phys(hdr) + vlmem_buf_phys(buf); /* expect: vmalloc-virt-to-phys */
}

/* Struct fields: what the translation unit stores in them. */
int vlmem_setup(struct vlmem_dev *dev, bool big)
{
	dev->buf = vzalloc(dev->size);
	dev->ring = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (big)
		dev->scratch = vmalloc(dev->size);
	else
		dev->scratch = kmalloc(dev->size, GFP_KERNEL);
	return 0;
}

void vlmem_teardown(struct vlmem_dev *dev)
{
	vfree(dev->buf);
	kvfree(dev->scratch);
	kfree(dev->ring);
	dev->buf = NULL;
}

phys_addr_t vlmem_buf_addr(struct vlmem_dev *dev)
{
	return virt_to_phys(dev->buf); /* expect: vmalloc-virt-to-phys */
}

struct page *vlmem_scratch_page(struct vlmem_dev *dev)
{
	return virt_to_page(dev->scratch); /* expect-possible: vmalloc-virt-to-phys */
}

phys_addr_t vlmem_ring_addr(struct vlmem_dev *dev)
{
	return virt_to_phys(dev->ring);
}
