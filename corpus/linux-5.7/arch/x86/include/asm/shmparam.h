/* Trimmed model of the real arch/x86/include/asm/shmparam.h for the vmalloc-lint corpus. */
#ifndef _ASM_X86_SHMPARAM_H
#define _ASM_X86_SHMPARAM_H

#define SHMLBA PAGE_SIZE	 /* attach addr a multiple of this */

#endif /* _ASM_X86_SHMPARAM_H */
