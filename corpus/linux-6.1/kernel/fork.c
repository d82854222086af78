// SPDX-License-Identifier: GPL-2.0-only
/*
 *  linux/kernel/fork.c
 *
 *  Copyright (C) 1991, 1992  Linus Torvalds
 *
 *  vmalloc-lint corpus: trimmed model of the vmapped kernel stack
 *  allocation in kernel/fork.c. No finding is expected here.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/thread_info.h>
#include <linux/vmalloc.h>

struct task_struct {
	void			*stack;
	struct vm_struct	*stack_vm_area;
	unsigned int		flags;
};

extern int memcg_charge_kernel_stack(struct vm_struct *vm);

static int alloc_thread_stack_node(struct task_struct *tsk, int node)
{
	struct vm_struct *vm;
	void *stack;

	/*
	 * Allocated stacks are cached and later reused by new threads,
	 * so memcg accounting is performed manually on assigning/releasing
	 * stacks to tasks. Drop __GFP_ACCOUNT.
	 */
	stack = __vmalloc_node_range(THREAD_SIZE, THREAD_ALIGN,
				     VMALLOC_START, VMALLOC_END,
				     THREADINFO_GFP & ~__GFP_ACCOUNT, /* silent */
				     PAGE_KERNEL,
				     0, node, __builtin_return_address(0));
	if (!stack)
		return -ENOMEM;

	vm = find_vm_area(stack);
	if (memcg_charge_kernel_stack(vm)) {
		vfree(stack);
		return -ENOMEM;
	}
	/*
	 * We can't call find_vm_area() in interrupt context, and
	 * free_thread_stack() can be called in interrupt context,
	 * so cache the vm_struct.
	 */
	tsk->stack_vm_area = vm;
	tsk->stack = stack;
	return 0;
}

static void free_thread_stack(struct task_struct *tsk)
{
	vfree(tsk->stack);
	tsk->stack = NULL;
	tsk->stack_vm_area = NULL;
}

int dup_task_stack(struct task_struct *tsk, int node)
{
	int err = alloc_thread_stack_node(tsk, node);

	if (err)
		return err;
	memset(tsk->stack, 0, THREAD_SIZE);
	free_thread_stack(tsk);
	return 0;
}
