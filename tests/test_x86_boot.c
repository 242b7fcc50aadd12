/* The boot state, without KVM: every assertion of the reference seed's
 * regs.rs/gdt.rs tests, plus the page tables and the bounds checks. */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "x86_boot.h"

#define GUEST_MEM 0x10000 /* as the seed's create_guest_mem() */

static uint64_t read_u64(const uint8_t *mem, uint64_t off)
{
	uint64_t v;

	memcpy(&v, mem + off, sizeof(v));
	return v;
}

/* The seed's validate_segments_and_sregs(). */
static void validate_segments_and_sregs(const uint8_t *mem, const struct kvm_sregs *sregs)
{
	CHECK_EQ_U64(read_u64(mem, VB_BOOT_GDT_OFFSET), 0x0);
	CHECK_EQ_U64(read_u64(mem, VB_BOOT_GDT_OFFSET + 8), 0xaf9b000000ffffull);
	CHECK_EQ_U64(read_u64(mem, VB_BOOT_GDT_OFFSET + 16), 0xcf93000000ffffull);
	CHECK_EQ_U64(read_u64(mem, VB_BOOT_GDT_OFFSET + 24), 0x8f8b000000ffffull);
	CHECK_EQ_U64(read_u64(mem, VB_BOOT_IDT_OFFSET), 0x0);
	CHECK_EQ_U64(sregs->cs.base, 0);
	CHECK_EQ_U64(sregs->ds.limit, 0xfffff);
	CHECK_EQ_U64(sregs->es.selector, 0x10);
	CHECK_EQ_U64(sregs->fs.present, 1);
	CHECK_EQ_U64(sregs->gs.g, 1);
	CHECK_EQ_U64(sregs->ss.avl, 0);
	CHECK_EQ_U64(sregs->tr.base, 0);
	CHECK_EQ_U64(sregs->tr.limit, 0xfffff);
	CHECK_EQ_U64(sregs->tr.avl, 0);
	CHECK(sregs->cr0 & VB_X86_CR0_PE);
	CHECK((sregs->efer & VB_EFER_LME) && (sregs->efer & VB_EFER_LMA));
}

/* The seed's test_configure_segments_and_sregs(), split as this port
 * splits it: tables written to memory, sregs filled without memory. */
static void test_configure_segments_and_sregs(void)
{
	uint8_t *mem = calloc(1, GUEST_MEM);
	struct kvm_sregs sregs = { 0 };
	uint64_t gdt[VB_BOOT_GDT_MAX] = {
		vb_x86_gdt_entry(0, 0, 0),
		vb_x86_gdt_entry(0xa09b, 0, 0xfffff),
		vb_x86_gdt_entry(0xc093, 0, 0xfffff),
		vb_x86_gdt_entry(0x808b, 0, 0xfffff),
	};

	CHECK(mem);
	CHECK(vb_x86_gdt_write(mem, GUEST_MEM, gdt, VB_BOOT_GDT_MAX, VB_BOOT_GDT_OFFSET) == 0);
	CHECK(vb_x86_idt_write(mem, GUEST_MEM, 0, VB_BOOT_IDT_OFFSET) == 0);
	vb_x86_boot_sregs(&sregs, gdt, VB_BOOT_GDT_MAX, VB_BOOT_GDT_OFFSET, VB_BOOT_IDT_OFFSET,
			  VB_PML4_START);
	validate_segments_and_sregs(mem, &sregs);
	free(mem);
}

/* What vb_x86_boot_sregs() sets beyond the seed's assertions. */
static void test_sregs_fields(void)
{
	uint64_t gdt[VB_BOOT_GDT_MAX];
	struct kvm_sregs s = { .cr0 = 0x10, .cr4 = 0x40, .efer = VB_EFER_NX };

	vb_x86_boot_gdt(gdt);
	vb_x86_boot_sregs(&s, gdt, VB_BOOT_GDT_MAX, VB_BOOT_GDT_OFFSET, VB_BOOT_IDT_OFFSET,
			  VB_PML4_START);
	CHECK_EQ_U64(s.gdt.base, 0x500);
	CHECK_EQ_U64(s.gdt.limit, 31);
	CHECK_EQ_U64(s.idt.base, 0x520);
	CHECK_EQ_U64(s.idt.limit, 7);
	CHECK_EQ_U64(s.cs.selector, 0x8);
	CHECK_EQ_U64(s.cs.l, 1);
	CHECK_EQ_U64(s.cs.db, 0);
	CHECK_EQ_U64(s.cs.type, 0xb);
	CHECK_EQ_U64(s.ds.selector, 0x10);
	CHECK_EQ_U64(s.ds.type, 0x3);
	CHECK_EQ_U64(s.ds.db, 1);
	CHECK_EQ_U64(s.ss.selector, 0x10);
	CHECK_EQ_U64(s.tr.selector, 0x18);
	CHECK_EQ_U64(s.tr.type, 0xb);
	CHECK_EQ_U64(s.tr.s, 0);
	CHECK_EQ_U64(s.cr0, 0x10 | 0x1 | 0x80000000ull); /* ORed in, other bits kept */
	CHECK_EQ_U64(s.cr3, 0x9000);
	CHECK_EQ_U64(s.cr4, 0x40 | 0x20);
	CHECK_EQ_U64(s.efer, 0x800 | 0x400 | 0x100);
}

/* The reference gdt.rs field test: Intel SDM vol. 3, 3.4.5. */
static void test_gdt_fields(void)
{
	struct kvm_segment seg = vb_x86_segment_from_gdt(vb_x86_gdt_entry(0xa09b, 0x100000, 0xfffff), 0);

	CHECK_EQ_U64(seg.g, 1);
	CHECK_EQ_U64(seg.db, 0);
	CHECK_EQ_U64(seg.l, 1);
	CHECK_EQ_U64(seg.avl, 0);
	CHECK_EQ_U64(seg.present, 1);
	CHECK_EQ_U64(seg.dpl, 0);
	CHECK_EQ_U64(seg.s, 1);
	CHECK_EQ_U64(seg.type, 0xb);
	CHECK_EQ_U64(seg.base, 0x100000);
	CHECK_EQ_U64(seg.limit, 0xfffff);
	CHECK_EQ_U64(seg.unusable, 0);
}

static void test_gdt_encoding(void)
{
	uint64_t gdt[VB_BOOT_GDT_MAX];
	struct kvm_segment s;

	vb_x86_boot_gdt(gdt);
	CHECK_EQ_U64(gdt[0], 0);
	CHECK_EQ_U64(gdt[1], 0xaf9b000000ffffull);
	CHECK_EQ_U64(gdt[2], 0xcf93000000ffffull);
	CHECK_EQ_U64(gdt[3], 0x8f8b000000ffffull);
	/* Every base and limit bit lands where the SDM puts it and comes back. */
	CHECK_EQ_U64(vb_x86_gdt_entry(0, 0xffffffffu, 0), 0xff0000ffffff0000ull);
	CHECK_EQ_U64(vb_x86_gdt_entry(0, 0, 0xfffff), 0x000f00000000ffffull);
	CHECK_EQ_U64(vb_x86_gdt_entry(0xffff, 0, 0), 0x00f0ff0000000000ull);
	s = vb_x86_segment_from_gdt(vb_x86_gdt_entry(0x40f3, 0x12345678u, 0xabcde), 5);
	CHECK_EQ_U64(s.base, 0x12345678u);
	CHECK_EQ_U64(s.limit, 0xabcde);
	CHECK_EQ_U64(s.selector, 40);
	CHECK_EQ_U64(s.dpl, 3);
	CHECK_EQ_U64(s.db, 1);
	CHECK_EQ_U64(s.g, 0);
	CHECK_EQ_U64(s.type, 0x3);
	/* A non-present descriptor is unusable (the null entry). */
	s = vb_x86_segment_from_gdt(0, 0);
	CHECK_EQ_U64(s.present, 0);
	CHECK_EQ_U64(s.unusable, 1);
}

/* The seed's test_setup_fpu/msrs/regs compare against these values (their
 * KVM round trip is in test_e2e_vcpu.c). */
static void test_fpu_msrs_regs(void)
{
	static const uint32_t want[VB_BOOT_MSR_COUNT] = {
		0x174, 0x175, 0x176, 0xc0000081, 0xc0000083, 0xc0000102, 0xc0000084,
		0xc0000082, 0x10, 0x1a0,
	};
	struct kvm_msr_entry e[VB_BOOT_MSR_COUNT];
	struct kvm_fpu fpu = vb_x86_boot_fpu(), zero_fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };
	struct kvm_regs r = vb_x86_boot_regs(1, VB_BOOT_STACK_POINTER, VB_BOOT_STACK_POINTER,
					     VB_ZERO_PAGE_START);
	struct kvm_regs rw = { .rflags = 2, .rip = 1, .rsp = 0x1000000, .rbp = 0x1000000,
			       .rsi = 0x7c000 };

	CHECK_EQ_U64(fpu.fcw, 0x37f);
	CHECK_EQ_U64(fpu.mxcsr, 0x1f80);
	CHECK(memcmp(&fpu, &zero_fpu, sizeof(fpu)) == 0);
	CHECK_EQ_U64(vb_x86_boot_msrs(e), 10);
	for (size_t i = 0; i < VB_BOOT_MSR_COUNT; i++) {
		CHECK_EQ_U64(e[i].index, want[i]);
		CHECK_EQ_U64(e[i].data, i == 9 ? 1 : 0);
		CHECK_EQ_U64(e[i].reserved, 0);
	}
	CHECK(memcmp(&r, &rw, sizeof(r)) == 0);
}

static void test_pagetables(void)
{
	uint8_t *mem = calloc(1, 2u << 20);

	CHECK(mem);
	CHECK(vb_x86_pagetable_write(mem, 2u << 20) == 0);
	CHECK_EQ_U64(read_u64(mem, 0x9000), 0xa003);
	CHECK_EQ_U64(read_u64(mem, 0xa000), 0xb003);
	CHECK_EQ_U64(read_u64(mem, 0x9008), 0); /* only PML4[0] and PDPT[0] */
	CHECK_EQ_U64(read_u64(mem, 0xa008), 0);
	for (uint64_t i = 0; i < 512; i++)
		CHECK_EQ_U64(read_u64(mem, 0xb000 + 8 * i), (i << 21) | 0x83);
	CHECK_EQ_U64(read_u64(mem, 0xc000), 0); /* nothing past the PD */
	/* The last PD entry maps 1 GiB - 2 MiB: 1 GiB identity-mapped. */
	CHECK_EQ_U64((read_u64(mem, 0xb000 + 8 * 511) & ~0xfffull) + (2u << 20),
		     VB_IDENTITY_MAP_SIZE);
	free(mem);
}

static void test_bounds(void)
{
	uint8_t mem[0x600] = { 0 };
	uint64_t gdt[VB_BOOT_GDT_MAX] = { 1, 2, 3, 4 };

	CHECK(vb_x86_gdt_write(mem, sizeof(mem), gdt, 4, 0x5f0) == -EFAULT);
	CHECK_EQ_U64(read_u64(mem, 0x5f0), 0); /* nothing half-written */
	CHECK(vb_x86_gdt_write(mem, sizeof(mem), gdt, 4, 0x5e0) == 0);
	CHECK(vb_x86_gdt_write(mem, sizeof(mem), gdt, 4, UINT64_MAX - 8) == -EFAULT);
	CHECK(vb_x86_idt_write(mem, sizeof(mem), 0, 0x5f9) == -EFAULT);
	CHECK(vb_x86_idt_write(mem, sizeof(mem), 7, 0x5f8) == 0);
	CHECK(vb_x86_pagetable_write(mem, sizeof(mem)) == -EFAULT);
	CHECK(vb_x86_pagetable_write(mem, 0xc000 - 1) == -EFAULT);
}

static void test_cpuid_apic_id(void)
{
	_Alignas(struct kvm_cpuid2) unsigned char buf[sizeof(struct kvm_cpuid2) +
						     4 * sizeof(struct kvm_cpuid_entry2)] = { 0 };
	struct kvm_cpuid2 *c = (struct kvm_cpuid2 *)buf;

	c->nent = 4;
	c->entries[0] = (struct kvm_cpuid_entry2){ .function = 1, .ebx = 0xff123456, .edx = 7 };
	c->entries[1] = (struct kvm_cpuid_entry2){ .function = 0xb, .edx = 0 };
	c->entries[2] = (struct kvm_cpuid_entry2){ .function = 0x1f, .index = 1, .edx = 0 };
	c->entries[3] = (struct kvm_cpuid_entry2){ .function = 0xd, .ebx = 9, .edx = 9 };
	vb_x86_cpuid_set_apic_id(c, 0x2a);
	CHECK_EQ_U64(c->entries[0].ebx, 0x2a123456); /* only bits 31:24 */
	CHECK_EQ_U64(c->entries[0].edx, 7);
	CHECK_EQ_U64(c->entries[1].edx, 0x2a);
	CHECK_EQ_U64(c->entries[2].edx, 0x2a);
	CHECK_EQ_U64(c->entries[3].ebx, 9); /* other leaves untouched */
	CHECK_EQ_U64(c->entries[3].edx, 9);
}

/* The LAPIC as VMMs leave it (Firecracker's interrupts.rs set_lint): LINT0
 * delivery mode ExtINT (0x7), LINT1 NMI (0x4), bits 8-10; every other bit
 * of the two entries, and every other register, as KVM gave them. */
static void test_lapic_lint(void)
{
	struct kvm_lapic_state s;
	uint32_t lvt0 = 0x00010700u | 0x00000355u, lvt1 = 0x00010000u | 0x12u, other = 0xdeadbeefu;

	memset(&s, 0, sizeof(s));
	memcpy(s.regs + VB_APIC_LVT0, &lvt0, 4);
	memcpy(s.regs + VB_APIC_LVT1, &lvt1, 4);
	memcpy(s.regs + 0x20, &other, 4);
	vb_x86_lapic_set_lint(&s);
	CHECK_EQ_U64(vb_x86_lapic_reg(&s, VB_APIC_LVT0), (lvt0 & ~0x700u) | (0x7u << 8));
	CHECK_EQ_U64(vb_x86_lapic_reg(&s, VB_APIC_LVT1), (lvt1 & ~0x700u) | (0x4u << 8));
	CHECK_EQ_U64((vb_x86_lapic_reg(&s, VB_APIC_LVT0) >> 8) & 7, VB_APIC_MODE_EXTINT);
	CHECK_EQ_U64((vb_x86_lapic_reg(&s, VB_APIC_LVT1) >> 8) & 7, VB_APIC_MODE_NMI);
	CHECK_EQ_U64(vb_x86_lapic_reg(&s, 0x20), other);
	/* Twice is once. */
	vb_x86_lapic_set_lint(&s);
	CHECK_EQ_U64(vb_x86_lapic_reg(&s, VB_APIC_LVT1), (lvt1 & ~0x700u) | (0x4u << 8));
}

int main(void)
{
	test_lapic_lint();
	test_configure_segments_and_sregs();
	test_sregs_fields();
	test_gdt_fields();
	test_gdt_encoding();
	test_fpu_msrs_regs();
	test_pagetables();
	test_bounds();
	test_cpuid_apic_id();
	return vb_check_exit();
}
