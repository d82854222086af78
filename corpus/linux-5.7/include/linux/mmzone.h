/* Trimmed model of the real include/linux/mmzone.h for the vmalloc-lint corpus. */
#ifndef _LINUX_MMZONE_H
#define _LINUX_MMZONE_H

#ifndef __ASSEMBLY__

#include <linux/types.h>
#include <linux/numa.h>

/* Free memory management - zoned buddy allocator.  */
#ifndef CONFIG_FORCE_MAX_ZONEORDER
#define MAX_ORDER 11
#else
#define MAX_ORDER CONFIG_FORCE_MAX_ZONEORDER
#endif

enum zone_type {
#ifdef CONFIG_ZONE_DMA
	ZONE_DMA,
#endif
#ifdef CONFIG_ZONE_DMA32
	ZONE_DMA32,
#endif
	ZONE_NORMAL,
#ifdef CONFIG_HIGHMEM
	ZONE_HIGHMEM,
#endif
	ZONE_MOVABLE,
#ifdef CONFIG_ZONE_DEVICE
	ZONE_DEVICE,
#endif
	__MAX_NR_ZONES

};

/*
 * (include/generated/bounds.h + include/linux/page-flags-layout.h in the
 * real tree: MAX_NR_ZONES is 4 on x86_64 defconfig, so ZONES_SHIFT is 2.)
 */
#define MAX_NR_ZONES __MAX_NR_ZONES
#define ZONES_SHIFT 2

#endif /* !__ASSEMBLY__ */
#endif /* _LINUX_MMZONE_H */
