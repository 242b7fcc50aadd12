#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

int vb_kvm_check_cap(const struct vb_kvm *kvm, long cap)
{
	int r = ioctl(kvm->fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? 0 : r;
}

static void read_caps(struct vb_kvm *kvm)
{
	kvm->max_vcpus = vb_kvm_check_cap(kvm, KVM_CAP_MAX_VCPUS);
	/* KVM documents KVM_CAP_NR_VCPUS as the fallback for old kernels. */
	if (kvm->max_vcpus <= 0)
		kvm->max_vcpus = vb_kvm_check_cap(kvm, KVM_CAP_NR_VCPUS);
	kvm->max_vcpu_id = vb_kvm_check_cap(kvm, KVM_CAP_MAX_VCPU_ID);
	if (kvm->max_vcpu_id <= 0)
		kvm->max_vcpu_id = kvm->max_vcpus;
	kvm->nr_memslots = vb_kvm_check_cap(kvm, KVM_CAP_NR_MEMSLOTS);
	kvm->has_stats_fd = vb_kvm_check_cap(kvm, KVM_CAP_BINARY_STATS_FD) > 0;
	kvm->has_immediate_exit = vb_kvm_check_cap(kvm, KVM_CAP_IMMEDIATE_EXIT) > 0;
}

int vb_kvm_open(struct vb_kvm *kvm, const char *path)
{
	*kvm = (struct vb_kvm){ .fd = -1 };
	kvm->fd = open(path, O_RDWR | O_CLOEXEC);
	if (kvm->fd < 0)
		return -errno;
	kvm->api_version = ioctl(kvm->fd, KVM_GET_API_VERSION, 0);
	if (kvm->api_version != KVM_API_VERSION) {
		vb_kvm_release(kvm);
		return -EPROTO;
	}
	read_caps(kvm);
	kvm->vmx = access("/sys/module/kvm_intel", F_OK) == 0;
	return 0;
}

int vb_kvm_get_supported_cpuid(struct vb_kvm *kvm)
{
	/* Start where current CPUs land and grow: KVM says E2BIG when short. */
	for (unsigned n = 128; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

		if (!c)
			return -ENOMEM;
		c->nent = n;
		if (ioctl(kvm->fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
			free(kvm->cpuid);
			kvm->cpuid = c;
			return 0;
		}
		int err = errno;

		free(c);
		if (err != E2BIG)
			return -err;
	}
	return -E2BIG;
}

int vb_kvm_get_vcpu_mmap_size(struct vb_kvm *kvm)
{
	int r = ioctl(kvm->fd, KVM_GET_VCPU_MMAP_SIZE, 0);

	if (r < 0)
		return -errno;
	kvm->vcpu_mmap_size = (size_t)r;
	return 0;
}

void vb_kvm_release(struct vb_kvm *kvm)
{
	if (kvm->fd >= 0)
		close(kvm->fd);
	free(kvm->cpuid);
	*kvm = (struct vb_kvm){ .fd = -1 };
}
