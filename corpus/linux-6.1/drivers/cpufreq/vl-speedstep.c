// SPDX-License-Identifier: GPL-2.0-only
/*
 * vl-speedstep: speedstep-smi's shape for every x86 kernel.
 *
 * vmalloc-lint corpus: the code of speedstep-smi.c in a driver without
 * `depends on X86_32`: x86_64 builds it, and x86_64's stacks may be vmalloc
 * memory (HAVE_ARCH_VMAP_STACK if X86_64): virt_to_phys() of the stack
 * array is reported.
 */
#include <linux/io.h>
#include <linux/types.h>

#define GET_SPEEDSTEP_OWNER 0

extern u32 smi_sig, smi_cmd;
extern int speedstep_smi_call(u32 command, u32 function, u32 magic);

int vl_speedstep_ownership(void)
{
	u32 command, magic;
	u32 function = GET_SPEEDSTEP_OWNER;
	unsigned char magic_data[] = "Copyright (c) 1999 Intel Corporation";

	command = (smi_sig & 0xffffff00) | (smi_cmd & 0xff);
	magic = virt_to_phys(magic_data); /* expect: vmalloc-stack-dma */

	return speedstep_smi_call(command, function, magic);
}
