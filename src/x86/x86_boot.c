/* Boot state of x86_boot.h: a port of the reference VMM's regs.rs/gdt.rs. */
#include "x86_boot.h"

#include <errno.h>
#include <string.h>

uint64_t vb_x86_gdt_entry(uint16_t flags, uint32_t base, uint32_t limit)
{
	return (((uint64_t)base & 0xff000000ull) << (56 - 24)) |
	       (((uint64_t)flags & 0x0000f0ffull) << 40) |
	       (((uint64_t)limit & 0x000f0000ull) << (48 - 16)) |
	       (((uint64_t)base & 0x00ffffffull) << 16) |
	       ((uint64_t)limit & 0x0000ffffull);
}

static uint64_t gdt_base(uint64_t e)
{
	return ((e & 0xff00000000000000ull) >> 32) | ((e & 0x000000ff00000000ull) >> 16) |
	       ((e & 0x00000000ffff0000ull) >> 16);
}

static uint32_t gdt_limit(uint64_t e)
{
	return (uint32_t)(((e & 0x000f000000000000ull) >> 32) | (e & 0xffffull));
}

static uint8_t gdt_bits(uint64_t e, unsigned shift, uint64_t mask)
{
	return (uint8_t)((e >> shift) & mask);
}

struct kvm_segment vb_x86_segment_from_gdt(uint64_t entry, uint8_t table_index)
{
	/* The limit stays the raw 20-bit descriptor field, as the reference
	 * does: in long mode KVM ignores segment limits of cs/ds/es/ss. */
	uint8_t present = gdt_bits(entry, 47, 0x1);

	return (struct kvm_segment){
		.base = gdt_base(entry),
		.limit = gdt_limit(entry),
		.selector = (uint16_t)(table_index * 8u),
		.type = gdt_bits(entry, 40, 0xf),
		.present = present,
		.dpl = gdt_bits(entry, 45, 0x3),
		.db = gdt_bits(entry, 54, 0x1),
		.s = gdt_bits(entry, 44, 0x1),
		.l = gdt_bits(entry, 53, 0x1),
		.g = gdt_bits(entry, 55, 0x1),
		.avl = gdt_bits(entry, 52, 0x1),
		.unusable = present ? 0 : 1,
	};
}

void vb_x86_boot_gdt(uint64_t gdt[VB_BOOT_GDT_MAX])
{
	gdt[0] = vb_x86_gdt_entry(0, 0, 0);            /* null */
	gdt[1] = vb_x86_gdt_entry(0xa09b, 0, 0xfffff); /* code, 64-bit */
	gdt[2] = vb_x86_gdt_entry(0xc093, 0, 0xfffff); /* data */
	gdt[3] = vb_x86_gdt_entry(0x808b, 0, 0xfffff); /* TSS */
}

/* Guest memory is plain host memory at guest address 0; writes are
 * bounds-checked as a whole so a table never lands half-written. */
static int guest_write(void *mem, size_t mem_size, uint64_t addr, const void *src, size_t len)
{
	if (addr > mem_size || len > mem_size - addr)
		return -EFAULT;
	memcpy((char *)mem + addr, src, len);
	return 0;
}

int vb_x86_gdt_write(void *mem, size_t mem_size, const uint64_t *gdt, size_t n, uint64_t gdt_addr)
{
	if (n > SIZE_MAX / sizeof(*gdt))
		return -EFAULT;
	return guest_write(mem, mem_size, gdt_addr, gdt, n * sizeof(*gdt));
}

int vb_x86_idt_write(void *mem, size_t mem_size, uint64_t value, uint64_t idt_addr)
{
	return guest_write(mem, mem_size, idt_addr, &value, sizeof(value));
}

int vb_x86_pagetable_write(void *mem, size_t mem_size)
{
	uint64_t pml4 = VB_PDPTE_START | 0x03; /* present | writable */
	uint64_t pdpt = VB_PDE_START | 0x03;
	uint64_t pd[512];

	if (VB_PDE_START + sizeof(pd) > mem_size)
		return -EFAULT;
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = (i << 21) | 0x83; /* 2 MiB page | writable | present */
	guest_write(mem, mem_size, VB_PML4_START, &pml4, sizeof(pml4));
	guest_write(mem, mem_size, VB_PDPTE_START, &pdpt, sizeof(pdpt));
	return guest_write(mem, mem_size, VB_PDE_START, pd, sizeof(pd));
}

void vb_x86_cpuid_set_apic_id(struct kvm_cpuid2 *c, uint32_t id)
{
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == 1)
			e->ebx = (e->ebx & 0x00ffffffu) | (id << 24);
		else if (e->function == 0xb || e->function == 0x1f)
			e->edx = id;
	}
}

struct kvm_fpu vb_x86_boot_fpu(void)
{
	return (struct kvm_fpu){ .fcw = 0x37f, .mxcsr = 0x1f80 };
}

size_t vb_x86_boot_msrs(struct kvm_msr_entry out[VB_BOOT_MSR_COUNT])
{
	static const uint32_t index[VB_BOOT_MSR_COUNT] = {
		VB_MSR_IA32_SYSENTER_CS, VB_MSR_IA32_SYSENTER_ESP, VB_MSR_IA32_SYSENTER_EIP,
		VB_MSR_STAR,             VB_MSR_CSTAR,             VB_MSR_KERNEL_GS_BASE,
		VB_MSR_SYSCALL_MASK,     VB_MSR_LSTAR,             VB_MSR_IA32_TSC,
		VB_MSR_IA32_MISC_ENABLE,
	};

	for (size_t i = 0; i < VB_BOOT_MSR_COUNT; i++)
		out[i] = (struct kvm_msr_entry){ .index = index[i] };
	out[VB_BOOT_MSR_COUNT - 1].data = VB_MSR_IA32_MISC_ENABLE_FAST_STRING;
	return VB_BOOT_MSR_COUNT;
}

struct kvm_regs vb_x86_boot_regs(uint64_t rip, uint64_t rsp, uint64_t rbp, uint64_t rsi)
{
	return (struct kvm_regs){ .rflags = 0x2, .rip = rip, .rsp = rsp, .rbp = rbp, .rsi = rsi };
}

void vb_x86_boot_sregs(struct kvm_sregs *sregs, const uint64_t *gdt, size_t n, uint64_t gdt_addr,
		       uint64_t idt_addr, uint64_t pml4_addr)
{
	struct kvm_segment data = vb_x86_segment_from_gdt(gdt[2], 2);

	sregs->gdt.base = gdt_addr;
	sregs->gdt.limit = (uint16_t)(n * sizeof(uint64_t) - 1);
	sregs->idt.base = idt_addr;
	sregs->idt.limit = sizeof(uint64_t) - 1;
	sregs->cs = vb_x86_segment_from_gdt(gdt[1], 1);
	sregs->ds = data;
	sregs->es = data;
	sregs->fs = data;
	sregs->gs = data;
	sregs->ss = data;
	sregs->tr = vb_x86_segment_from_gdt(gdt[3], 3);
	sregs->cr0 |= VB_X86_CR0_PE | VB_X86_CR0_PG;
	sregs->cr3 = pml4_addr;
	sregs->cr4 |= VB_X86_CR4_PAE;
	sregs->efer |= VB_EFER_LME | VB_EFER_LMA;
}

uint32_t vb_x86_lapic_reg(const struct kvm_lapic_state *s, uint32_t offset)
{
	uint32_t v;

	memcpy(&v, s->regs + offset, sizeof(v));
	return v;
}

/* Bits 8-10 of an LVT entry are its delivery mode. */
static void lapic_set_mode(struct kvm_lapic_state *s, uint32_t offset, uint32_t mode)
{
	uint32_t v = (vb_x86_lapic_reg(s, offset) & ~0x700u) | (mode << 8);

	memcpy(s->regs + offset, &v, sizeof(v));
}

void vb_x86_lapic_set_lint(struct kvm_lapic_state *s)
{
	lapic_set_mode(s, VB_APIC_LVT0, VB_APIC_MODE_EXTINT);
	lapic_set_mode(s, VB_APIC_LVT1, VB_APIC_MODE_NMI);
}
