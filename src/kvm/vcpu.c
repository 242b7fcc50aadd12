#include "vcpu.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "x86_boot.h"

void vb_vcpu_init(struct vb_vcpu *v, int id, size_t run_size,
		  struct kvm_cpuid2 *cpuid, uint64_t entry)
{
	*v = (struct vb_vcpu){ .fd = -1, .id = id, .run_size = run_size,
			       .cpuid = cpuid, .entry = entry };
}

/* The failing request's name is kept for the error message: a phase may
 * make two ioctls (vcpu_sregs: GET then SET). */
static int vcpu_ioctl_named(struct vb_vcpu *v, unsigned long request, const char *name, void *arg)
{
	if (ioctl(v->fd, request, arg) >= 0)
		return 0;
	v->failed_call = name;
	return -errno;
}
#define vcpu_ioctl(v, request, arg) vcpu_ioctl_named(v, request, #request, arg)

int vb_vcpu_create(struct vb_vcpu *v, int vm_fd)
{
	v->fd = ioctl(vm_fd, KVM_CREATE_VCPU, (unsigned long)v->id);
	return v->fd < 0 ? -errno : 0;
}

int vb_vcpu_map_run(struct vb_vcpu *v)
{
	void *p = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	v->run = p;
	return 0;
}

int vb_vcpu_setup_cpuid(struct vb_vcpu *v)
{
	return vcpu_ioctl(v, KVM_SET_CPUID2, v->cpuid);
}

int vb_vcpu_setup_fpu(struct vb_vcpu *v)
{
	struct kvm_fpu fpu = vb_x86_boot_fpu();

	return vcpu_ioctl(v, KVM_SET_FPU, &fpu);
}

int vb_vcpu_setup_lapic(struct vb_vcpu *v)
{
	int err = vcpu_ioctl(v, KVM_GET_LAPIC, &v->lapic);

	if (err)
		return err;
	vb_x86_lapic_set_lint(&v->lapic);
	return vcpu_ioctl(v, KVM_SET_LAPIC, &v->lapic);
}

int vb_vcpu_set_runnable(struct vb_vcpu *v)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	return vcpu_ioctl(v, KVM_SET_MP_STATE, &mp);
}

int vb_vcpu_setup_msrs(struct vb_vcpu *v)
{
	/* struct kvm_msrs ends in a flexible array: room for it on the stack,
	 * no allocation inside the timed phase. */
	_Alignas(struct kvm_msrs) unsigned char buf[sizeof(struct kvm_msrs) +
						    VB_BOOT_MSR_COUNT * sizeof(struct kvm_msr_entry)];
	struct kvm_msrs *msrs = (struct kvm_msrs *)buf;
	int n;

	memset(buf, 0, sizeof(buf));
	msrs->nmsrs = VB_BOOT_MSR_COUNT;
	vb_x86_boot_msrs(msrs->entries);
	n = ioctl(v->fd, KVM_SET_MSRS, msrs);
	if (n < 0)
		return -errno;
	/* KVM_SET_MSRS stops at the first MSR it rejects and returns how many
	 * it set: fewer than asked is a failure, as in the seed. */
	return n == VB_BOOT_MSR_COUNT ? 0 : -EIO;
}

int vb_vcpu_get_where(struct vb_vcpu *v, uint64_t *rip, bool *irq_on, bool *halted)
{
	struct kvm_mp_state mp;
	struct kvm_regs regs;
	int r = vcpu_ioctl(v, KVM_GET_REGS, &regs);

	if (r)
		return r;
	*rip = regs.rip;
	*irq_on = regs.rflags & 0x200; /* IF */
	/* Without an in-kernel irqchip there is no MP state: not halted. */
	*halted = ioctl(v->fd, KVM_GET_MP_STATE, &mp) == 0 && mp.mp_state == KVM_MP_STATE_HALTED;
	return 0;
}

int vb_vcpu_setup_regs(struct vb_vcpu *v)
{
	v->regs = vb_x86_boot_regs(v->entry, VB_BOOT_STACK_POINTER,
				   VB_BOOT_STACK_POINTER, VB_ZERO_PAGE_START);
	return vcpu_ioctl(v, KVM_SET_REGS, &v->regs);
}

int vb_vcpu_setup_sregs(struct vb_vcpu *v)
{
	uint64_t gdt[VB_BOOT_GDT_MAX];
	int r = vcpu_ioctl(v, KVM_GET_SREGS, &v->sregs);

	if (r)
		return r;
	vb_x86_boot_gdt(gdt);
	vb_x86_boot_sregs(&v->sregs, gdt, VB_BOOT_GDT_MAX, VB_BOOT_GDT_OFFSET,
			  VB_BOOT_IDT_OFFSET, VB_PML4_START);
	return vcpu_ioctl(v, KVM_SET_SREGS, &v->sregs);
}

int vb_vcpu_run(struct vb_vcpu *v)
{
	return vcpu_ioctl(v, KVM_RUN, NULL);
}

void vb_vcpu_kick(struct kvm_run *run)
{
	/* immediate_exit closes the race of a signal landing just before the
	 * owner enters KVM_RUN: KVM then returns EINTR at once. */
	atomic_store_explicit((_Atomic uint8_t *)&run->immediate_exit, 1, memory_order_release);
}

int vb_vcpu_close(struct vb_vcpu *v)
{
	int err = 0;

	if (v->run && munmap(v->run, v->run_size) < 0)
		err = -errno;
	v->run = NULL;
	if (v->fd >= 0 && close(v->fd) < 0 && !err)
		err = -errno;
	v->fd = -1;
	return err;
}
