/* The MP tables (Intel MultiProcessor Specification 1.4) a guest kernel
 * reads to find its CPUs, its IOAPIC and how the ISA IRQs are wired, as
 * Firecracker writes them: a floating pointer structure at the start of
 * the EBDA, the configuration table right after it.
 *
 * Pure: written into a caller-owned guest-memory buffer. The e820 map
 * (zero_page.h) reserves 0x9fc00..1 MiB, so the guest never reuses it. */
#ifndef VB_MPTABLE_H
#define VB_MPTABLE_H

#include <stddef.h>
#include <stdint.h>

#define VB_MPTABLE_START    0x9fc00ull /* the EBDA: where a kernel looks */
#define VB_MPTABLE_END      0x100000ull /* the reserved area ends at 1 MiB */
#define VB_MPTABLE_LAPIC    0xfee00000u
#define VB_MPTABLE_IOAPIC   0xfec00000u
#define VB_MPTABLE_IOAPIC_VERSION 0x11u
#define VB_MPTABLE_APIC_VERSION   0x14u
#define VB_MPTABLE_IRQS     16u /* ISA IRQ i on IOAPIC pin i */
/* APIC ids 0..N-1 for the CPUs and N for the IOAPIC; 0xff is broadcast. */
#define VB_MPTABLE_MAX_CPUS 254u

/* Entry types and sizes (spec 1.4, table 4-3). */
#define VB_MP_FPS_SIZE     16u
#define VB_MP_HDR_SIZE     44u
#define VB_MP_CPU_SIZE     20u
#define VB_MP_ENTRY_SIZE   8u /* bus, IOAPIC, I/O and local interrupt */
#define VB_MP_CPU          0u
#define VB_MP_BUS          1u
#define VB_MP_IOAPIC       2u
#define VB_MP_IOINT        3u
#define VB_MP_LINT         4u

/* Bytes the tables take for @ncpus vCPUs. */
size_t vb_mptable_size(unsigned ncpus);

/* Write the MP tables for @ncpus vCPUs (APIC ids 0..ncpus-1, 0 the BSP)
 * at VB_MPTABLE_START of guest memory @mem (@mem_size bytes, guest address
 * 0 at @mem). Returns the bytes written, -EINVAL for 0 vCPUs, -E2BIG when
 * @ncpus exceeds VB_MPTABLE_MAX_CPUS or the tables do not fit below
 * min(@mem_size, 1 MiB); nothing is written on error. */
long vb_mptable_write(void *mem, size_t mem_size, unsigned ncpus);

#endif
