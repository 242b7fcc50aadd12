/* The reference seed's KVM tests (regs.rs test_setup_fpu, test_setup_msrs,
 * test_setup_regs), ported: set the boot state through vcpu.c on a real
 * vCPU and read it back from KVM. Plus sregs, which the seed checks only
 * in memory: what KVM holds after vcpu_sregs is the intended boot state. */
#include <sys/ioctl.h>

#include "check.h"
#include "e2e.h"
#include "kvm.h"
#include "vcpu.h"
#include "vm.h"
#include "x86_boot.h"

struct rig {
	struct vb_kvm kvm;
	struct vb_vm vm;
	struct vb_vcpu vcpu;
};

static void rig_open(struct rig *g)
{
	CHECK(vb_kvm_open(&g->kvm, "/dev/kvm") == 0);
	CHECK(vb_kvm_get_vcpu_mmap_size(&g->kvm) == 0);
	vb_vm_init(&g->vm, g->kvm.fd, 2u << 20, NULL);
	CHECK(vb_vm_create(&g->vm) == 0);
	vb_vcpu_init(&g->vcpu, 0, g->kvm.vcpu_mmap_size, NULL, 1);
	CHECK(vb_vcpu_create(&g->vcpu, g->vm.fd) == 0);
}

static void rig_close(struct rig *g)
{
	vb_vcpu_close(&g->vcpu);
	vb_vm_teardown(&g->vm);
	vb_kvm_release(&g->kvm);
}

/* test_setup_fpu: KVM_GET_FPU returns the fcw (and mxcsr) that were set. */
static void test_setup_fpu(void)
{
	struct rig g;
	struct kvm_fpu fpu;

	rig_open(&g);
	CHECK(vb_vcpu_setup_fpu(&g.vcpu) == 0);
	CHECK(ioctl(g.vcpu.fd, KVM_GET_FPU, &fpu) == 0);
	CHECK_EQ_U64(fpu.fcw, 0x37f); /* what the seed asserts */
	/* Found here: on the kvm_pvm backend mxcsr reads back 0 after
	 * KVM_SET_FPU set 0x1f80. Reported, not asserted: the seed does not,
	 * and a guest that needs SSE would notice (ours do not use SSE). */
	if (fpu.mxcsr != 0x1f80)
		fprintf(stderr, "note: KVM_GET_FPU mxcsr is 0x%x after setting 0x1f80\n", fpu.mxcsr);
	rig_close(&g);
}

/* test_setup_msrs: reading MISC_ENABLE back gives the tenth entry. */
static void test_setup_msrs(void)
{
	struct rig g;
	struct kvm_msr_entry want[VB_BOOT_MSR_COUNT];
	_Alignas(struct kvm_msrs) unsigned char buf[sizeof(struct kvm_msrs) +
						    sizeof(struct kvm_msr_entry)] = { 0 };
	struct kvm_msrs *m = (struct kvm_msrs *)buf;

	rig_open(&g);
	CHECK(vb_vcpu_setup_msrs(&g.vcpu) == 0);
	vb_x86_boot_msrs(want);
	m->nmsrs = 1;
	m->entries[0].index = VB_MSR_IA32_MISC_ENABLE;
	CHECK(ioctl(g.vcpu.fd, KVM_GET_MSRS, m) == 1);
	CHECK_EQ_U64(m->entries[0].index, want[9].index);
	CHECK_EQ_U64(m->entries[0].data, want[9].data);
	rig_close(&g);
}

/* test_setup_regs: KVM_GET_REGS equals what was set, rip 1 as in the seed. */
static void test_setup_regs(void)
{
	struct rig g;
	struct kvm_regs got, want = { .rflags = 2, .rip = 1, .rsp = VB_BOOT_STACK_POINTER,
				      .rbp = VB_BOOT_STACK_POINTER, .rsi = VB_ZERO_PAGE_START };

	rig_open(&g);
	CHECK(vb_vcpu_setup_regs(&g.vcpu) == 0);
	CHECK(ioctl(g.vcpu.fd, KVM_GET_REGS, &got) == 0);
	CHECK(memcmp(&got, &want, sizeof(got)) == 0);
	rig_close(&g);
}

/* What KVM holds after vcpu_sregs is long mode as intended. */
static void test_setup_sregs(void)
{
	struct rig g;
	struct kvm_sregs s;

	rig_open(&g);
	CHECK(vb_vcpu_setup_sregs(&g.vcpu) == 0);
	CHECK(ioctl(g.vcpu.fd, KVM_GET_SREGS, &s) == 0);
	CHECK((s.cr0 & (VB_X86_CR0_PE | VB_X86_CR0_PG)) == (VB_X86_CR0_PE | VB_X86_CR0_PG));
	CHECK_EQ_U64(s.cr3, VB_PML4_START);
	CHECK(s.cr4 & VB_X86_CR4_PAE);
	CHECK((s.efer & (VB_EFER_LME | VB_EFER_LMA)) == (VB_EFER_LME | VB_EFER_LMA));
	CHECK_EQ_U64(s.cs.selector, 0x8);
	CHECK_EQ_U64(s.cs.l, 1);
	CHECK_EQ_U64(s.ds.selector, 0x10);
	CHECK_EQ_U64(s.tr.selector, 0x18);
	CHECK_EQ_U64(s.gdt.base, VB_BOOT_GDT_OFFSET);
	CHECK_EQ_U64(s.idt.base, VB_BOOT_IDT_OFFSET);
	rig_close(&g);
}

int main(void)
{
	e2e_need_kvm();
	test_setup_fpu();
	test_setup_msrs();
	test_setup_regs();
	test_setup_sregs();
	return vb_check_exit();
}
