// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel SpeedStep SMI driver.
 *
 * vmalloc-lint corpus: trimmed model of 6.1's
 * drivers/cpufreq/speedstep-smi.c:69. The BIOS gets the physical address
 * of a stack array. Outside arch/, but `depends on X86_32`
 * (drivers/cpufreq/Kconfig.x86): only an i386 kernel builds it, and
 * arch/x86/Kconfig selects HAVE_ARCH_VMAP_STACK only `if X86_64`: the
 * stack is linear memory, virt_to_phys() of it is right. Analysed as i386,
 * silent; vl-speedstep.c, the same code in a driver x86_64 builds, is
 * reported.
 */
#include <linux/io.h>
#include <linux/types.h>

#define GET_SPEEDSTEP_OWNER 0

extern u32 smi_sig, smi_cmd;
extern int speedstep_smi_call(u32 command, u32 function, u32 magic);

int speedstep_smi_ownership(void)
{
	u32 command, magic;
	u32 function = GET_SPEEDSTEP_OWNER;
	unsigned char magic_data[] = "Copyright (c) 1999 Intel Corporation";

	command = (smi_sig & 0xffffff00) | (smi_cmd & 0xff);
	magic = virt_to_phys(magic_data); /* silent */

	return speedstep_smi_call(command, function, magic);
}
