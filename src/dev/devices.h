/* One VM's devices and the one dispatch of its I/O and MMIO exits: the
 * 16550A console at COM1 (uart.h), the i8042 (i8042.h), the boot timer
 * (boot_timer.h); every other port and every MMIO address is absent
 * hardware (absent.h), answered and counted.
 *
 * Concurrency: a VM's devices are touched by all its vCPU threads, so
 * vb_devices_pio() and vb_devices_mmio() take the VM's mutex (an
 * uncontended lock is ~20 ns, next to an exit's microseconds): any number
 * of threads may call them at once on one struct vb_devices. Everything
 * else (init, release, finish and the readers) is for one thread while no
 * access runs, e.g. the VM's owner after joining its vCPU threads. */
#ifndef VB_DEVICES_H
#define VB_DEVICES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "absent.h"
#include "boot_timer.h"
#include "dev_event.h"
#include "i8042.h"
#include "uart.h"

#define VB_DEVICES_CONSOLE_LIMIT_DEFAULT (1u << 20) /* bytes of console text */
#define VB_DEVICES_ABSENT_MAX_DEFAULT 1024u        /* distinct absent keys */

struct vb_devices_config {
	size_t console_limit; /* 0: the default */
	size_t absent_max;    /* 0: the default */
	/* A device's interrupt line changed level (the UART's IRQ 4), called
	 * under the devices' lock so that levels reach the irqchip in order;
	 * NULL: no interrupts. 0 or -errno, which the access returns. */
	int (*set_irq)(void *arg, unsigned irq, bool level);
	void *irq_arg;
};

/* Members are private to devices.c: use the functions below. */
struct vb_devices {
	pthread_mutex_t lock;
	struct vb_uart com1;
	struct vb_i8042 kbc;
	struct vb_boot_timer timer;
	struct vb_absent absent;
	int (*set_irq)(void *arg, unsigned irq, bool level);
	void *irq_arg;
	bool com1_irq;            /* the level last given to set_irq */
};

/* The guest's milestones as the devices saw them, host times. */
struct vb_dev_milestones {
	bool first_output, init, reset;
	uint64_t first_output_ns; /* first byte the UART transmitted */
	uint64_t init_ns;         /* first boot-timer magic */
	uint64_t reset_ns;        /* first i8042 reset request */
	bool has_cpus, has_mem;   /* the init's report, if it made one */
	uint32_t cpus, mem_kib;
};

/* @cfg may be NULL (defaults). 0, -EINVAL, -ENOMEM, or a pthread error
 * negated. */
int vb_devices_init(struct vb_devices *d, const struct vb_devices_config *cfg);
/* Frees everything, console lines included. NULL does nothing. */
void vb_devices_release(struct vb_devices *d);

/* One port access of @size bytes (1, 2 or 4) at @port as KVM_EXIT_IO
 * gives it: @data is read from on a write, filled on a read. @ts_ns is
 * the host time of the exit (console lines and milestones carry it),
 * @dur_ns the time this exit has cost so far (absent accesses add it).
 * A multi-byte access to a byte-wide device is split into bytes at
 * consecutive ports, as the ISA bus does. Returns what the caller must
 * act on (enum vb_dev_event), -EINVAL for a bad size, or set_irq's error. */
int vb_devices_pio(struct vb_devices *d, uint16_t port, bool write, uint8_t *data,
		   unsigned size, uint64_t ts_ns, uint64_t dur_ns);
/* One MMIO access (KVM_EXIT_MMIO, @size 1..8): no device is memory
 * mapped, so every address is absent. Returns VB_DEV_NONE, or -EINVAL. */
int vb_devices_mmio(struct vb_devices *d, uint64_t addr, bool write, uint8_t *data,
		    unsigned size, uint64_t ts_ns, uint64_t dur_ns);

/* The VM stopped: end the console's unfinished line so it is kept. */
void vb_devices_finish(struct vb_devices *d);
void vb_devices_milestones(const struct vb_devices *d, struct vb_dev_milestones *m);
/* The console (vb_uart_line_count(), vb_uart_line(), vb_uart_truncated())
 * and the absent table (vb_absent_next(), vb_absent_overflow()), to read
 * once no access runs; owned by @d. */
const struct vb_uart *vb_devices_console(const struct vb_devices *d);
const struct vb_absent *vb_devices_absent(const struct vb_devices *d);

#endif
