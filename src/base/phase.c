#include "phase.h"

#include <string.h>

const char *const vb_phase_name[VB_PHASE_COUNT] = {
	[VB_PHASE_KVM_OPEN] = "kvm_open",
	[VB_PHASE_KVM_SUPPORTED_CPUID] = "kvm_supported_cpuid",
	[VB_PHASE_KVM_VCPU_MMAP_SIZE] = "kvm_vcpu_mmap_size",
	[VB_PHASE_VM_CREATE] = "vm_create",
	[VB_PHASE_VM_TSS_ADDR] = "vm_tss_addr",
	[VB_PHASE_VM_IDENTITY_MAP] = "vm_identity_map",
	[VB_PHASE_VM_IRQCHIP] = "vm_irqchip",
	[VB_PHASE_VM_PIT] = "vm_pit",
	[VB_PHASE_VM_MEMORY] = "vm_memory",
	[VB_PHASE_GUEST_LOAD] = "guest_load",
	[VB_PHASE_GDT_WRITE] = "gdt_write",
	[VB_PHASE_IDT_WRITE] = "idt_write",
	[VB_PHASE_PAGETABLE_WRITE] = "pagetable_write",
	[VB_PHASE_KERNEL_LOAD] = "kernel_load",
	[VB_PHASE_BOOT_PARAMS] = "boot_params",
	[VB_PHASE_MPTABLE] = "mptable",
	[VB_PHASE_VM_TEARDOWN] = "vm_teardown",
	[VB_PHASE_VCPU_CREATE] = "vcpu_create",
	[VB_PHASE_VCPU_MMAP] = "vcpu_mmap",
	[VB_PHASE_VCPU_CPUID] = "vcpu_cpuid",
	[VB_PHASE_VCPU_FPU] = "vcpu_fpu",
	[VB_PHASE_VCPU_MSRS] = "vcpu_msrs",
	[VB_PHASE_VCPU_REGS] = "vcpu_regs",
	[VB_PHASE_VCPU_SREGS] = "vcpu_sregs",
	[VB_PHASE_VCPU_LAPIC] = "vcpu_lapic",
	[VB_PHASE_VCPU_MP_STATE] = "vcpu_mp_state",
	[VB_PHASE_FIRST_RUN] = "first_run",
	[VB_PHASE_EXIT] = "exit",
	[VB_PHASE_SIPI_SEND] = "sipi_send",
	[VB_PHASE_VCPU_CLOSE] = "vcpu_close",
	[VB_PHASE_VCPU_SETUP_TOTAL] = "vcpu_setup_total",
	[VB_PHASE_BOOT_TOTAL] = "boot_total",
	[VB_PHASE_AP_WAKE] = "ap_wake",
	[VB_PHASE_VM_BOOT] = "vm_boot",
	[VB_PHASE_GUEST_FIRST_OUTPUT] = "guest_first_output",
	[VB_PHASE_GUEST_INIT] = "guest_init",
	[VB_PHASE_GUEST_RESET] = "guest_reset",
	[VB_PHASE_LINUX_BOOT] = "linux_boot",
};

_Static_assert(sizeof(vb_phase_name) / sizeof(vb_phase_name[0]) == VB_PHASE_COUNT,
	       "one name per phase");

enum vb_phase_scope vb_phase_scope(enum vb_phase phase)
{
	if (phase < VB_PHASE_VM_CREATE)
		return VB_SCOPE_PROCESS;
	if (phase < VB_PHASE_VCPU_CREATE || phase >= VB_PHASE_VM_BOOT)
		return VB_SCOPE_VM;
	return VB_SCOPE_VCPU;
}

enum vb_phase vb_phase_from_name(const char *name)
{
	for (int p = 0; p < VB_PHASE_COUNT; p++)
		if (strcmp(vb_phase_name[p], name) == 0)
			return (enum vb_phase)p;
	return VB_PHASE_COUNT;
}
