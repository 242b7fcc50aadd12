/* One VM's dispatch: each port to its device, the rest absent, the
 * milestones, and N vCPU threads at once on one VM. */
#include <errno.h>
#include <pthread.h>

#include "check.h"
#include "devices.h"

static int pio(struct vb_devices *d, uint16_t port, bool write, uint32_t *val, unsigned size,
	       uint64_t ts)
{
	return vb_devices_pio(d, port, write, (uint8_t *)val, size, ts, 100);
}

static uint64_t absent_count(const struct vb_devices *d, enum vb_access_kind kind,
			     uint64_t addr, bool write)
{
	const struct vb_absent_entry *e;
	size_t pos = 0;

	while ((e = vb_absent_next(vb_devices_absent(d), &pos)))
		if (e->kind == kind && e->addr == addr && e->write == write)
			return e->count;
	return 0;
}

static void test_routing(void)
{
	struct vb_devices d;
	struct vb_dev_milestones m;
	uint32_t v;
	uint64_t q = 0;

	CHECK(vb_devices_init(&d, &(struct vb_devices_config){ .console_limit = 256 }) == 0);
	/* The UART at COM1: LSR says empty; COM2 is absent. */
	v = 0;
	CHECK(pio(&d, 0x3fd, false, &v, 1, 0) == VB_DEV_NONE);
	CHECK_EQ_U64(v, 0x60);
	CHECK(pio(&d, 0x2fd, false, &v, 1, 0) == VB_DEV_NONE);
	CHECK_EQ_U64(v, 0xff);
	/* Console bytes become a line on the first byte's time. */
	for (const char *s = "hi\r\n"; *s; s++) {
		v = (uint8_t)*s;
		CHECK(pio(&d, 0x3f8, true, &v, 1, 50 + (uint64_t)(s - "hi\r\n")) == VB_DEV_NONE);
	}
	/* The i8042's status, then the reset. */
	CHECK(pio(&d, 0x64, false, &v, 1, 0) == VB_DEV_NONE);
	CHECK_EQ_U64(v & 0x03, 0);
	v = 0xfe;
	CHECK(pio(&d, 0x64, true, &v, 1, 900) == VB_DEV_RESET);
	/* The boot timer: report, then magic; its reads answer all ones. */
	v = 2;
	CHECK(pio(&d, 0xf8, true, &v, 4, 0) == VB_DEV_NONE);
	v = 200000;
	CHECK(pio(&d, 0xfc, true, &v, 4, 0) == VB_DEV_NONE);
	v = 123;
	CHECK(pio(&d, 0xf4, true, &v, 1, 700) == VB_DEV_INIT_REACHED);
	v = 0;
	CHECK(pio(&d, 0xf4, false, &v, 2, 0) == VB_DEV_NONE);
	CHECK_EQ_U64(v, 0xffff);
	/* io_delay's port 0x80 and an MMIO read: absent, all ones, counted. */
	v = 0;
	CHECK(pio(&d, 0x80, true, &v, 1, 0) == VB_DEV_NONE);
	CHECK(vb_devices_mmio(&d, 0xfed00000, false, (uint8_t *)&q, 8, 0, 100) == VB_DEV_NONE);
	CHECK_EQ_U64(q, UINT64_MAX);
	/* A 4-byte read straddling 0x5e..0x61 splits: 0x60 is the i8042's. */
	v = 0;
	CHECK(pio(&d, 0x5e, false, &v, 4, 0) == VB_DEV_NONE);
	CHECK_EQ_U64(v & 0xffff, 0xffff);
	CHECK_EQ_U64(absent_count(&d, VB_ACCESS_PIO, 0x5f, false), 1);
	CHECK_EQ_U64(absent_count(&d, VB_ACCESS_PIO, 0x61, false), 1);
	CHECK_EQ_U64(absent_count(&d, VB_ACCESS_PIO, 0x2fd, false), 1);
	CHECK_EQ_U64(absent_count(&d, VB_ACCESS_PIO, 0x80, true), 1);
	CHECK_EQ_U64(absent_count(&d, VB_ACCESS_MMIO, 0xfed00000, false), 1);
	CHECK_EQ_U64(absent_count(&d, VB_ACCESS_PIO, 0x3fd, false), 0);
	CHECK_EQ_U64(absent_count(&d, VB_ACCESS_PIO, 0xf4, false), 0);
	/* Bad sizes. */
	CHECK(pio(&d, 0x80, true, &v, 3, 0) == -EINVAL);
	CHECK(vb_devices_mmio(&d, 0, true, (uint8_t *)&q, 9, 0, 0) == -EINVAL);

	vb_devices_finish(&d);
	vb_devices_milestones(&d, &m);
	CHECK(m.first_output && m.init && m.reset && m.has_cpus && m.has_mem);
	CHECK_EQ_U64(m.first_output_ns, 50);
	CHECK_EQ_U64(m.reset_ns, 900);
	CHECK_EQ_U64(m.init_ns, 700);
	CHECK_EQ_U64(m.cpus, 2);
	CHECK_EQ_U64(m.mem_kib, 200000);
	CHECK_EQ_U64(vb_uart_line_count(vb_devices_console(&d)), 1);
	CHECK_EQ_STR(vb_uart_line(vb_devices_console(&d), 0)->text, "hi");
	CHECK_EQ_U64(vb_uart_line(vb_devices_console(&d), 0)->ts_ns, 50);
	vb_devices_release(&d);
	vb_devices_release(NULL);
}

/* The panic line's LF is the access that reports it, once. */
static void test_panic(void)
{
	struct vb_devices d;
	uint32_t v;

	CHECK(vb_devices_init(&d, NULL) == 0);
	for (const char *s = "Kernel panic - not syncing: x\n"; *s; s++) {
		v = (uint8_t)*s;
		CHECK(pio(&d, 0x3f8, true, &v, 1, 60) == (s[1] ? VB_DEV_NONE : VB_DEV_PANIC));
	}
	v = '\n';
	CHECK(pio(&d, 0x3f8, true, &v, 1, 61) == VB_DEV_NONE);
	vb_devices_release(&d);
}

struct irq_log {
	unsigned n, irq[8];
	bool level[8];
	int fail; /* returned by the next call */
};

static int log_irq(void *arg, unsigned irq, bool level)
{
	struct irq_log *l = arg;

	if (l->fail)
		return l->fail;
	if (l->n < 8) {
		l->irq[l->n] = irq;
		l->level[l->n] = level;
	}
	l->n++;
	return 0;
}

/* The UART's line reaches set_irq on each change of level only, in
 * order; set_irq's error is the access's. */
static void test_irq(void)
{
	struct irq_log l = { 0 };
	struct vb_devices d;
	uint32_t v;

	CHECK(vb_devices_init(&d, &(struct vb_devices_config){ .set_irq = log_irq,
							       .irq_arg = &l }) == 0);
	v = 0x02;
	CHECK(pio(&d, 0x3f9, true, &v, 1, 0) == VB_DEV_NONE); /* IER: THRI: up */
	CHECK(pio(&d, 0x3fa, false, &v, 1, 0) == VB_DEV_NONE); /* IIR: down */
	CHECK_EQ_U64(v & 0x0f, 0x02);
	CHECK(pio(&d, 0x3fa, false, &v, 1, 0) == VB_DEV_NONE); /* no change */
	v = 'a';
	CHECK(pio(&d, 0x3f8, true, &v, 1, 0) == VB_DEV_NONE); /* up */
	CHECK(pio(&d, 0x3f8, true, &v, 1, 0) == VB_DEV_NONE); /* still up */
	CHECK_EQ_U64(l.n, 3);
	CHECK(l.irq[0] == 4 && l.level[0] && !l.level[1] && l.level[2]);
	l.fail = -EBADF;
	v = 0;
	CHECK(pio(&d, 0x3f9, true, &v, 1, 0) == -EBADF);
	vb_devices_release(&d);
}

static void test_defaults(void)
{
	struct vb_devices d;
	struct vb_dev_milestones m;

	CHECK(vb_devices_init(&d, NULL) == 0);
	vb_devices_milestones(&d, &m);
	CHECK(!m.first_output && !m.init && !m.reset && !m.has_cpus && !m.has_mem);
	vb_devices_release(&d);
}

#define THREADS 8
#define ROUNDS 20000

struct hammer {
	struct vb_devices *d;
	unsigned id;
};

/* Each thread, as a vCPU: one console byte, one absent port of its own,
 * one shared absent port and one MMIO address per round. */
static void *hammer(void *arg)
{
	struct hammer *h = arg;

	for (unsigned i = 0; i < ROUNDS; i++) {
		uint8_t c = (uint8_t)('a' + h->id), b = 0;
		uint64_t q;

		vb_devices_pio(h->d, 0x3f8, true, &c, 1, i, 1);
		vb_devices_pio(h->d, (uint16_t)(0x1000 + h->id), false, &b, 1, i, 1);
		vb_devices_pio(h->d, 0x80, true, &b, 1, i, 3);
		vb_devices_mmio(h->d, 0xe0000000, false, (uint8_t *)&q, 4, i, 2);
	}
	return NULL;
}

static void test_concurrent(void)
{
	struct vb_devices d;
	struct hammer h[THREADS];
	pthread_t t[THREADS];
	const struct vb_absent_entry *e;
	size_t pos = 0;

	CHECK(vb_devices_init(&d, NULL) == 0);
	for (unsigned i = 0; i < THREADS; i++) {
		h[i] = (struct hammer){ &d, i };
		CHECK(pthread_create(&t[i], NULL, hammer, &h[i]) == 0);
	}
	for (unsigned i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ_U64(vb_uart_tx_bytes(vb_devices_console(&d)), THREADS * ROUNDS);
	CHECK_EQ_U64(vb_absent_entries(vb_devices_absent(&d)), THREADS + 2);
	while ((e = vb_absent_next(vb_devices_absent(&d), &pos))) {
		if (e->addr == 0x80) {
			CHECK_EQ_U64(e->count, THREADS * ROUNDS);
			CHECK_EQ_U64(e->total_ns, 3 * THREADS * ROUNDS);
		} else if (e->kind == VB_ACCESS_MMIO) {
			CHECK_EQ_U64(e->count, THREADS * ROUNDS);
			CHECK_EQ_U64(e->total_ns, 2 * THREADS * ROUNDS);
		} else {
			CHECK_EQ_U64(e->count, ROUNDS);
		}
	}
	vb_devices_release(&d);
}

int main(void)
{
	test_routing();
	test_panic();
	test_irq();
	test_defaults();
	test_concurrent();
	return vb_check_exit();
}
