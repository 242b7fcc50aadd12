/* The host side of the selfcheck guest's report (guests/selfcheck.S). */
#include "selfcheck.h"

#include "x86_boot.h"

const char *const vb_selfcheck_item_name[VB_SELFCHECK_COUNT] = {
	[VB_CHECK_RSP] = "rsp",
	[VB_CHECK_CR0] = "cr0",
	[VB_CHECK_CR3] = "cr3",
	[VB_CHECK_CR4] = "cr4",
	[VB_CHECK_EFER] = "efer",
	[VB_CHECK_CS] = "cs selector",
	[VB_CHECK_DS] = "ds selector",
	[VB_CHECK_ES] = "es selector",
	[VB_CHECK_FS] = "fs selector",
	[VB_CHECK_GS] = "gs selector",
	[VB_CHECK_SS] = "ss selector",
	[VB_CHECK_TR] = "tr selector",
	[VB_CHECK_GDT_BASE] = "gdt base",
	[VB_CHECK_GDT_LIMIT] = "gdt limit",
	[VB_CHECK_IDT_BASE] = "idt base",
	[VB_CHECK_IDT_LIMIT] = "idt limit",
	[VB_CHECK_APIC_ID] = "apic id",
	[VB_CHECK_LVT0] = "lvt lint0",
	[VB_CHECK_LVT1] = "lvt lint1",
};

int vb_selfcheck_feed(struct vb_selfcheck *sc, uint32_t word)
{
	unsigned item = sc->words / 2;

	if (item >= VB_SELFCHECK_COUNT)
		return -1;
	if (sc->words % 2)
		sc->got[item] |= (uint64_t)word << 32;
	else
		sc->got[item] = word;
	sc->words++;
	return sc->words == 2 * VB_SELFCHECK_COUNT;
}

void vb_selfcheck_expect(const struct kvm_sregs *s, const struct kvm_regs *regs,
			 const struct kvm_lapic_state *lapic, uint32_t apic_id,
			 uint64_t want[VB_SELFCHECK_COUNT])
{
	want[VB_CHECK_RSP] = regs->rsp;
	want[VB_CHECK_CR0] = s->cr0;
	want[VB_CHECK_CR3] = s->cr3;
	want[VB_CHECK_CR4] = s->cr4;
	want[VB_CHECK_EFER] = s->efer;
	want[VB_CHECK_CS] = s->cs.selector;
	want[VB_CHECK_DS] = s->ds.selector;
	want[VB_CHECK_ES] = s->es.selector;
	want[VB_CHECK_FS] = s->fs.selector;
	want[VB_CHECK_GS] = s->gs.selector;
	want[VB_CHECK_SS] = s->ss.selector;
	want[VB_CHECK_TR] = s->tr.selector;
	want[VB_CHECK_GDT_BASE] = s->gdt.base;
	want[VB_CHECK_GDT_LIMIT] = s->gdt.limit;
	want[VB_CHECK_IDT_BASE] = s->idt.base;
	want[VB_CHECK_IDT_LIMIT] = s->idt.limit;
	/* Without an in-kernel APIC the guest has CPUID's 8-bit initial id. */
	want[VB_CHECK_APIC_ID] = lapic ? apic_id : apic_id & 0xff;
	want[VB_CHECK_LVT0] = lapic ? vb_x86_lapic_reg(lapic, VB_APIC_LVT0) : VB_SELFCHECK_ABSENT;
	want[VB_CHECK_LVT1] = lapic ? vb_x86_lapic_reg(lapic, VB_APIC_LVT1) : VB_SELFCHECK_ABSENT;
}

int vb_selfcheck_first_mismatch(const struct vb_selfcheck *sc,
				const uint64_t want[VB_SELFCHECK_COUNT])
{
	unsigned complete = sc->words / 2;

	for (unsigned i = 0; i < VB_SELFCHECK_COUNT; i++)
		if (i >= complete || sc->got[i] != want[i])
			return (int)i;
	return -1;
}
