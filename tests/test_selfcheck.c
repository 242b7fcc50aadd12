/* The selfcheck report: word assembly, the expected values from the boot
 * state, and naming the first mismatch. */
#include "check.h"
#include "selfcheck.h"
#include "x86_boot.h"

static void boot_state(struct kvm_sregs *s, struct kvm_regs *r)
{
	uint64_t gdt[VB_BOOT_GDT_MAX];

	*s = (struct kvm_sregs){ .cr0 = 0x60000010 };
	vb_x86_boot_gdt(gdt);
	vb_x86_boot_sregs(s, gdt, VB_BOOT_GDT_MAX, VB_BOOT_GDT_OFFSET, VB_BOOT_IDT_OFFSET,
			  VB_PML4_START);
	*r = vb_x86_boot_regs(VB_GUEST_ENTRY, VB_BOOT_STACK_POINTER, VB_BOOT_STACK_POINTER,
			      VB_ZERO_PAGE_START);
}

static void feed_all(struct vb_selfcheck *sc, const uint64_t *items)
{
	for (unsigned i = 0; i < VB_SELFCHECK_COUNT; i++) {
		CHECK(vb_selfcheck_feed(sc, (uint32_t)items[i]) == 0);
		CHECK(vb_selfcheck_feed(sc, (uint32_t)(items[i] >> 32)) ==
		      (i == VB_SELFCHECK_COUNT - 1));
	}
}

static void test_expect(void)
{
	struct kvm_sregs s;
	struct kvm_regs r;
	uint64_t want[VB_SELFCHECK_COUNT];

	boot_state(&s, &r);
	vb_selfcheck_expect(&s, &r, NULL, 300, want);
	CHECK_EQ_U64(want[VB_CHECK_RSP], 0x1000000);
	CHECK_EQ_U64(want[VB_CHECK_CR0], 0xe0000011);
	CHECK_EQ_U64(want[VB_CHECK_CR3], 0x9000);
	CHECK_EQ_U64(want[VB_CHECK_CR4], 0x20);
	CHECK_EQ_U64(want[VB_CHECK_EFER], 0x500);
	CHECK_EQ_U64(want[VB_CHECK_CS], 0x8);
	CHECK_EQ_U64(want[VB_CHECK_SS], 0x10);
	CHECK_EQ_U64(want[VB_CHECK_TR], 0x18);
	CHECK_EQ_U64(want[VB_CHECK_GDT_BASE], 0x500);
	CHECK_EQ_U64(want[VB_CHECK_GDT_LIMIT], 31);
	CHECK_EQ_U64(want[VB_CHECK_IDT_BASE], 0x520);
	CHECK_EQ_U64(want[VB_CHECK_IDT_LIMIT], 7);
	/* No in-kernel APIC: CPUID's 8-bit id, no LVT entries. */
	CHECK_EQ_U64(want[VB_CHECK_APIC_ID], 300 & 0xff);
	CHECK_EQ_U64(want[VB_CHECK_LVT0], VB_SELFCHECK_ABSENT);
	CHECK_EQ_U64(want[VB_CHECK_LVT1], VB_SELFCHECK_ABSENT);
}

/* With an in-kernel APIC: the full id and the LINT entries as set, from
 * the state KVM_GET_LAPIC gave (here: an AP's reset state, all masked). */
static void test_expect_lapic(void)
{
	struct kvm_lapic_state lapic = { 0 };
	const uint32_t masked = 0x10000;
	struct kvm_sregs s;
	struct kvm_regs r;
	uint64_t want[VB_SELFCHECK_COUNT];

	memcpy(lapic.regs + VB_APIC_LVT0, &masked, sizeof(masked));
	memcpy(lapic.regs + VB_APIC_LVT1, &masked, sizeof(masked));
	vb_x86_lapic_set_lint(&lapic);
	boot_state(&s, &r);
	vb_selfcheck_expect(&s, &r, &lapic, 300, want);
	CHECK_EQ_U64(want[VB_CHECK_APIC_ID], 300);
	CHECK_EQ_U64(want[VB_CHECK_LVT0], 0x10700); /* ExtINT, still masked */
	CHECK_EQ_U64(want[VB_CHECK_LVT1], 0x10400); /* NMI */
	CHECK_EQ_STR(vb_selfcheck_item_name[VB_CHECK_LVT1], "lvt lint1");
}

static void test_match_and_mismatch(void)
{
	struct kvm_sregs s;
	struct kvm_regs r;
	uint64_t want[VB_SELFCHECK_COUNT], got[VB_SELFCHECK_COUNT];
	struct vb_selfcheck sc = { 0 };

	boot_state(&s, &r);
	vb_selfcheck_expect(&s, &r, NULL, 0, want);
	memcpy(got, want, sizeof(got));
	feed_all(&sc, got);
	CHECK(vb_selfcheck_first_mismatch(&sc, want) == -1);
	CHECK(vb_selfcheck_feed(&sc, 0) == -1); /* a word too many */

	/* A high-word difference in efer, and a later one in ss: efer named. */
	got[VB_CHECK_EFER] |= 1ull << 40;
	got[VB_CHECK_SS] = 0x18;
	sc = (struct vb_selfcheck){ 0 };
	feed_all(&sc, got);
	CHECK(vb_selfcheck_first_mismatch(&sc, want) == VB_CHECK_EFER);
	CHECK_EQ_STR(vb_selfcheck_item_name[VB_CHECK_EFER], "efer");
	CHECK_EQ_U64(sc.got[VB_CHECK_EFER], 0x500 | (1ull << 40));

	/* An incomplete report names the first missing item. */
	sc = (struct vb_selfcheck){ 0 };
	for (unsigned i = 0; i < 7; i++)
		vb_selfcheck_feed(&sc, (uint32_t)(want[i / 2] >> (i % 2 ? 32 : 0)));
	CHECK(vb_selfcheck_first_mismatch(&sc, want) == 3);
}

int main(void)
{
	test_expect();
	test_expect_lapic();
	test_match_and_mismatch();
	return vb_check_exit();
}
