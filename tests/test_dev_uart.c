/* The 16550A as Linux's serial8250 autoconfig() probes it, and console
 * line assembly: CR LF, the byte bound, the first-output time. */
#include <errno.h>

#include "check.h"
#include "uart.h"

#define B VB_UART_COM1

/* autoconfig()'s decisions, step by step as drivers/tty/serial/8250/
 * 8250_port.c takes them; returns the type it would settle on. */
static const char *autoconfig(struct vb_uart *u)
{
	uint8_t scratch, scratch2, save_mcr, status1, status2;

	/* IER: 0 reads back 0, 0x0f reads back 0x0f in the low nibble. */
	vb_uart_write(u, B + 1, 0, 0);
	scratch = vb_uart_read(u, B + 1) & 0x0f;
	vb_uart_write(u, B + 1, 0x0f, 0);
	scratch2 = vb_uart_read(u, B + 1) & 0x0f;
	vb_uart_write(u, B + 1, 0, 0);
	if (scratch != 0 || scratch2 != 0x0f)
		return "none";
	/* Loopback: LOOP|OUT2|RTS gives DCD|CTS in MSR's high nibble. */
	save_mcr = vb_uart_read(u, B + 4);
	vb_uart_write(u, B + 4, 0x10 | 0x0a, 0);
	status1 = vb_uart_read(u, B + 6) & 0xf0;
	vb_uart_write(u, B + 4, save_mcr, 0);
	if (status1 != 0x90)
		return "none";
	/* EFR off under LCR 0xbf, then FIFO on: IIR bits 7:6. */
	vb_uart_write(u, B + 3, 0xbf, 0);
	vb_uart_write(u, B + 2, 0, 0);
	vb_uart_write(u, B + 3, 0, 0);
	vb_uart_write(u, B + 2, 0x01, 0);
	switch (vb_uart_read(u, B + 2) >> 6) {
	case 0:
		return "8250";
	case 1:
		return "unknown";
	case 2:
		return "16550";
	}
	/* autoconfig_16550a(): no EFR under DLAB (IIR reads non-zero)... */
	vb_uart_write(u, B + 3, 0x80, 0);
	if (vb_uart_read(u, B + 2) == 0)
		return "16650";
	vb_uart_write(u, B + 3, 0xbf, 0);
	if (vb_uart_read(u, B + 2) == 0)
		return "16650v2";
	/* ...no NatSemi bank switch (IIR under LCR 0xe0 does not follow LOOP)... */
	vb_uart_write(u, B + 3, 0, 0);
	status1 = vb_uart_read(u, B + 4);
	vb_uart_write(u, B + 3, 0xe0, 0);
	status2 = vb_uart_read(u, B + 2);
	if (!((status1 ^ status2) & 0x10)) {
		vb_uart_write(u, B + 3, 0, 0);
		vb_uart_write(u, B + 4, status1 ^ 0x10, 0);
		vb_uart_write(u, B + 3, 0xe0, 0);
		status2 = vb_uart_read(u, B + 2);
		vb_uart_write(u, B + 3, 0, 0);
		vb_uart_write(u, B + 4, status1, 0);
		if ((status1 ^ status2) & 0x10)
			return "ns16550a";
	}
	/* ...no 64-byte FIFO bit with or without DLAB (TI16750)... */
	vb_uart_write(u, B + 3, 0, 0);
	vb_uart_write(u, B + 2, 0x21, 0);
	status1 = vb_uart_read(u, B + 2) & 0xe0;
	vb_uart_write(u, B + 2, 0x01, 0);
	vb_uart_write(u, B + 3, 0x80, 0);
	vb_uart_write(u, B + 2, 0x21, 0);
	status2 = vb_uart_read(u, B + 2) & 0xe0;
	vb_uart_write(u, B + 2, 0x01, 0);
	vb_uart_write(u, B + 3, 0, 0);
	if (status1 == 0xc0 && status2 == 0xe0)
		return "16750";
	/* ...and IER bit 6 (XScale's UUE) does not stick. */
	vb_uart_write(u, B + 1, 0x40, 0);
	if (vb_uart_read(u, B + 1) & 0x40)
		return "xscale";
	vb_uart_write(u, B + 1, 0, 0);
	return "16550A";
}

static void test_autoconfig(void)
{
	struct vb_uart u;

	CHECK(vb_uart_init(&u, B, 4096) == 0);
	CHECK(vb_uart_claims(&u, B) && vb_uart_claims(&u, B + 7));
	CHECK(!vb_uart_claims(&u, B - 1) && !vb_uart_claims(&u, B + 8));
	CHECK_EQ_STR(autoconfig(&u), "16550A");
	/* LSR after probing: transmitter empty, no data; startup's safety
	 * check refuses a port whose LSR reads 0xff. */
	CHECK_EQ_U64(vb_uart_read(&u, B + 5), 0x60);
	/* Scratch register and divisor latch keep what was written. */
	vb_uart_write(&u, B + 7, 0x5a, 0);
	CHECK_EQ_U64(vb_uart_read(&u, B + 7), 0x5a);
	vb_uart_write(&u, B + 3, 0x83, 0);
	vb_uart_write(&u, B + 0, 0x0c, 0);
	vb_uart_write(&u, B + 1, 0x00, 0);
	CHECK_EQ_U64(vb_uart_read(&u, B + 0), 0x0c);
	vb_uart_write(&u, B + 3, 0x03, 0);
	CHECK_EQ_U64(vb_uart_read(&u, B + 3), 0x03);
	CHECK_EQ_U64(vb_uart_read(&u, B + 1), 0); /* IER again, not DLM */
	/* Divisor writes are not output. */
	CHECK_EQ_U64(vb_uart_tx_bytes(&u), 0);
	CHECK_EQ_U64(vb_uart_line_count(&u), 0);
	/* Outside loopback the line reads connected. */
	CHECK_EQ_U64(vb_uart_read(&u, B + 6), 0xb0);
	/* FIFO off: IIR without bits 7:6, and no interrupt pending. */
	vb_uart_write(&u, B + 2, 0, 0);
	CHECK_EQ_U64(vb_uart_read(&u, B + 2), 0x01);
	vb_uart_release(&u);
}

static void test_loopback_and_input(void)
{
	struct vb_uart u;
	uint8_t in[20];

	CHECK(vb_uart_init(&u, B, 64) == 0);
	vb_uart_write(&u, B + 4, 0x10, 0);
	vb_uart_write(&u, B, 'x', 1);
	CHECK_EQ_U64(vb_uart_read(&u, B + 5), 0x61);
	CHECK_EQ_U64(vb_uart_read(&u, B), 'x');
	CHECK_EQ_U64(vb_uart_read(&u, B + 5), 0x60);
	CHECK_EQ_U64(vb_uart_tx_bytes(&u), 0); /* looped, not sent */
	CHECK(vb_uart_first_output(&u, &(uint64_t){ 0 }) == -ENODATA);
	vb_uart_write(&u, B + 4, 0x03, 0);
	memset(in, 'a', sizeof(in));
	CHECK_EQ_U64(vb_uart_input(&u, in, sizeof(in)), VB_UART_RX_MAX);
	vb_uart_write(&u, B + 2, 0x03, 0); /* FCR: clear RX */
	CHECK_EQ_U64(vb_uart_read(&u, B + 5), 0x60);
	vb_uart_release(&u);
}

static void put(struct vb_uart *u, const char *s, uint64_t ts)
{
	for (; *s; s++, ts++)
		vb_uart_write(u, B, (uint8_t)*s, ts);
}

static void test_lines(void)
{
	struct vb_uart u;
	uint64_t first = 0;

	CHECK(vb_uart_init(&u, B, 4096) == 0);
	put(&u, "Linux version 6.1\r\n\r\nRun /init as init process\r\npart", 100);
	CHECK(vb_uart_first_output(&u, &first) == 0);
	CHECK_EQ_U64(first, 100);
	CHECK_EQ_U64(vb_uart_line_count(&u), 3);
	CHECK_EQ_STR(vb_uart_line(&u, 0)->text, "Linux version 6.1");
	CHECK_EQ_U64(vb_uart_line(&u, 0)->ts_ns, 100);
	CHECK_EQ_STR(vb_uart_line(&u, 1)->text, "");
	CHECK_EQ_U64(vb_uart_line(&u, 1)->ts_ns, 120); /* its own LF */
	CHECK_EQ_STR(vb_uart_line(&u, 2)->text, "Run /init as init process");
	CHECK_EQ_U64(vb_uart_line(&u, 2)->ts_ns, 121);
	CHECK(vb_uart_line(&u, 3) == NULL);
	vb_uart_flush(&u);
	CHECK_EQ_U64(vb_uart_line_count(&u), 4);
	CHECK_EQ_STR(vb_uart_line(&u, 3)->text, "part");
	vb_uart_flush(&u);
	CHECK_EQ_U64(vb_uart_line_count(&u), 4);
	CHECK_EQ_U64(vb_uart_tx_bytes(&u), 52);
	CHECK_EQ_U64(vb_uart_truncated(&u), 0);
	vb_uart_release(&u);
	vb_uart_release(NULL);
}

/* 10 bytes: "abc" NUL, "defg" NUL, then "hij" and "klm" find no room and
 * are dropped with their LFs; an empty line still fits in the last byte,
 * the next one does not. Truncation counts every byte not kept but CRs. */
static void test_bound(void)
{
	struct vb_uart u;

	CHECK(vb_uart_init(&u, B, 0) == -EINVAL);
	CHECK(vb_uart_init(&u, B, 10) == 0);
	put(&u, "abc\ndefg\r\nhij\nklm\n\n\n", 0);
	vb_uart_flush(&u);
	CHECK_EQ_U64(vb_uart_line_count(&u), 3);
	CHECK_EQ_STR(vb_uart_line(&u, 0)->text, "abc");
	CHECK_EQ_STR(vb_uart_line(&u, 1)->text, "defg");
	CHECK_EQ_STR(vb_uart_line(&u, 2)->text, "");
	CHECK_EQ_U64(vb_uart_truncated(&u), 4 + 4 + 1);
	CHECK_EQ_U64(vb_uart_tx_bytes(&u), 20);
	/* A line cut part-way keeps its head. */
	vb_uart_release(&u);
	CHECK(vb_uart_init(&u, B, 4) == 0);
	put(&u, "abcdef\n", 7);
	CHECK_EQ_U64(vb_uart_line_count(&u), 1);
	CHECK_EQ_STR(vb_uart_line(&u, 0)->text, "abc");
	CHECK_EQ_U64(vb_uart_line(&u, 0)->ts_ns, 7);
	CHECK_EQ_U64(vb_uart_truncated(&u), 3);
	vb_uart_release(&u);
}

/* Linux's panic line, after its timestamp, once complete; not a line
 * that only mentions panic=. */
static void test_panic(void)
{
	struct vb_uart u;

	CHECK(vb_uart_init(&u, B, 4096) == 0);
	put(&u, "Kernel command line: console=ttyS0 panic=-1\n", 1);
	CHECK(!vb_uart_panicked(&u));
	put(&u, "[    0.912345] Kernel panic - not syncing: No working init found.", 100);
	CHECK(!vb_uart_panicked(&u)); /* not before its LF */
	put(&u, "\r\n", 200);
	CHECK(vb_uart_panicked(&u));
	vb_uart_release(&u);
}

/* The interrupt as the serial8250 driver uses it: THR empty raised when
 * enabled and after each byte sent, cleared by the IIR read that reports
 * it; received data over it while any is queued; IER 0 masks both. */
static void test_irq(void)
{
	struct vb_uart u;

	CHECK(vb_uart_init(&u, B, 4096) == 0);
	CHECK(!vb_uart_irq(&u));
	CHECK_EQ_U64(vb_uart_read(&u, B + 2), 0x01);
	vb_uart_write(&u, B + 1, 0x02, 0); /* IER: THRI */
	CHECK(vb_uart_irq(&u));
	CHECK_EQ_U64(vb_uart_read(&u, B + 2), 0x02);
	CHECK(!vb_uart_irq(&u));
	CHECK_EQ_U64(vb_uart_read(&u, B + 2), 0x01);
	vb_uart_write(&u, B, 'a', 1);
	CHECK(vb_uart_irq(&u));
	vb_uart_write(&u, B + 1, 0x00, 0);
	CHECK(!vb_uart_irq(&u));
	vb_uart_write(&u, B + 1, 0x02, 0); /* enabled again: raised again */
	CHECK_EQ_U64(vb_uart_read(&u, B + 2), 0x02);
	vb_uart_write(&u, B + 1, 0x03, 0); /* + RDI */
	CHECK(vb_uart_input(&u, (const uint8_t *)"x", 1) == 1);
	CHECK(vb_uart_irq(&u));
	CHECK_EQ_U64(vb_uart_read(&u, B + 2), 0x04);
	CHECK_EQ_U64(vb_uart_read(&u, B), 'x');
	CHECK(!vb_uart_irq(&u));
	vb_uart_write(&u, B + 3, 0x80, 0); /* DLAB: a divisor write sends nothing */
	vb_uart_write(&u, B, 1, 0);
	CHECK(!vb_uart_irq(&u));
	vb_uart_release(&u);
}

int main(void)
{
	test_autoconfig();
	test_loopback_and_input();
	test_lines();
	test_bound();
	test_panic();
	test_irq();
	return vb_check_exit();
}
