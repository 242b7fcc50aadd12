/* The boot timer: the guest's init says "init reached" by writing the
 * magic byte 123 (Firecracker's boot-timer value) to I/O port 0xf4, after
 * reporting what it saw: its online CPU count as a 32-bit write to port
 * 0xf8 and its memory (sysinfo's totalram) in KiB as a 32-bit write to
 * port 0xfc, so the host can check them against --vcpus and --mem.
 *
 * Why port 0xf4 and not Firecracker's MMIO 0xd0000000: a port needs no
 * /dev/mem mapping in a libc-free init (ioperm(2) and outb), cannot
 * collide with guest RAM whatever --mem is, and 0xf0-0xff (the old
 * coprocessor ports) is a range x86-64 Linux reserves but never touches
 * during boot, unlike 0x80 (io_delay). 0xf4 is also QEMU's isa-debug-exit
 * port, so the same init ends a QEMU boot of the same kernel (with
 * -device isa-debug-exit) for a side-by-side comparison.
 *
 * Reads of these ports answer all ones, as absent hardware: the device is
 * write-only. Pure: no locking (struct vb_devices serialises). */
#ifndef VB_BOOT_TIMER_H
#define VB_BOOT_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "dev_event.h"

#define VB_BOOT_TIMER_PORT 0xf4 /* byte: VB_BOOT_TIMER_MAGIC */
#define VB_BOOT_TIMER_CPUS 0xf8 /* u32: online CPUs the init saw */
#define VB_BOOT_TIMER_MEM 0xfc  /* u32: memory the init saw, KiB */
#define VB_BOOT_TIMER_MAGIC 123

/* Zero-initialised is the state before the guest wrote anything. Read
 * its members directly: no invariant beyond "has_x says x is valid". */
struct vb_boot_timer {
	bool init, has_cpus, has_mem;
	uint64_t init_ns;   /* first magic write, host time */
	uint32_t cpus, mem_kib;
	uint64_t other_writes; /* to 0xf4 but not the magic */
};

/* Whether @port is one of the boot timer's: 0xf4-0xff. */
bool vb_boot_timer_claims(uint16_t port);
/* A write of @size bytes (1, 2 or 4; @val little-endian, zero-extended)
 * at @port. VB_DEV_INIT_REACHED for the magic (every time; init_ns keeps
 * the first), else VB_DEV_NONE. */
enum vb_dev_event vb_boot_timer_write(struct vb_boot_timer *t, uint16_t port, uint32_t val,
				      unsigned size, uint64_t ts_ns);

#endif
