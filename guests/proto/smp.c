/* The CPUs, as a kernel without ACPI finds and starts them: the MP
 * floating pointer in the EBDA's first KiB or the BIOS ROM area, its
 * configuration table's processor entries, then INIT and two STARTUPs to
 * each AP through the x2APIC's ICR (an MSR, since the identity map does
 * not reach the xAPIC page at 0xfee00000). The APs run the trampoline
 * from a page below 1 MiB; the BSP waits a bounded time for them. */
#include "proto.h"

#define EBDA_START 0x9fc00ul
#define EBDA_END 0xa0000ul
#define BIOS_START 0xf0000ul
#define BIOS_END 0x100000ul
#define MP_CPU 0u
#define MP_CPU_SIZE 20u
#define MP_ENTRY_SIZE 8u
#define MP_HDR_SIZE 44u
#define MP_CPU_ENABLED 0x1u
#define MP_CPU_BSP 0x2u

/* The trampoline's page: STARTUP vector 0x08, free RAM in the e820 map,
 * below the loader's page tables at 0x9000. */
#define TRAMP_VECTOR 0x08u
#define TRAMP_ADDR ((uintptr_t)TRAMP_VECTOR << 12)
#define TRAMP_MAX 0x1000u

#define MSR_APIC_BASE 0x1bu
#define APIC_BASE_X2APIC 0xc00u
#define MSR_X2APIC_ID 0x802u
#define MSR_X2APIC_ICR 0x830u
#define ICR_INIT 0x4500u    /* INIT, level assert */
#define ICR_STARTUP 0x4600u /* STARTUP | vector */
#define CPUID1_ECX_X2APIC (1u << 21)
/* About a second at 2-4 GHz: APs on an idle host check in within
 * microseconds; the bound only keeps a lost AP from hanging the boot. */
#define WAIT_TSC (1ull << 32)

static uint32_t rd32(uintptr_t a)
{
	return *(volatile const uint32_t *)a;
}

static uint8_t sum(uintptr_t a, unsigned n)
{
	uint8_t s = 0;

	for (unsigned i = 0; i < n; i++)
		s = (uint8_t)(s + *(volatile const uint8_t *)(a + i));
	return s;
}

static uintptr_t fps_find(uintptr_t start, uintptr_t end)
{
	for (uintptr_t a = start; a + 16 <= end; a += 16)
		if (rd32(a) == 0x5f504d5fu /* "_MP_" */ && sum(a, 16) == 0)
			return a;
	return 0;
}

static void cpu_add(struct proto_cpus *c, const volatile uint8_t *e)
{
	if (!(e[3] & MP_CPU_ENABLED) || c->n >= PROTO_MAX_CPUS)
		return;
	if (e[3] & MP_CPU_BSP)
		c->bsp = e[1];
	c->ids[c->n++] = e[1];
}

int proto_mptable_read(struct proto_cpus *c)
{
	uintptr_t fps = fps_find(EBDA_START, EBDA_END), hdr, p;
	unsigned len, count;

	c->n = 0;
	c->bsp = 0;
	if (!fps)
		fps = fps_find(BIOS_START, BIOS_END);
	if (!fps)
		return -1;
	hdr = rd32(fps + 4);
	if (hdr == 0 || hdr >= BIOS_END || rd32(hdr) != 0x504d4350u /* "PCMP" */)
		return -1;
	len = *(volatile const uint16_t *)(hdr + 4);
	count = *(volatile const uint16_t *)(hdr + 34);
	if (len < MP_HDR_SIZE || sum(hdr, len) != 0)
		return -1;
	p = hdr + MP_HDR_SIZE;
	for (unsigned i = 0; i < count && p < hdr + len; i++) {
		const volatile uint8_t *e = (const volatile uint8_t *)p;

		if (e[0] == MP_CPU)
			cpu_add(c, e);
		p += e[0] == MP_CPU ? MP_CPU_SIZE : MP_ENTRY_SIZE;
	}
	return c->n ? 0 : -1;
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static int has_x2apic(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c & CPUID1_ECX_X2APIC) != 0;
}

static void sipi(uint32_t id)
{
	uint64_t dest = (uint64_t)id << 32;

	wrmsr(MSR_X2APIC_ICR, dest | ICR_INIT);
	wrmsr(MSR_X2APIC_ICR, dest | ICR_STARTUP | TRAMP_VECTOR);
	wrmsr(MSR_X2APIC_ICR, dest | ICR_STARTUP | TRAMP_VECTOR);
}

unsigned proto_smp_boot(const struct proto_cpus *c)
{
	size_t size = (size_t)(proto_trampoline_end - proto_trampoline);
	volatile uint32_t *count =
		(volatile uint32_t *)(TRAMP_ADDR + (uintptr_t)proto_trampoline_count);
	unsigned aps = 0;
	uint32_t self;
	uint64_t t0;

	if (c->n < 2 || !has_x2apic() || size > TRAMP_MAX)
		return 0;
	memcpy((void *)TRAMP_ADDR, proto_trampoline, size);
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_X2APIC);
	self = (uint32_t)rdmsr(MSR_X2APIC_ID);
	for (unsigned i = 0; i < c->n; i++) {
		if (c->ids[i] == self)
			continue;
		sipi(c->ids[i]);
		aps++;
	}
	t0 = rdtsc();
	while (*count < aps && rdtsc() - t0 < WAIT_TSC)
		proto_pause();
	return *count;
}
