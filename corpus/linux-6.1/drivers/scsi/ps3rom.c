// SPDX-License-Identifier: GPL-2.0-only
/*
 * PS3 BD/DVD/CD-ROM Storage Driver
 *
 * vmalloc-lint corpus: trimmed model of 6.1's drivers/scsi/ps3rom.c:125.
 * The ATAPI command block is on the stack and its physical address goes to
 * the hypervisor. Outside arch/, but only powerpc can build it (PS3_ROM is
 * defined in arch/powerpc/platforms/ps3/Kconfig), and 6.1's powerpc selects
 * no HAVE_ARCH_VMAP_STACK: the stack is linear memory, __pa() of it is
 * right. Analysed as powerpc, silent; vl-ps3-ct.c, the same code that
 * COMPILE_TEST lets x86_64 build, is reported.
 */
#include <linux/io.h>
#include <linux/string.h>
#include <linux/types.h>

struct lv1_atapi_cmnd_block {
	u8 pkt[32];
	u32 pktlen;
	u32 blocks;
	u32 block_size;
	u32 proto;
	u32 in_out;
	u64 buffer;
	u32 arglen;
};

extern unsigned long ps3_mm_phys_to_lpar(unsigned long phys_addr);
extern int lv1_storage_send_device_command(u64 dev_id, u64 cmd, u64 lpar,
					   u64 size, u64 buffer, u64 arglen,
					   u64 *tag);

int ps3rom_atapi_request(u64 dev_id, const u8 *cdb, u64 bounce_lpar,
			 u32 len, u64 *tag)
{
	struct lv1_atapi_cmnd_block atapi_cmnd;
	unsigned long lpar;

	memset(&atapi_cmnd, 0, sizeof(struct lv1_atapi_cmnd_block));
	memcpy(&atapi_cmnd.pkt, cdb, 12);
	atapi_cmnd.pktlen = 12;
	atapi_cmnd.block_size = 1;
	atapi_cmnd.blocks = atapi_cmnd.arglen = len;
	atapi_cmnd.buffer = bounce_lpar;

	lpar = ps3_mm_phys_to_lpar(__pa(&atapi_cmnd)); /* silent */
	return lv1_storage_send_device_command(dev_id, 1, lpar,
					       sizeof(atapi_cmnd),
					       atapi_cmnd.buffer,
					       atapi_cmnd.arglen, tag);
}
