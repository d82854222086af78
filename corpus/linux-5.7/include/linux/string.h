/* Trimmed model of the real include/linux/string.h for the vmalloc-lint corpus. */
#ifndef _LINUX_STRING_H_
#define _LINUX_STRING_H_

#include <linux/compiler.h>
#include <linux/types.h>

extern void *memset(void *, int, __kernel_size_t);
extern void *memcpy(void *, const void *, __kernel_size_t);
extern int memcmp(const void *, const void *, __kernel_size_t);
extern __kernel_size_t strlen(const char *);
extern char *strcpy(char *, const char *);
extern ssize_t strscpy(char *, const char *, size_t);

#endif /* _LINUX_STRING_H_ */
