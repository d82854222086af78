// SPDX-License-Identifier: GPL-2.0
/*
 * hmmod: an out-of-tree module analysed against a headers-only tree
 * (test/realtree/debian_headers_test.sh): with the headers it has its
 * finding; outside any tree, without them, the run fails loudly.
 */
#include <linux/module.h>
#include <linux/vmalloc.h>

static void *hmmod_buf;

static int __init hmmod_init(void)
{
	hmmod_buf = __vmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_HIGHMEM); /* expect: vmalloc-redundant-highmem */
	return hmmod_buf ? 0 : -ENOMEM;
}

static void __exit hmmod_exit(void)
{
	vfree(hmmod_buf);
}

module_init(hmmod_init);
module_exit(hmmod_exit);
MODULE_LICENSE("GPL");
