/* The console: a 16550 UART at COM1, found and set up as Linux's serial
 * driver does (the scratch register must hold what is written to it),
 * then written byte by byte, each after LSR says the holding register
 * is empty. Absent, every write is dropped. */
#include "proto.h"

#define COM1 0x3f8
#define THR 0
#define IER 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define SCR 7
#define DLL 0
#define DLM 1
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define LSR_THRE 0x20
#define THRE_SPINS 100000u

static int present;

/* Two patterns, as an 8250 probe does, so that all-ones absent hardware
 * (or a latch holding the last byte) fails. */
static int scratch_ok(void)
{
	proto_outb(COM1 + SCR, 0xa5);
	if (proto_inb(COM1 + SCR) != 0xa5)
		return 0;
	proto_outb(COM1 + SCR, 0x5a);
	return proto_inb(COM1 + SCR) == 0x5a;
}

int proto_console_probe(void)
{
	if (!scratch_ok())
		return -1;
	proto_outb(COM1 + IER, 0);
	proto_outb(COM1 + LCR, LCR_DLAB); /* 115200 baud: divisor 1 */
	proto_outb(COM1 + DLL, 1);
	proto_outb(COM1 + DLM, 0);
	proto_outb(COM1 + LCR, LCR_8N1);
	proto_outb(COM1 + FCR, 0x07);     /* FIFOs on and cleared */
	proto_outb(COM1 + MCR, 0x03);     /* DTR, RTS */
	present = 1;
	return 0;
}

static void putc_raw(char ch)
{
	for (unsigned i = 0; i < THRE_SPINS; i++) {
		if (proto_inb(COM1 + LSR) & LSR_THRE)
			break;
		proto_pause();
	}
	proto_outb(COM1 + THR, (uint8_t)ch);
}

void proto_puts(const char *s)
{
	if (!present)
		return;
	for (; *s; s++) {
		if (*s == '\n')
			putc_raw('\r');
		putc_raw(*s);
	}
}

void proto_putu(uint64_t v)
{
	char buf[24];
	int i = (int)sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	proto_puts(buf + i);
}

void proto_putx(uint64_t v)
{
	char buf[24];
	int i = (int)sizeof(buf) - 1;

	buf[i] = '\0';
	do {
		buf[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	proto_puts(buf + i);
}
