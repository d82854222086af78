/*
 *  linux/kernel/fork.c
 *
 *  (C) 1991  Linus Torvalds
 *
 *  vmalloc-lint corpus: trimmed model of alloc_thread_stack_node() from
 *  Linux 4.9 kernel/fork.c, with the __GFP_HIGHMEM that 4.9 passes there
 *  left out (the node-aware __vmalloc_node_range() lowmem case).
 */

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/thread_info.h>
#include <linux/vmalloc.h>

static unsigned long *alloc_thread_stack_node(struct task_struct *tsk, int node)
{
#ifdef CONFIG_VMAP_STACK
	void *stack;

	stack = __vmalloc_node_range(THREAD_SIZE, THREAD_SIZE,
				     VMALLOC_START, VMALLOC_END,
				     THREADINFO_GFP | __GFP_HIGHMEM, /* expect: vmalloc-lowmem-gfp */
				     PAGE_KERNEL,
				     0, node, __builtin_return_address(0));

	/*
	 * We can't call find_vm_area() in interrupt context, and
	 * free_thread_stack() can be called in interrupt context,
	 * so cache the vm_struct.
	 */
	if (stack)
		tsk->stack_vm_area = find_vm_area(stack);
	return stack;
#else
	struct page *page = alloc_pages_node(node, THREADINFO_GFP,
					     THREAD_SIZE_ORDER);

	return page ? page_address(page) : NULL;
#endif
}

static inline void free_thread_stack(struct task_struct *tsk)
{
	vfree(tsk->stack);
}

int arch_dup_task_stack(struct task_struct *tsk, int node)
{
	unsigned long *stack = alloc_thread_stack_node(tsk, node);

	if (!stack)
		return -ENOMEM;
	tsk->stack = stack;
	free_thread_stack(tsk);
	return 0;
}
