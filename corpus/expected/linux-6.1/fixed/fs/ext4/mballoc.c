// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2003-2006, Cluster File Systems, Inc, info@clusterfs.com
 * Written by Alex Tomas <alex@clusterfs.com>
 *
 * vmalloc-lint corpus: trimmed model of the metadata allocations in
 * fs/ext4/mballoc.c, using the kvmalloc() family.
 */

/*
 * mballoc.c contains the multiblocks allocation routines
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

typedef unsigned int ext4_group_t;

struct ext4_group_info {
	unsigned long   bb_state;
	int		bb_free;
	int		bb_fragments;
};

struct ext4_sb_info {
	unsigned int s_group_info_size;
	struct ext4_group_info ***s_group_info;
	unsigned short *s_mb_offsets;
	unsigned int *s_mb_maxs;
	unsigned int s_desc_per_block_bits;
	unsigned int *s_mb_avg_fragment_size;
	unsigned int s_mb_nr_global_goals;
};

struct super_block {
	struct ext4_sb_info *s_fs_info;
	unsigned long s_blocksize;
	unsigned char s_blocksize_bits;
};

static inline struct ext4_sb_info *EXT4_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

#define EXT4_DESC_PER_BLOCK_BITS(s)	(EXT4_SB(s)->s_desc_per_block_bits)
#define EXT4_DESC_PER_BLOCK(s)		(1U << EXT4_DESC_PER_BLOCK_BITS(s))

#define ext4_msg(sb, level, fmt, ...)	printk(level "EXT4-fs: " fmt "\n", ##__VA_ARGS__)

static unsigned long roundup_pow_of_two(unsigned long n)
{
	unsigned long r = 1;

	while (r < n)
		r <<= 1;
	return r;
}

/* Create and initialize ext4_group_info data for the given group. */
int ext4_mb_alloc_groupinfo(struct super_block *sb, ext4_group_t ngroups)
{
	struct ext4_sb_info *sbi = EXT4_SB(sb);
	unsigned size;
	struct ext4_group_info ***old_groupinfo, ***new_groupinfo;

	size = (ngroups + EXT4_DESC_PER_BLOCK(sb) - 1) >>
		EXT4_DESC_PER_BLOCK_BITS(sb);
	if (size <= sbi->s_group_info_size)
		return 0;

	size = roundup_pow_of_two(sizeof(*sbi->s_group_info) * size);
	new_groupinfo = kvzalloc(size, GFP_KERNEL_ACCOUNT); /* expect: vmalloc-kvmalloc-highmem */
	if (!new_groupinfo) {
		ext4_msg(sb, KERN_ERR, "can't allocate buddy meta group");
		return -ENOMEM;
	}
	old_groupinfo = sbi->s_group_info;
	if (old_groupinfo)
		memcpy(new_groupinfo, old_groupinfo,
		       sbi->s_group_info_size * sizeof(*sbi->s_group_info));
	sbi->s_group_info = new_groupinfo;
	sbi->s_group_info_size = size / sizeof(*sbi->s_group_info);
	kvfree(old_groupinfo);
	return 0;
}

int ext4_mb_init(struct super_block *sb)
{
	struct ext4_sb_info *sbi = EXT4_SB(sb);
	unsigned i;
	int ret;

	i = (sb->s_blocksize_bits + 2) * sizeof(*sbi->s_mb_offsets);

	sbi->s_mb_offsets = kvmalloc(i, GFP_KERNEL); /* expect: vmalloc-kvmalloc-highmem */
	if (sbi->s_mb_offsets == NULL) {
		ret = -ENOMEM;
		goto out;
	}

	i = (sb->s_blocksize_bits + 2) * sizeof(*sbi->s_mb_maxs);
	sbi->s_mb_maxs = kvmalloc(i, GFP_KERNEL | __GFP_NORETRY); /* silent: kvmalloc handles __GFP_NORETRY */
	if (sbi->s_mb_maxs == NULL) {
		ret = -ENOMEM;
		goto out;
	}

	sbi->s_mb_nr_global_goals = 16;
	sbi->s_mb_avg_fragment_size =
		kvmalloc(sbi->s_mb_nr_global_goals * sizeof(unsigned int),
			 GFP_KERNEL_ACCOUNT); /* silent */
	if (!sbi->s_mb_avg_fragment_size) {
		ret = -ENOMEM;
		goto out;
	}

	return 0;

out:
	kvfree(sbi->s_mb_avg_fragment_size);
	sbi->s_mb_avg_fragment_size = NULL;
	kvfree(sbi->s_mb_offsets);
	sbi->s_mb_offsets = NULL;
	kvfree(sbi->s_mb_maxs);
	sbi->s_mb_maxs = NULL;
	return ret;
}
