/* Routing one exit to the device that claims its port, under the VM's
 * lock. */
#include "devices.h"

#include <errno.h>
#include <string.h>

int vb_devices_init(struct vb_devices *d, const struct vb_devices_config *cfg)
{
	size_t limit = cfg && cfg->console_limit ? cfg->console_limit
						  : VB_DEVICES_CONSOLE_LIMIT_DEFAULT;
	size_t max = cfg && cfg->absent_max ? cfg->absent_max : VB_DEVICES_ABSENT_MAX_DEFAULT;
	int err;

	memset(d, 0, sizeof(*d));
	err = vb_uart_init(&d->com1, VB_UART_COM1, limit);
	if (err)
		return err;
	err = vb_absent_init(&d->absent, max);
	if (err)
		goto err_uart;
	err = -pthread_mutex_init(&d->lock, NULL);
	if (err)
		goto err_absent;
	vb_i8042_init(&d->kbc);
	if (cfg) {
		d->set_irq = cfg->set_irq;
		d->irq_arg = cfg->irq_arg;
	}
	return 0;

err_absent:
	vb_absent_release(&d->absent);
err_uart:
	vb_uart_release(&d->com1);
	return err;
}

void vb_devices_release(struct vb_devices *d)
{
	if (!d)
		return;
	pthread_mutex_destroy(&d->lock);
	vb_absent_release(&d->absent);
	vb_uart_release(&d->com1);
}

/* One byte of the UART: its interrupt line follows, then a panic line
 * just ended is the event. */
static int uart_byte(struct vb_devices *d, uint16_t port, bool write, uint8_t *b,
		     uint64_t ts_ns)
{
	bool was = vb_uart_panicked(&d->com1), level;

	if (write)
		vb_uart_write(&d->com1, port, *b, ts_ns);
	else
		*b = vb_uart_read(&d->com1, port);
	level = vb_uart_irq(&d->com1);
	if (level != d->com1_irq && d->set_irq) {
		int err = d->set_irq(d->irq_arg, VB_UART_COM1_IRQ, level);

		if (err)
			return err;
		d->com1_irq = level;
	}
	return !was && vb_uart_panicked(&d->com1) ? VB_DEV_PANIC : VB_DEV_NONE;
}

/* One byte at @port of a byte-wide device, or of absent hardware. */
static int pio_byte(struct vb_devices *d, uint16_t port, bool write, uint8_t *b,
		    uint64_t ts_ns, uint64_t dur_ns)
{
	if (vb_uart_claims(&d->com1, port)) {
		return uart_byte(d, port, write, b, ts_ns);
	} else if (vb_i8042_claims(port)) {
		if (write)
			return vb_i8042_write(&d->kbc, port, *b, ts_ns);
		*b = vb_i8042_read(&d->kbc, port);
	} else {
		vb_absent_access(&d->absent, VB_ACCESS_PIO, port, write, b, 1, dur_ns);
	}
	return VB_DEV_NONE;
}

/* Whether any byte of the access falls on a byte-wide device. */
static bool byte_wide(const struct vb_devices *d, uint16_t port, unsigned size)
{
	for (unsigned i = 0; i < size; i++) {
		uint16_t p = (uint16_t)(port + i);

		if (vb_uart_claims(&d->com1, p) || vb_i8042_claims(p))
			return true;
	}
	return false;
}

static int pio_locked(struct vb_devices *d, uint16_t port, bool write, uint8_t *data,
		      unsigned size, uint64_t ts_ns, uint64_t dur_ns)
{
	int ev = VB_DEV_NONE;

	if (vb_boot_timer_claims(port)) {
		uint32_t val = 0;

		if (!write) {
			memset(data, 0xff, size); /* write-only */
			return VB_DEV_NONE;
		}
		memcpy(&val, data, size); /* x86: little-endian */
		return vb_boot_timer_write(&d->timer, port, val, size, ts_ns);
	}
	/* An access wholly to absent ports is one entry, at its first port. */
	if (!byte_wide(d, port, size)) {
		vb_absent_access(&d->absent, VB_ACCESS_PIO, port, write, data, size, dur_ns);
		return VB_DEV_NONE;
	}
	for (unsigned i = 0; i < size; i++) {
		int e = pio_byte(d, (uint16_t)(port + i), write, &data[i], ts_ns, i ? 0 : dur_ns);

		if (e < 0)
			return e;
		if (e != VB_DEV_NONE)
			ev = e;
	}
	return ev;
}

int vb_devices_pio(struct vb_devices *d, uint16_t port, bool write, uint8_t *data,
		   unsigned size, uint64_t ts_ns, uint64_t dur_ns)
{
	int ret;

	if (size != 1 && size != 2 && size != 4)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	ret = pio_locked(d, port, write, data, size, ts_ns, dur_ns);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

int vb_devices_mmio(struct vb_devices *d, uint64_t addr, bool write, uint8_t *data,
		    unsigned size, uint64_t ts_ns, uint64_t dur_ns)
{
	(void)ts_ns; /* no MMIO device has a milestone yet */
	if (size == 0 || size > 8)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	vb_absent_access(&d->absent, VB_ACCESS_MMIO, addr, write, data, size, dur_ns);
	pthread_mutex_unlock(&d->lock);
	return VB_DEV_NONE;
}

void vb_devices_finish(struct vb_devices *d)
{
	vb_uart_flush(&d->com1);
}

void vb_devices_milestones(const struct vb_devices *d, struct vb_dev_milestones *m)
{
	*m = (struct vb_dev_milestones){
		.init = d->timer.init,
		.init_ns = d->timer.init_ns,
		.has_cpus = d->timer.has_cpus,
		.has_mem = d->timer.has_mem,
		.cpus = d->timer.cpus,
		.mem_kib = d->timer.mem_kib,
	};
	m->first_output = vb_uart_first_output(&d->com1, &m->first_output_ns) == 0;
	m->reset = vb_i8042_reset_time(&d->kbc, &m->reset_ns) == 0;
}

const struct vb_uart *vb_devices_console(const struct vb_devices *d)
{
	return &d->com1;
}

const struct vb_absent *vb_devices_absent(const struct vb_devices *d)
{
	return &d->absent;
}
