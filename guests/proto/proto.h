/* The protocol guest (guests/proto/): a bzImage built from vcpubench's own
 * sources that does what early Linux does with what the 64-bit boot
 * protocol gives it, so the host's --kernel path is tested on any KVM.
 * Freestanding: no libc, no interrupts, polled I/O only. */
#ifndef VB_PROTO_H
#define VB_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAX_CPUS 256u

static inline void proto_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void proto_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t proto_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void proto_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* console.c: the 16550 at 0x3f8, probed as Linux's 8250 driver does. */
int proto_console_probe(void);
void proto_puts(const char *s);
void proto_putu(uint64_t v);
void proto_putx(uint64_t v);

/* smp.c: CPUs from the MP table, APs started by INIT-SIPI. */
struct proto_cpus {
	unsigned n;                    /* enabled processors in the table */
	uint8_t ids[PROTO_MAX_CPUS];   /* their APIC ids */
	uint8_t bsp;                   /* the BSP's APIC id */
};
/* Fill @c from the MP table; -1 when there is none (then 1 CPU). */
int proto_mptable_read(struct proto_cpus *c);
/* Start every AP of @c; returns how many checked in (bounded wait). */
unsigned proto_smp_boot(const struct proto_cpus *c);

/* head.S */
void proto_triple_fault(void) __attribute__((noreturn));
extern const uint8_t proto_trampoline[], proto_trampoline_end[];
extern const uint8_t proto_trampoline_count[], proto_trampoline_ids[];

/* The compiler may emit calls to these even freestanding. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

#endif
