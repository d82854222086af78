/* SPDX-License-Identifier: GPL-2.0-only */
/* Trimmed model of the real include/linux/kvm_host.h for the vmalloc-lint corpus. */
#ifndef __KVM_HOST_H
#define __KVM_HOST_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define KVM_MAX_VCPUS 512

struct kvm_vcpu;

struct kvm_arch {
	u64 vtcr;
	unsigned long flags;
	unsigned int max_vcpus;
};

struct kvm {
	spinlock_t mmu_lock;
	struct mutex lock; /* protects the vcpus array and APIC accesses */
	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS];
	atomic_t online_vcpus;
	int max_vcpus;
	int created_vcpus; /* protected by kvm->lock */
	struct kvm_arch arch;
};

/*
 * arm64: has_vhe() lives in arch/arm64/include/asm/virt.h in the real tree;
 * the corpus builds every file with x86 include paths, so it is modelled here.
 */
extern bool has_vhe(void);

#ifndef __KVM_HAVE_ARCH_VM_ALLOC
/*
 * All architectures that want to use vzalloc currently also
 * need their own kvm_arch_alloc_vm implementation.
 */
static inline struct kvm *kvm_arch_alloc_vm(void)
{
	return kzalloc(sizeof(struct kvm), GFP_KERNEL);
}
#endif

static inline void __kvm_arch_free_vm(struct kvm *kvm)
{
	kvfree(kvm);
}

#endif
