/* Trimmed model of the real include/linux/compiler.h (+ compiler-gcc.h) for the vmalloc-lint corpus. */
#ifndef __LINUX_COMPILER_H
#define __LINUX_COMPILER_H

#ifndef __ASSEMBLY__

#ifdef __CHECKER__
# define __user		__attribute__((noderef, address_space(1)))
# define __kernel	__attribute__((address_space(0)))
# define __safe		__attribute__((safe))
# define __force	__attribute__((force))
# define __nocast	__attribute__((nocast))
# define __iomem	__attribute__((noderef, address_space(2)))
# define __must_hold(x)	__attribute__((context(x,1,1)))
# define __acquires(x)	__attribute__((context(x,0,1)))
# define __releases(x)	__attribute__((context(x,1,0)))
# define __percpu	__attribute__((noderef, address_space(3)))
# define __rcu		__attribute__((noderef, address_space(4)))
#else /* __CHECKER__ */
# define __user
# define __kernel
# define __safe
# define __force
# define __nocast
# define __iomem
# define __must_hold(x)
# define __acquires(x)
# define __releases(x)
# define __percpu
# define __rcu
#endif /* __CHECKER__ */

/* (compiler-gcc.h in the real tree) */
#define __always_inline	inline __attribute__((always_inline))
#define noinline	__attribute__((noinline))
#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __maybe_unused	__attribute__((unused))
#define __used		__attribute__((__used__))
#define __must_check	__attribute__((warn_unused_result))
#define __malloc	__attribute__((__malloc__))
#define __cold		__attribute__((__cold__))
#define __section(S)	__attribute__ ((__section__(#S)))

# define likely(x)	__builtin_expect(!!(x), 1)
# define unlikely(x)	__builtin_expect(!!(x), 0)

/* Optimization barrier */
# define barrier() __asm__ __volatile__("": : :"memory")

#endif /* __ASSEMBLY__ */

#endif /* __LINUX_COMPILER_H */
