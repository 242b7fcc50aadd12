/* The MP tables: signatures, checksums, entry counts and APIC ids for 1,
 * 2 and the largest vCPU count, and the refusals. */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "mptable.h"

#define GUEST_MEM 0x100000

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Walk the entries as a kernel's smp_read_mpc() does, counting each type. */
static void check_entries(const uint8_t *e, unsigned count, unsigned ncpus)
{
	unsigned n[5] = {0}, bsp = 0;

	for (unsigned i = 0; i < count; i++) {
		CHECK(e[0] <= VB_MP_LINT);
		if (e[0] > VB_MP_LINT)
			return;
		n[e[0]]++;
		if (e[0] == VB_MP_CPU) {
			CHECK_EQ_U64(e[1], n[0] - 1); /* APIC ids 0..N-1 in order */
			CHECK(e[3] & 0x1);
			bsp += (e[3] & 0x2) ? 1 : 0;
			if (e[1] == 0)
				CHECK(e[3] & 0x2);
			e += VB_MP_CPU_SIZE;
			continue;
		}
		if (e[0] == VB_MP_BUS)
			CHECK(memcmp(e + 2, "ISA   ", 6) == 0);
		if (e[0] == VB_MP_IOAPIC) {
			CHECK_EQ_U64(e[1], ncpus);
			CHECK_EQ_U64(e[2], 0x11);
			CHECK_EQ_U64(rd32(e + 4), 0xfec00000u);
		}
		if (e[0] == VB_MP_IOINT) {
			CHECK_EQ_U64(e[1], 0);
			CHECK_EQ_U64(e[5], n[3] - 1);
			CHECK_EQ_U64(e[6], ncpus);
			CHECK_EQ_U64(e[7], n[3] - 1);
		}
		if (e[0] == VB_MP_LINT)
			CHECK_EQ_U64(e[1], n[4] == 1 ? 3 : 1); /* ExtINT, then NMI */
		e += VB_MP_ENTRY_SIZE;
	}
	CHECK_EQ_U64(n[VB_MP_CPU], ncpus);
	CHECK_EQ_U64(bsp, 1);
	CHECK_EQ_U64(n[VB_MP_BUS], 1);
	CHECK_EQ_U64(n[VB_MP_IOAPIC], 1);
	CHECK_EQ_U64(n[VB_MP_IOINT], 16);
	CHECK_EQ_U64(n[VB_MP_LINT], 2);
}

static void check_tables(const uint8_t *mem, unsigned ncpus, long written)
{
	const uint8_t *fps = mem + VB_MPTABLE_START, *hdr;
	uint16_t len;

	CHECK_EQ_U64(written, vb_mptable_size(ncpus));
	CHECK_EQ_U64(written, 16 + 44 + 20 * ncpus + 20 * 8);
	CHECK(memcmp(fps, "_MP_", 4) == 0);
	CHECK_EQ_U64(fps[8], 1);
	CHECK_EQ_U64(fps[9], 4);
	CHECK_EQ_U64(sum(fps, 16), 0);
	CHECK_EQ_U64(rd32(fps + 4), VB_MPTABLE_START + 16);
	hdr = mem + rd32(fps + 4);
	CHECK(memcmp(hdr, "PCMP", 4) == 0);
	len = rd16(hdr + 4);
	CHECK_EQ_U64(len, (uint64_t)written - 16);
	CHECK_EQ_U64(hdr[6], 4);
	CHECK_EQ_U64(sum(hdr, len), 0);
	CHECK_EQ_U64(rd16(hdr + 34), ncpus + 20);
	CHECK_EQ_U64(rd32(hdr + 36), 0xfee00000u);
	check_entries(hdr + 44, rd16(hdr + 34), ncpus);
}

int main(void)
{
	uint8_t *mem = calloc(1, GUEST_MEM);
	unsigned counts[] = {1, 2, 8, VB_MPTABLE_MAX_CPUS};

	if (!mem)
		return 1;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		memset(mem, 0xa5, GUEST_MEM);
		check_tables(mem, counts[i], vb_mptable_write(mem, GUEST_MEM, counts[i]));
		/* Nothing outside the tables is touched. */
		CHECK_EQ_U64(mem[VB_MPTABLE_START - 1], 0xa5);
		CHECK_EQ_U64(mem[VB_MPTABLE_START + vb_mptable_size(counts[i])], 0xa5);
	}
	memset(mem, 0xa5, GUEST_MEM);
	CHECK_EQ_U64(vb_mptable_write(mem, GUEST_MEM, 0), -EINVAL);
	CHECK_EQ_U64(vb_mptable_write(mem, GUEST_MEM, VB_MPTABLE_MAX_CPUS + 1), -E2BIG);
	CHECK_EQ_U64(vb_mptable_write(mem, VB_MPTABLE_START + 16, 1), -E2BIG);
	CHECK_EQ_U64(vb_mptable_write(mem, 0x9000, 1), -E2BIG);
	/* 1024 bytes of EBDA hold 40 vCPUs' tables; with memory ending there
	 * the 41st does not fit. */
	CHECK(vb_mptable_write(mem, 0xa0000, 40) > 0);
	CHECK_EQ_U64(vb_mptable_write(mem, 0xa0000, 41), -E2BIG);
	memset(mem, 0xa5, GUEST_MEM);
	vb_mptable_write(mem, 0xa0000, 41);
	CHECK_EQ_U64(mem[VB_MPTABLE_START], 0xa5); /* refused: nothing written */
	free(mem);
	return vb_check_exit();
}
