/* Trimmed model of the real include/linux/export.h for the vmalloc-lint corpus. */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

/*
 * Export symbols from the kernel to modules.  Forked from module.h
 * to reduce the amount of pointless cruft we feed to gcc when only
 * exporting a simple symbol or two.
 */
#define ___EXPORT_SYMBOL(sym, sec)	extern typeof(sym) sym

#define EXPORT_SYMBOL(sym)					\
	___EXPORT_SYMBOL(sym, "")

#define EXPORT_SYMBOL_GPL(sym)					\
	___EXPORT_SYMBOL(sym, "_gpl")

#endif /* _LINUX_EXPORT_H */
