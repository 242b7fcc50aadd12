/* The MP tables, encoded byte by byte in the spec's little-endian layout
 * (no packed structs: the offsets are the spec's, visible here). */
#include "mptable.h"

#include <errno.h>
#include <string.h>

#define SPEC_REV        4u     /* 1.4 */
#define CPU_ENABLED     0x1u
#define CPU_BSP         0x2u
#define CPU_SIGNATURE   0x600u /* family 6, as VMMs report */
#define CPU_FEATURES    0x201u /* FPU | APIC */
#define IOAPIC_ENABLED  0x1u
#define INT_TYPE_INT    0u
#define INT_TYPE_NMI    1u
#define INT_TYPE_EXTINT 3u
#define ALL_APICS       0xffu

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* The value that makes the @n bytes at @p sum to 0 modulo 256. */
static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum = (uint8_t)(sum + *p++);
	return (uint8_t)-sum;
}

size_t vb_mptable_size(unsigned ncpus)
{
	return VB_MP_FPS_SIZE + VB_MP_HDR_SIZE + (size_t)ncpus * VB_MP_CPU_SIZE +
	       (2 + VB_MPTABLE_IRQS + 2) * VB_MP_ENTRY_SIZE;
}

static uint8_t *put_cpus(uint8_t *p, unsigned ncpus)
{
	for (unsigned i = 0; i < ncpus; i++, p += VB_MP_CPU_SIZE) {
		p[0] = VB_MP_CPU;
		p[1] = (uint8_t)i;
		p[2] = VB_MPTABLE_APIC_VERSION;
		p[3] = CPU_ENABLED | (i == 0 ? CPU_BSP : 0);
		put32(p + 4, CPU_SIGNATURE);
		put32(p + 8, CPU_FEATURES);
	}
	return p;
}

/* An I/O (type 3) or local (type 4) interrupt entry; flags 0: conforms
 * to the bus (ISA: edge, active high). */
static uint8_t *put_int(uint8_t *p, uint8_t type, uint8_t irq_type, uint8_t src_irq,
			uint8_t dst_apic, uint8_t dst_pin)
{
	p[0] = type;
	p[1] = irq_type;
	p[4] = 0; /* source bus: the ISA bus, id 0 */
	p[5] = src_irq;
	p[6] = dst_apic;
	p[7] = dst_pin;
	return p + VB_MP_ENTRY_SIZE;
}

/* Bus, IOAPIC, the ISA IRQs on its pins, LINT0 ExtINT and LINT1 NMI. */
static uint8_t *put_devices(uint8_t *p, unsigned ncpus)
{
	uint8_t ioapic = (uint8_t)ncpus;

	p[0] = VB_MP_BUS;
	memcpy(p + 2, "ISA   ", 6);
	p += VB_MP_ENTRY_SIZE;
	p[0] = VB_MP_IOAPIC;
	p[1] = ioapic;
	p[2] = VB_MPTABLE_IOAPIC_VERSION;
	p[3] = IOAPIC_ENABLED;
	put32(p + 4, VB_MPTABLE_IOAPIC);
	p += VB_MP_ENTRY_SIZE;
	for (unsigned i = 0; i < VB_MPTABLE_IRQS; i++)
		p = put_int(p, VB_MP_IOINT, INT_TYPE_INT, (uint8_t)i, ioapic, (uint8_t)i);
	p = put_int(p, VB_MP_LINT, INT_TYPE_EXTINT, 0, 0, 0);
	return put_int(p, VB_MP_LINT, INT_TYPE_NMI, 0, ALL_APICS, 1);
}

static void put_header(uint8_t *h, size_t len, unsigned ncpus)
{
	memcpy(h, "PCMP", 4);
	put16(h + 4, (uint16_t)len);
	h[6] = SPEC_REV;
	memcpy(h + 8, "VCPUBNCH", 8);     /* OEM id */
	memcpy(h + 16, "000000000000", 12); /* product id */
	put16(h + 34, (uint16_t)(ncpus + 2 + VB_MPTABLE_IRQS + 2));
	put32(h + 36, VB_MPTABLE_LAPIC);
	h[7] = checksum(h, len);
}

long vb_mptable_write(void *mem, size_t mem_size, unsigned ncpus)
{
	size_t size = vb_mptable_size(ncpus);
	size_t end = mem_size < VB_MPTABLE_END ? mem_size : VB_MPTABLE_END;
	uint8_t *fps = (uint8_t *)mem + VB_MPTABLE_START, *hdr = fps + VB_MP_FPS_SIZE;

	if (ncpus == 0)
		return -EINVAL;
	if (ncpus > VB_MPTABLE_MAX_CPUS || end < VB_MPTABLE_START ||
	    size > end - VB_MPTABLE_START)
		return -E2BIG;
	memset(fps, 0, size);
	memcpy(fps, "_MP_", 4);
	put32(fps + 4, (uint32_t)(VB_MPTABLE_START + VB_MP_FPS_SIZE));
	fps[8] = 1; /* length in 16-byte units */
	fps[9] = SPEC_REV;
	fps[10] = checksum(fps, VB_MP_FPS_SIZE);
	put_devices(put_cpus(hdr + VB_MP_HDR_SIZE, ncpus), ncpus);
	put_header(hdr, size - VB_MP_FPS_SIZE, ncpus);
	return (long)size;
}
