// SPDX-License-Identifier: GPL-2.0-only
/* Shaped like drivers/pcmcia/electra_cf.c of Linux 5.7: __get_vm_area(). */
#include <linux/vmalloc.h>

#define PHB_IO_BASE	0xd000080000000000UL
#define PHB_IO_END	0xd000080080000000UL

struct electra_cf_socket {
	unsigned long io_size;
	struct vm_struct *io_area;
};

int electra_cf_probe(struct electra_cf_socket *cf)
{
	struct vm_struct *area;

	area = __get_vm_area(cf->io_size, 0, PHB_IO_BASE, PHB_IO_END); /* expect: vmalloc-api-migration */
	if (area == NULL)
		return -1;
	cf->io_area = area;
	return 0;
}
