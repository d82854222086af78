/*
   Copyright (C) 2002 Richard Henderson
   Copyright (C) 2001 Rusty Russell, 2002, 2010 Rusty Russell IBM.

    This program is free software; you can redistribute it and/or modify
    it under the terms of the GNU General Public License as published by
    the Free Software Foundation; either version 2 of the License, or
    (at your option) any later version.

    vmalloc-lint corpus: trimmed model of the module image buffers in
    Linux 4.9 kernel/module.c. No finding is expected here.
*/

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define ENOEXEC 8

struct load_info {
	void *hdr;
	unsigned long len;
	char *secstrings, *strtab;
};

extern unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);

/* Sets info->hdr and info->len. */
static int copy_module_from_user(const void __user *umod, unsigned long len,
				  struct load_info *info)
{
	info->len = len;
	if (info->len < 64)
		return -ENOEXEC;

	/* Suck in entire file: we'll want most of it. */
	info->hdr = __vmalloc(info->len,
			GFP_KERNEL | __GFP_HIGHMEM | __GFP_NOWARN, PAGE_KERNEL); /* silent */
	if (!info->hdr)
		return -ENOMEM;

	if (copy_from_user(info->hdr, umod, info->len) != 0) {
		vfree(info->hdr);
		return -EFAULT;
	}

	return 0;
}

/* Scratch copy of the section headers. */
static int copy_module_sechdrs(struct load_info *info, unsigned long size)
{
	void *sechdrs = vmalloc(size); /* silent */

	if (!sechdrs)
		return -ENOMEM;
	memcpy(sechdrs, info->hdr, size);
	vfree(sechdrs);
	return 0;
}

/* The relocated image, written by the module loader. */
static void *module_image_alloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_HIGHMEM, PAGE_KERNEL); /* silent */
}

int load_module_image(const void __user *umod, unsigned long len)
{
	struct load_info info = { };
	void *image;
	int err;

	err = copy_module_from_user(umod, len, &info);
	if (err)
		return err;
	err = copy_module_sechdrs(&info, 64);
	if (err)
		goto out;
	image = module_image_alloc(len);
	if (!image) {
		err = -ENOMEM;
		goto out;
	}
	vfree(image);
out:
	vfree(info.hdr);
	return err;
}
