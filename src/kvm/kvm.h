/* Process-wide KVM state: the /dev/kvm handle, the API version, the
 * capabilities the runner relies on, and the two answers every vCPU needs
 * (supported CPUID, kvm_run mapping size), fetched once per run. */
#ifndef VB_KVM_H
#define VB_KVM_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>

struct vb_kvm {
	int fd;
	int api_version;
	int max_vcpus;       /* KVM_CAP_MAX_VCPUS: vCPUs per VM */
	int max_vcpu_id;     /* KVM_CAP_MAX_VCPU_ID, or max_vcpus if absent */
	int nr_memslots;     /* KVM_CAP_NR_MEMSLOTS */
	bool has_stats_fd;   /* KVM_CAP_BINARY_STATS_FD */
	bool has_immediate_exit; /* KVM_CAP_IMMEDIATE_EXIT */
	/* kvm_intel is the backend: the VMX-only VM steps (TSS and identity
	 * map addresses) apply. Elsewhere (kvm_amd, kvm_pvm) they are no-ops
	 * and are not measured. */
	bool vmx;
	size_t vcpu_mmap_size;
	struct kvm_cpuid2 *cpuid; /* KVM_GET_SUPPORTED_CPUID, owned */
};

/* Open @path (normally "/dev/kvm"), check KVM_GET_API_VERSION is 12 and
 * read the capabilities. 0, or -errno (-EPROTO for a wrong API version);
 * @kvm is released again on error. */
int vb_kvm_open(struct vb_kvm *kvm, const char *path);

/* KVM_GET_SUPPORTED_CPUID into kvm->cpuid, growing the buffer on E2BIG. */
int vb_kvm_get_supported_cpuid(struct vb_kvm *kvm);

/* KVM_GET_VCPU_MMAP_SIZE into kvm->vcpu_mmap_size. */
int vb_kvm_get_vcpu_mmap_size(struct vb_kvm *kvm);

/* KVM_CHECK_EXTENSION on the system fd: the value, or 0 when absent. */
int vb_kvm_check_cap(const struct vb_kvm *kvm, long cap);

void vb_kvm_release(struct vb_kvm *kvm);

#endif
