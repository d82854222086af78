// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (C) 2002 Richard Henderson
 * Copyright (C) 2001 Rusty Russell, 2002, 2010 Rusty Russell IBM.
 *
 * vmalloc-lint corpus: trimmed model of the module image buffers in
 * kernel/module/main.c. No finding is expected here.
 */

#define INCLUDE_VERMAGIC

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define ENOEXEC 8

struct load_info {
	const char *name;
	/* pointer to module in temporary copy, freed at end of load_module() */
	void *hdr;
	unsigned long len;
	char *secstrings, *strtab;
};

extern int copy_chunked_from_user(void *dst, const void __user *usrc, unsigned long len);

/* Sets info->hdr and info->len. */
static int copy_module_from_user(const void __user *umod, unsigned long len,
				  struct load_info *info)
{
	int err = 0;

	info->len = len;
	if (info->len < 64)
		return -ENOEXEC;

	/* Suck in entire file: we'll want most of it. */
	info->hdr = __vmalloc(info->len, GFP_KERNEL | __GFP_NOWARN); /* silent */
	if (!info->hdr)
		return -ENOMEM;

	if (copy_chunked_from_user(info->hdr, umod, info->len) != 0) {
		err = -EFAULT;
		goto out;
	}

out:
	if (err)
		vfree(info->hdr);

	return err;
}

/* Decompression target for compressed modules. */
static int module_decompress_alloc(struct load_info *info, unsigned long size)
{
	void *out = __vmalloc(size, GFP_KERNEL); /* silent */

	if (!out)
		return -ENOMEM;
	memset(out, 0, size);
	vfree(info->hdr);
	info->hdr = out;
	info->len = size;
	return 0;
}

int load_module_image(const void __user *umod, unsigned long len, bool compressed)
{
	struct load_info info = { };
	int err;

	err = copy_module_from_user(umod, len, &info);
	if (err)
		return err;
	if (compressed) {
		err = module_decompress_alloc(&info, 4 * len);
		if (err)
			goto out;
	}
out:
	vfree(info.hdr);
	return err;
}
