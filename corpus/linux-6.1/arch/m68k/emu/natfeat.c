// SPDX-License-Identifier: GPL-2.0
/*
 * The shape of 6.1's arch/m68k/emu/natfeat.c: ARAnyM's native features
 * take the physical address of a stack buffer.
 *
 * vmalloc-lint corpus, pass 2: m68k has no CONFIG_VMAP_STACK (its
 * arch/m68k/Kconfig does not select HAVE_ARCH_VMAP_STACK), so a stack
 * buffer at a linear-map or DMA sink is linear memory here. The same code
 * under drivers/ (an x86 file) is reported: drivers/misc/vl-stack-phys.c.
 */
#include <linux/io.h>
#include <linux/string.h>
#include <linux/types.h>

extern long nf_get_id_phys(unsigned long feature_name);
extern long nf_call(long id, ...);

long nf_get_id(const char *feature_name)
{
	/* feature_name may be in vmalloc()ed memory, so make a copy */
	char name_copy[32];

	if (strscpy(name_copy, feature_name, sizeof(name_copy)) < 0)
		return 0;

	return nf_get_id_phys(virt_to_phys(name_copy)); /* silent */
}

void nf_init(void)
{
	unsigned long id;
	char buf[256];

	id = nf_get_id("NF_NAME");
	if (!id)
		return;
	nf_call(id, virt_to_phys(buf), 256); /* silent */
	buf[255] = 0;
}
