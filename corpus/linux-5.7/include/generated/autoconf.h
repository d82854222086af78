/* Trimmed model of the generated include/generated/autoconf.h (x86_64 defconfig) for the vmalloc-lint corpus. */
/*
 *
 * Automatically generated file; DO NOT EDIT.
 * Linux/x86 4.9.0 Kernel Configuration
 *
 */
#define CONFIG_X86_64 1
#define CONFIG_X86 1
#define CONFIG_64BIT 1
#define CONFIG_MMU 1
#define CONFIG_NUMA 1
#define CONFIG_SMP 1
#define CONFIG_ZONE_DMA 1
#define CONFIG_ZONE_DMA32 1
#define CONFIG_PHYS_ADDR_T_64BIT 1
#define CONFIG_VMAP_STACK 1
#define CONFIG_MODULES 1
#define CONFIG_PRINTK 1
#define CONFIG_BPF_SYSCALL 1
