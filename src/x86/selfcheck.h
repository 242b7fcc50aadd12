/* --verify: the selfcheck guest reads its own boot state and reports it as
 * 32-bit words on VB_SELFCHECK_PORT, two per item (low word first), in the
 * order of enum vb_selfcheck_item. This module collects the words and
 * compares the items with the state the runner gave the vCPU. Pure. */
#ifndef VB_SELFCHECK_H
#define VB_SELFCHECK_H

#include <linux/kvm.h>
#include <stdint.h>

enum vb_selfcheck_item {
	VB_CHECK_RSP, /* first: before the guest could change it */
	VB_CHECK_CR0,
	VB_CHECK_CR3,
	VB_CHECK_CR4,
	VB_CHECK_EFER,
	VB_CHECK_CS,
	VB_CHECK_DS,
	VB_CHECK_ES,
	VB_CHECK_FS,
	VB_CHECK_GS,
	VB_CHECK_SS,
	VB_CHECK_TR,
	VB_CHECK_GDT_BASE,
	VB_CHECK_GDT_LIMIT,
	VB_CHECK_IDT_BASE,
	VB_CHECK_IDT_LIMIT,
	VB_CHECK_APIC_ID,   /* x2APIC id; without an in-kernel APIC, CPUID's 8 bits */
	VB_CHECK_LVT0,      /* LVT LINT0 (in-kernel APIC), else VB_SELFCHECK_ABSENT */
	VB_CHECK_LVT1,      /* LVT LINT1, likewise */
	VB_SELFCHECK_COUNT
};

/* What the guest reports for a register its vCPU does not have. */
#define VB_SELFCHECK_ABSENT UINT64_MAX

/* "cr0", "cs selector", ... indexed by enum vb_selfcheck_item. */
extern const char *const vb_selfcheck_item_name[VB_SELFCHECK_COUNT];

/* The report received so far. Zero-initialised is empty. */
struct vb_selfcheck {
	uint64_t got[VB_SELFCHECK_COUNT];
	unsigned words;
};

/* Add the next @word. Returns 0 when more words are expected, 1 when the
 * report is complete with this word, -1 when it was complete already. */
int vb_selfcheck_feed(struct vb_selfcheck *sc, uint32_t word);

/* What the guest should report, given the @sregs and @regs it was set to,
 * its @apic_id (the vCPU id) and its in-kernel local APIC's state as set
 * (@lapic; NULL when the VM has no in-kernel irqchip). */
void vb_selfcheck_expect(const struct kvm_sregs *sregs, const struct kvm_regs *regs,
			 const struct kvm_lapic_state *lapic, uint32_t apic_id,
			 uint64_t want[VB_SELFCHECK_COUNT]);

/* Index of the first item of @sc that differs from @want or is still
 * missing (an incomplete report), or -1 when every item matches. */
int vb_selfcheck_first_mismatch(const struct vb_selfcheck *sc,
				const uint64_t want[VB_SELFCHECK_COUNT]);

#endif
