// SPDX-License-Identifier: GPL-2.0
/*
 * vl-ffs: a gadget function's I/O buffer (the shape of
 * drivers/usb/gadget/function/f_fs.c in 6.1: ffs_alloc_buffer() and
 * ffs_free_buffer()).
 *
 * vmalloc-lint corpus, pass 2, tag correlation across an allocating and a
 * freeing function: the allocator picks vmalloc() or kmalloc() by a tag
 * field of the object it is given (io_data->use_sg), its caller stores the
 * buffer in that object, and the free picks vfree() or kfree() by the same
 * tag: silent. A free on the wrong side of the tag is reported.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

struct vl_ffs_io_data {
	bool aio;
	bool use_sg;
	void *buf;
	size_t len;
};

static void *vl_ffs_build_sg_list(size_t sz)
{
	void *vaddr = vmalloc(sz);

	if (!vaddr)
		return NULL;
	return vaddr;
}

static inline void *vl_ffs_alloc_buffer(struct vl_ffs_io_data *io_data,
					size_t data_len)
{
	if (io_data->use_sg)
		return vl_ffs_build_sg_list(data_len);

	return kmalloc(data_len, GFP_KERNEL);
}

static inline void vl_ffs_free_buffer(struct vl_ffs_io_data *io_data)
{
	if (!io_data->buf)
		return;

	if (io_data->use_sg)
		vfree(io_data->buf); /* silent */
	else
		kfree(io_data->buf); /* silent */
}

/* The free on the wrong side of the tag. */
static void vl_ffs_free_buffer_swapped(struct vl_ffs_io_data *io_data)
{
	if (io_data->use_sg)
		kfree(io_data->buf); /* expect: vmalloc-free-mismatch */
	else
		vfree(io_data->buf); /* expect: vmalloc-free-mismatch */
}

int vl_ffs_epfile_io(struct vl_ffs_io_data *io_data, size_t data_len,
		     bool sg_supported)
{
	char *data;

	io_data->use_sg = sg_supported && data_len > PAGE_SIZE;
	data = vl_ffs_alloc_buffer(io_data, data_len);
	if (!data)
		return -ENOMEM;
	io_data->buf = data;
	io_data->len = data_len;
	if (io_data->aio)
		return 0;
	vl_ffs_free_buffer(io_data);
	return 0;
}

void vl_ffs_epfile_release(struct vl_ffs_io_data *io_data)
{
	vl_ffs_free_buffer_swapped(io_data);
}
