// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2012 - Virtual Open Systems and Columbia University
 * Author: Christoffer Dall <c.dall@virtualopensystems.com>
 *
 * vmalloc-lint corpus: trimmed model of Linux 6.1 arch/arm64/kvm/arm.c.
 */

#define __KVM_HAVE_ARCH_VM_ALLOC

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kvm_host.h>
#include <linux/vmalloc.h>

static unsigned int kvm_vmid_bits;

int kvm_arch_init_vm(struct kvm *kvm, unsigned long type)
{
	if (type & ~0xffUL)
		return -EINVAL;

	kvm->max_vcpus = KVM_MAX_VCPUS;
	kvm->arch.max_vcpus = kvm_vmid_bits ? KVM_MAX_VCPUS : 0;

	return 0;
}

struct kvm *kvm_arch_alloc_vm(void)
{
	size_t sz = sizeof(struct kvm);

	if (!has_vhe())
		return kzalloc(sz, GFP_KERNEL_ACCOUNT);

	return __vmalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_ZERO); /* expect: vmalloc-redundant-highmem */
}

void kvm_arch_free_vm(struct kvm *kvm)
{
	__kvm_arch_free_vm(kvm);
}

int kvm_arch_vcpu_precreate(struct kvm *kvm, unsigned int id)
{
	if (id >= kvm->max_vcpus)
		return -EINVAL;

	return 0;
}
