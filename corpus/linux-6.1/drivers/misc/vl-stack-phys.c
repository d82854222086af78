// SPDX-License-Identifier: GPL-2.0
/*
 * vl-stack-phys: a firmware call that takes the physical address of a
 * stack buffer (the shape of arch/m68k/emu/natfeat.c, in an x86 file).
 *
 * vmalloc-lint corpus, pass 2: x86's arch/x86/Kconfig selects
 * HAVE_ARCH_VMAP_STACK (if X86_64), so the stack may be vmalloc memory and
 * virt_to_phys() of it is wrong. arch/m68k/emu/natfeat.c, the same code
 * for an arch without VMAP_STACK, is silent.
 */
#include <linux/io.h>
#include <linux/string.h>
#include <linux/types.h>

extern long vl_fw_get_id_phys(unsigned long feature_name);
extern long vl_fw_call(long id, ...);

long vl_fw_get_id(const char *feature_name)
{
	char name_copy[32];

	if (strscpy(name_copy, feature_name, sizeof(name_copy)) < 0)
		return 0;

	return vl_fw_get_id_phys(virt_to_phys(name_copy)); /* expect: vmalloc-stack-dma */
}

void vl_fw_init(void)
{
	unsigned long id;
	char buf[256];

	id = vl_fw_get_id("VL_NAME");
	if (!id)
		return;
	vl_fw_call(id, virt_to_phys(buf), 256); /* expect: vmalloc-stack-dma */
	buf[255] = 0;
}
