/* One vCPU: its fd, its kvm_run mapping and the per-vCPU setup phases. Each
 * vb_vcpu_* step is one phase of the brief (one ioctl, or GET+SET for
 * sregs as in the seed), measured by the runner around the call; all
 * return 0 or -errno. A vCPU belongs to one thread; only
 * vb_vcpu_kick() may be called from another one. */
#ifndef VB_VCPU_H
#define VB_VCPU_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vb_vcpu {
	int fd;
	int id;
	struct kvm_run *run;      /* shared kvm_run page, or NULL */
	size_t run_size;
	struct kvm_cpuid2 *cpuid; /* what vcpu_cpuid sets; owned by the caller */
	uint64_t entry;           /* rip at boot */
	struct kvm_regs regs;     /* as set by vcpu_regs, for --verify */
	struct kvm_sregs sregs;   /* as set by vcpu_sregs, for --verify */
	struct kvm_lapic_state lapic; /* as set by vcpu_lapic */
	const char *failed_call;  /* "KVM_SET_SREGS" of the last failed ioctl, or NULL */
};

/* Make @v empty. @cpuid is borrowed, not copied. */
void vb_vcpu_init(struct vb_vcpu *v, int id, size_t run_size,
		  struct kvm_cpuid2 *cpuid, uint64_t entry);

int vb_vcpu_create(struct vb_vcpu *v, int vm_fd); /* vcpu_create: KVM_CREATE_VCPU */
int vb_vcpu_map_run(struct vb_vcpu *v);           /* vcpu_mmap */
int vb_vcpu_setup_cpuid(struct vb_vcpu *v);       /* vcpu_cpuid: KVM_SET_CPUID2 */
int vb_vcpu_setup_fpu(struct vb_vcpu *v);         /* vcpu_fpu: KVM_SET_FPU */
int vb_vcpu_setup_msrs(struct vb_vcpu *v);        /* vcpu_msrs: KVM_SET_MSRS, all ten or -EIO */
int vb_vcpu_setup_regs(struct vb_vcpu *v);        /* vcpu_regs: KVM_SET_REGS */
int vb_vcpu_setup_sregs(struct vb_vcpu *v);       /* vcpu_sregs: KVM_GET_SREGS + KVM_SET_SREGS */
/* --irqchip kernel. vcpu_lapic: KVM_GET_LAPIC + KVM_SET_LAPIC with LINT0
 * ExtINT and LINT1 NMI (x86_boot.h), kept in @v->lapic for --verify;
 * vcpu_mp_state: KVM_SET_MP_STATE runnable (with an in-kernel APIC every
 * vCPU but 0 starts waiting for INIT-SIPI; direct boot runs them all). */
int vb_vcpu_setup_lapic(struct vb_vcpu *v);
int vb_vcpu_set_runnable(struct vb_vcpu *v);

/* KVM_RUN once; on 0 the exit is in v->run. -EINTR when kicked. */
int vb_vcpu_run(struct vb_vcpu *v);

/* Make the current or next KVM_RUN on @run (a vCPU's mapped kvm_run page)
 * return -EINTR: sets immediate_exit, then the caller signals the thread.
 * Safe from any thread while the owner may be inside KVM_RUN, as long as the
 * page stays mapped (the runner guarantees that with a lock). */
void vb_vcpu_kick(struct kvm_run *run);

/* Where the guest is (outside KVM_RUN): its rip, whether it takes
 * interrupts (RFLAGS.IF) and whether it is halted waiting for one
 * (KVM_GET_MP_STATE), what a guest that hangs was doing. */
int vb_vcpu_get_where(struct vb_vcpu *v, uint64_t *rip, bool *irq_on, bool *halted);

/* vcpu_close: unmap kvm_run and close the fd. Idempotent. */
int vb_vcpu_close(struct vb_vcpu *v);


#endif
