/* One phase, measured and recorded (record.h). */
#include "record.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"

/* What each phase calls, for messages: "vm 3 vcpu 7: vcpu_sregs (KVM_SET_SREGS): ...". */
const char *const vb_phase_call[VB_PHASE_COUNT] = {
	[VB_PHASE_KVM_SUPPORTED_CPUID] = "KVM_GET_SUPPORTED_CPUID",
	[VB_PHASE_KVM_VCPU_MMAP_SIZE] = "KVM_GET_VCPU_MMAP_SIZE",
	[VB_PHASE_VM_CREATE] = "KVM_CREATE_VM",
	[VB_PHASE_VM_MEMORY] = "mmap + KVM_SET_USER_MEMORY_REGION",
	[VB_PHASE_GUEST_LOAD] = "guest code write",
	[VB_PHASE_GDT_WRITE] = "GDT write",
	[VB_PHASE_IDT_WRITE] = "IDT write",
	[VB_PHASE_PAGETABLE_WRITE] = "page table write",
	[VB_PHASE_KERNEL_LOAD] = "bzImage and initrd copy",
	[VB_PHASE_BOOT_PARAMS] = "zero page write",
	[VB_PHASE_MPTABLE] = "MP table write",
	[VB_PHASE_VM_TEARDOWN] = "close VM + munmap",
	[VB_PHASE_VCPU_CREATE] = "KVM_CREATE_VCPU",
	[VB_PHASE_VCPU_MMAP] = "mmap kvm_run",
	[VB_PHASE_VCPU_CPUID] = "KVM_SET_CPUID2",
	[VB_PHASE_VCPU_FPU] = "KVM_SET_FPU",
	[VB_PHASE_VCPU_MSRS] = "KVM_SET_MSRS",
	[VB_PHASE_VCPU_REGS] = "KVM_SET_REGS",
	[VB_PHASE_VCPU_SREGS] = "KVM_GET_SREGS/KVM_SET_SREGS",
	[VB_PHASE_FIRST_RUN] = "KVM_RUN",
	[VB_PHASE_EXIT] = "KVM_RUN",
	[VB_PHASE_SIPI_SEND] = "KVM_RUN",
	[VB_PHASE_VM_TSS_ADDR] = "KVM_SET_TSS_ADDR",
	[VB_PHASE_VM_IDENTITY_MAP] = "KVM_SET_IDENTITY_MAP_ADDR",
	[VB_PHASE_VM_IRQCHIP] = "KVM_CREATE_IRQCHIP",
	[VB_PHASE_VM_PIT] = "KVM_CREATE_PIT2",
	[VB_PHASE_VCPU_LAPIC] = "KVM_GET_LAPIC/KVM_SET_LAPIC",
	[VB_PHASE_VCPU_MP_STATE] = "KVM_SET_MP_STATE",
	[VB_PHASE_VCPU_CLOSE] = "munmap + close vCPU",
};

void vb_phase_fail(struct vcpu_ctx *c, enum vb_phase phase, int err)
{
	const char *what = c->iteration < 0 ? " (warmup)" : "";

	if (vb_phase_scope(phase) == VB_SCOPE_VM)
		vb_runner_fail(c->r, "vm %u: %s (%s)%s: %s", c->vm_index, vb_phase_name[phase],
			    vb_phase_call[phase], what, strerror(err));
	else
		vb_runner_fail(c->r, "vm %u vcpu %u: %s (%s)%s: %s", c->vm_index, c->vcpu_index,
			    vb_phase_name[phase],
			    c->vcpu.failed_call ? c->vcpu.failed_call : vb_phase_call[phase], what,
			    strerror(err));
}

void vb_window_open(struct vcpu_ctx *c, struct vb_window *w)
{
	w->has_sched = c->sched.fd >= 0 && vb_sched_sample_begin(&c->sched, &w->before) == 0;
	w->t0 = vb_clock_now();
}

void vb_window_close(struct vcpu_ctx *c, struct vb_window *w)
{
	struct vb_sched_sample after;

	w->t1 = vb_clock_now();
	if (w->has_sched && vb_sched_sample_end(&c->sched, &after) == 0)
		vb_sched_delta(&w->before, &after, &w->sched);
	else
		w->has_sched = false;
}

/* A window with no counters: derived phases, and phases whose window
 * contains other timed phases (their reads would be inside it). */
struct vb_window vb_window_span(uint64_t t0, uint64_t t1)
{
	return (struct vb_window){ .t0 = t0, .t1 = t1 };
}

/* Push one record. Warmup iterations are run but not recorded. Returns
 * @err so call sites stay one line. */
int vb_record_emit(struct vcpu_ctx *c, enum vb_phase phase, const struct vb_window *w, int err,
		uint32_t exit_reason, uint32_t seq)
{
	enum vb_phase_scope scope = vb_phase_scope(phase);
	struct vb_record *rec;

	if (err < 0)
		err = -err;
	if (err && phase != VB_PHASE_FIRST_RUN && phase != VB_PHASE_EXIT &&
	    phase != VB_PHASE_SIPI_SEND)
		vb_phase_fail(c, phase, err);
	if (c->iteration < 0)
		return err;
	rec = vb_producer_record(&c->prod);
	if (!rec) {
		vb_runner_fail(c->r, "vm %u vcpu %u: out of memory for records", c->vm_index,
			    c->vcpu_index);
		return err;
	}
	rec->start_ns = w->t0;
	rec->duration_ns = w->t1 - w->t0;
	rec->iteration = c->iteration;
	rec->vm = (int32_t)c->vm_index;
	rec->vcpu = scope == VB_SCOPE_VCPU ? (int32_t)c->vcpu_index : -1;
	rec->tid = c->tid;
	rec->cpu = sched_getcpu();
	rec->phase = (uint16_t)phase;
	rec->err = (uint16_t)err;
	rec->exit_reason = exit_reason;
	rec->seq = seq;
	rec->has_sched = w->has_sched;
	rec->sched = w->sched;
	vb_producer_push(&c->prod, rec);
	return err;
}
