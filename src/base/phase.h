/* The one table of measured phases: CSV rows, summaries, reports and docs
 * all take their names from vb_phase_name[]. */
#ifndef VB_PHASE_H
#define VB_PHASE_H

enum vb_phase_scope {
	VB_SCOPE_PROCESS, /* once per run: no iteration, vm or vcpu */
	VB_SCOPE_VM,      /* once per VM and iteration: no vcpu */
	VB_SCOPE_VCPU,    /* once per vCPU and iteration */
};

enum vb_phase {
	/* Process-wide work, done once before any VM exists. */
	VB_PHASE_KVM_OPEN,
	VB_PHASE_KVM_SUPPORTED_CPUID,
	VB_PHASE_KVM_VCPU_MMAP_SIZE,
	/* Per VM, on the thread of its vCPU 0. */
	VB_PHASE_VM_CREATE,
	VB_PHASE_VM_MEMORY,
	VB_PHASE_VM_TSS_ADDR,     /* --irqchip kernel, Intel only */
	VB_PHASE_VM_IDENTITY_MAP, /* --irqchip kernel, Intel only */
	VB_PHASE_VM_IRQCHIP,      /* --irqchip kernel */
	VB_PHASE_VM_PIT,          /* --irqchip kernel */
	VB_PHASE_GUEST_LOAD, /* contains the three writes below */
	VB_PHASE_GDT_WRITE,
	VB_PHASE_IDT_WRITE,
	VB_PHASE_PAGETABLE_WRITE,
	VB_PHASE_KERNEL_LOAD,     /* --kernel: bzImage and initrd into guest memory */
	VB_PHASE_BOOT_PARAMS,     /* --kernel: zero page, command line, e820 */
	VB_PHASE_MPTABLE,         /* --kernel with more than one vCPU: the MP tables */
	VB_PHASE_VM_TEARDOWN,
	/* Per vCPU, on its own thread. */
	VB_PHASE_VCPU_CREATE,
	VB_PHASE_VCPU_MMAP,
	VB_PHASE_VCPU_CPUID,
	VB_PHASE_VCPU_FPU,
	VB_PHASE_VCPU_MSRS,
	VB_PHASE_VCPU_REGS,
	VB_PHASE_VCPU_SREGS,
	VB_PHASE_VCPU_LAPIC,      /* --irqchip kernel */
	VB_PHASE_VCPU_MP_STATE,   /* --irqchip kernel, direct boot */
	VB_PHASE_FIRST_RUN,
	VB_PHASE_EXIT,
	VB_PHASE_SIPI_SEND,       /* --smp sipi: the BSP's round trip sending INIT+SIPI */
	VB_PHASE_VCPU_CLOSE,
	/* Derived from the measured phases above. */
	VB_PHASE_VCPU_SETUP_TOTAL, /* vcpu_create start -> vcpu_sregs end */
	VB_PHASE_BOOT_TOTAL,       /* setup start on the thread -> first exit */
	VB_PHASE_AP_WAKE,          /* --smp sipi: the BSP's sipi_send start -> an AP's first exit */
	VB_PHASE_VM_BOOT,          /* vm_create start -> last vCPU's first exit */
	/* --kernel: the guest's milestones, per VM, from vm_create's start. */
	VB_PHASE_GUEST_FIRST_OUTPUT, /* -> the first console byte */
	VB_PHASE_GUEST_INIT,         /* -> the init's boot-timer write */
	VB_PHASE_GUEST_RESET,        /* -> the i8042 reset */
	VB_PHASE_LINUX_BOOT,         /* vm_create start -> guest_init (InstanceStart to init) */
	VB_PHASE_COUNT
};

/* snake_case names, indexed by enum vb_phase. */
extern const char *const vb_phase_name[VB_PHASE_COUNT];

/* Which ids a phase carries in CSV rows. */
enum vb_phase_scope vb_phase_scope(enum vb_phase phase);

/* Look a phase up by name; returns VB_PHASE_COUNT when there is none. */
enum vb_phase vb_phase_from_name(const char *name);

#endif
