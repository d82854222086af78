/* SPDX-License-Identifier: GPL-2.0 */
/* Trimmed model of the real include/linux/errno.h (+ uapi/asm-generic/errno-base.h) for the vmalloc-lint corpus. */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#define	EPERM		 1	/* Operation not permitted */
#define	ENOENT		 2	/* No such file or directory */
#define	EIO		 5	/* I/O error */
#define	E2BIG		 7	/* Argument list too long */
#define	EAGAIN		11	/* Try again */
#define	ENOMEM		12	/* Out of memory */
#define	EFAULT		14	/* Bad address */
#define	EBUSY		16	/* Device or resource busy */
#define	EEXIST		17	/* File exists */
#define	ENODEV		19	/* No such device */
#define	EINVAL		22	/* Invalid argument */
#define	ENOSPC		28	/* No space left on device */
#define	ERANGE		34	/* Math result not representable */
#define	ENOSYS		38	/* Invalid system call number */
#define	ENODATA		61	/* No data available */
#define	EOPNOTSUPP	95	/* Operation not supported on transport endpoint */

#endif
