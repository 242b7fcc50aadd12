/* The x86-64 boot state vcpubench gives every vCPU: 64-bit long mode
 * directly, as Firecracker does (port of the reference seed regs.rs).
 *
 * Everything here is pure: functions fill plain KVM UAPI structs or write
 * into a caller-owned guest-memory buffer, and never touch /dev/kvm, so the
 * whole boot state is unit-tested without KVM. vcpu.c and vm.c only hand the
 * results to ioctls. */
#ifndef VB_X86_BOOT_H
#define VB_X86_BOOT_H

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

/* Guest-physical layout. */
#define VB_BOOT_GDT_OFFSET    0x500ull
#define VB_BOOT_IDT_OFFSET    0x520ull
#define VB_BOOT_STACK_POINTER 0x1000000ull
#define VB_ZERO_PAGE_START    0x7c000ull
#define VB_PML4_START         0x9000ull
#define VB_PDPTE_START        0xa000ull
#define VB_PDE_START          0xb000ull
#define VB_GUEST_ENTRY        0x100000ull /* guest code is loaded here */
#define VB_BOOT_GDT_MAX       4
#define VB_BOOT_MSR_COUNT     10
/* The page tables identity-map this much with 2 MiB pages. */
#define VB_IDENTITY_MAP_SIZE  (1ull << 30)

/* Control register and EFER bits used by the boot state. */
#define VB_EFER_NX   0x800ull
#define VB_EFER_LMA  0x400ull
#define VB_EFER_LME  0x100ull
#define VB_X86_CR0_PE 0x1ull
#define VB_X86_CR0_PG 0x80000000ull
#define VB_X86_CR4_PAE 0x20ull

/* MSR indices of the boot MSR list. */
#define VB_MSR_IA32_SYSENTER_CS  0x174u
#define VB_MSR_IA32_SYSENTER_ESP 0x175u
#define VB_MSR_IA32_SYSENTER_EIP 0x176u
#define VB_MSR_STAR              0xc0000081u
#define VB_MSR_LSTAR             0xc0000082u
#define VB_MSR_CSTAR             0xc0000083u
#define VB_MSR_SYSCALL_MASK      0xc0000084u
#define VB_MSR_KERNEL_GS_BASE    0xc0000102u
#define VB_MSR_IA32_TSC          0x10u
#define VB_MSR_IA32_MISC_ENABLE  0x1a0u
#define VB_MSR_IA32_MISC_ENABLE_FAST_STRING 0x1u
#define VB_MSR_EFER              0xc0000080u

/* Encode a GDT descriptor from @flags (access byte | flags nibble << 12,
 * as in 0xa09b), @base and the 20-bit @limit. */
uint64_t vb_x86_gdt_entry(uint16_t flags, uint32_t base, uint32_t limit);

/* Decode GDT descriptor @entry into a KVM segment whose selector is
 * @table_index * 8. A non-present descriptor yields an unusable segment. */
struct kvm_segment vb_x86_segment_from_gdt(uint64_t entry, uint8_t table_index);

/* The four boot GDT entries: null, code 0xa09b, data 0xc093, TSS 0x808b. */
void vb_x86_boot_gdt(uint64_t gdt[VB_BOOT_GDT_MAX]);

/* Write @n GDT entries at guest-physical @gdt_addr of the guest memory
 * @mem (@mem_size bytes, guest address 0 at @mem). Returns 0, or -EFAULT when
 * the table does not fit; nothing is written then. */
int vb_x86_gdt_write(void *mem, size_t mem_size, const uint64_t *gdt, size_t n,
		     uint64_t gdt_addr);

/* Write the one IDT entry @value at @idt_addr. 0 or -EFAULT as above. */
int vb_x86_idt_write(void *mem, size_t mem_size, uint64_t value, uint64_t idt_addr);

/* Write the identity map of the first GiB with 2 MiB pages: PML4 at
 * VB_PML4_START -> PDPT at VB_PDPTE_START -> PD at VB_PDE_START (512
 * entries). 0 or -EFAULT when @mem_size cannot hold the tables. */
int vb_x86_pagetable_write(void *mem, size_t mem_size);

/* Give the vCPU with APIC id @id its own identity in CPUID table @c, as a
 * VMM does: leaf 1 EBX[31:24] (initial APIC id, 8 bits) and EDX of leaves
 * 0xb and 0x1f (x2APIC id). Other entries are untouched. */
void vb_x86_cpuid_set_apic_id(struct kvm_cpuid2 *c, uint32_t id);

/* FPU state: fcw 0x37f, mxcsr 0x1f80, everything else zero. */
struct kvm_fpu vb_x86_boot_fpu(void);

/* Fill @out with the ten boot MSRs in the seed's order (SYSENTER_CS,
 * SYSENTER_ESP, SYSENTER_EIP, STAR, CSTAR, KERNEL_GS_BASE, SYSCALL_MASK,
 * LSTAR, IA32_TSC, MISC_ENABLE = FAST_STRING). Returns VB_BOOT_MSR_COUNT. */
size_t vb_x86_boot_msrs(struct kvm_msr_entry out[VB_BOOT_MSR_COUNT]);

/* The local APIC as VMMs leave it for a guest kernel: LVT LINT0 delivers
 * ExtINT (the legacy PIC's output), LINT1 NMI; the rest of @s as KVM
 * reported it. Register offsets and delivery modes are the SDM's. */
#define VB_APIC_LVT0         0x350u
#define VB_APIC_LVT1         0x360u
#define VB_APIC_MODE_NMI     0x4u
#define VB_APIC_MODE_EXTINT  0x7u
void vb_x86_lapic_set_lint(struct kvm_lapic_state *s);

/* A LAPIC register of @s (32 bits at @offset). */
uint32_t vb_x86_lapic_reg(const struct kvm_lapic_state *s, uint32_t offset);

/* --smp sipi: the APs start at VB_SIPI_VECTOR << 12 in real mode, where
 * the sipi-ap guest is loaded. Below it, with an in-kernel irqchip, two
 * 32-bit words for the guests: the number of vCPUs (the sipi guest wakes
 * all but itself) and flags (VB_BOOT_FLAG_LAPIC: the vCPUs have an
 * in-kernel local APIC, whose MSRs selfcheck may then read; without one
 * they would fault). Without an irqchip nothing is written: both read 0.
 * All of it below the boot GDT's page-table pages. */
#define VB_SIPI_VECTOR      0x08u
#define VB_SIPI_ENTRY       ((uint64_t)VB_SIPI_VECTOR << 12)
#define VB_SIPI_PAGE        0x1000ull /* the APs' code: one page */
#define VB_BOOT_VCPUS_ADDR  0x7000ull
#define VB_BOOT_FLAGS_ADDR  0x7004ull
#define VB_BOOT_FLAG_LAPIC  0x1u
_Static_assert(VB_SIPI_ENTRY + VB_SIPI_PAGE <= VB_PML4_START &&
		       VB_BOOT_FLAGS_ADDR + 4 <= VB_SIPI_ENTRY,
	       "the APs' code and the boot words sit below the page tables");

/* General registers: rflags 0x2, the given rip/rsp/rbp/rsi, the rest zero. */
struct kvm_regs vb_x86_boot_regs(uint64_t rip, uint64_t rsp, uint64_t rbp, uint64_t rsi);

/* Configure @sregs (as read by KVM_GET_SREGS) for long mode: segments from
 * @gdt (at least VB_BOOT_GDT_MAX entries: cs from entry 1, ds/es/fs/gs/ss from
 * entry 2, tr from entry 3), gdt/idt base and limit, cr0 |= PE|PG,
 * cr3 = @pml4_addr, cr4 |= PAE, efer |= LME|LMA. Touches no memory: the
 * tables themselves are written by vb_x86_gdt_write()/vb_x86_idt_write(). */
void vb_x86_boot_sregs(struct kvm_sregs *sregs, const uint64_t *gdt, size_t n,
		       uint64_t gdt_addr, uint64_t idt_addr, uint64_t pml4_addr);

#endif
