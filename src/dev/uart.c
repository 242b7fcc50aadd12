/* The 16550A's registers as the serial8250 driver probes and drives them,
 * and the transmitted bytes assembled into console lines. */
#include "uart.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum {
	REG_DATA, /* RBR/THR, DLL with DLAB */
	REG_IER,  /* DLM with DLAB */
	REG_IIR,  /* FCR on write */
	REG_LCR,
	REG_MCR,
	REG_LSR,
	REG_MSR,
	REG_SCR,
};

#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
/* Outside loopback the line is "connected": CTS, DSR and DCD, so a
 * console with flow control never waits. */
#define MSR_CONNECTED 0xb0

int vb_uart_init(struct vb_uart *u, uint16_t base, size_t limit)
{
	if (limit == 0)
		return -EINVAL;
	*u = (struct vb_uart){ .base = base, .limit = limit };
	u->text = malloc(limit);
	if (!u->text)
		return -ENOMEM;
	/* 115200 baud after reset, as firmware leaves a console port. */
	u->dll = 1;
	return 0;
}

void vb_uart_release(struct vb_uart *u)
{
	if (!u)
		return;
	free(u->text);
	free(u->lines);
	*u = (struct vb_uart){ 0 };
}

bool vb_uart_claims(const struct vb_uart *u, uint16_t port)
{
	return port >= u->base && port - u->base < VB_UART_PORTS;
}

/* MSR in loopback, wired as the 16550 wires it: RTS to CTS, DTR to DSR,
 * OUT1 to RI, OUT2 to DCD. The driver writes LOOP|OUT2|RTS and wants
 * DCD|CTS (0x90) back before it believes a UART is there. */
static uint8_t loop_msr(uint8_t mcr)
{
	return (uint8_t)(((mcr & 0x02) << 3) | ((mcr & 0x01) << 5) | ((mcr & 0x04) << 4) |
			 ((mcr & 0x08) << 4));
}

static uint8_t rx_pop(struct vb_uart *u)
{
	uint8_t c;

	if (u->rx_len == 0)
		return 0;
	c = u->rx[0];
	memmove(u->rx, u->rx + 1, --u->rx_len);
	return c;
}

/* The highest-priority pending source (received data over THR empty);
 * reading it as THR empty clears that one. */
static uint8_t iir_read(struct vb_uart *u)
{
	if ((u->ier & IER_RDI) && u->rx_len)
		return IIR_RDI;
	if ((u->ier & IER_THRI) && u->thre_pending) {
		u->thre_pending = false;
		return IIR_THRI;
	}
	return IIR_NO_INT;
}

bool vb_uart_irq(const struct vb_uart *u)
{
	return ((u->ier & IER_RDI) && u->rx_len) || ((u->ier & IER_THRI) && u->thre_pending);
}

uint8_t vb_uart_read(struct vb_uart *u, uint16_t port)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (port - u->base) {
	case REG_DATA:
		return dlab ? u->dll : rx_pop(u);
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR:
		/* No EFR behind LCR 0xbf, no 64-byte FIFO bit: a plain 16550A. */
		return iir_read(u) | (u->fifo ? IIR_FIFO : 0);
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		return LSR_THRE | LSR_TEMT | (u->rx_len ? LSR_DR : 0);
	case REG_MSR:
		return u->mcr & MCR_LOOP ? loop_msr(u->mcr) : MSR_CONNECTED;
	default:
		return u->scr;
	}
}

static void end_line(struct vb_uart *u, uint64_t ts_ns)
{
	size_t len = u->used - u->line_start;
	struct vb_console_line *grown;

	if (!u->in_line) {
		u->line_ts = ts_ns;
		u->line_start = u->used;
	}
	/* A line with none of its bytes kept, or an empty one with no room
	 * for its NUL: its LF is lost too. */
	if ((u->in_line && len == 0) || u->used + 1 > u->limit) {
		u->in_line = false;
		u->truncated++;
		return;
	}
	u->in_line = false;
	if (u->nlines == u->cap_lines) {
		size_t cap = u->cap_lines ? 2 * u->cap_lines : 64;

		grown = realloc(u->lines, cap * sizeof(*grown));
		if (!grown) {
			u->truncated += len;
			u->used = u->line_start;
			return;
		}
		u->lines = grown;
		u->cap_lines = cap;
	}
	u->text[u->used++] = '\0';
	u->lines[u->nlines++] = (struct vb_console_line){ u->line_ts, u->text + u->line_start };
	/* Linux's panic() prints this first, after its timestamp prefix. */
	if (strstr(u->text + u->line_start, "Kernel panic - not syncing"))
		u->panicked = true;
}

static void tx_byte(struct vb_uart *u, uint8_t c, uint64_t ts_ns)
{
	if (!u->any_output) {
		u->any_output = true;
		u->first_ts = ts_ns;
	}
	u->tx_bytes++;
	if (c == '\r') /* Linux's console sends CR LF */
		return;
	if (c == '\n') {
		end_line(u, ts_ns);
		return;
	}
	if (!u->in_line) {
		u->in_line = true;
		u->line_ts = ts_ns;
		u->line_start = u->used;
	}
	/* Keep one byte for the line's NUL. */
	if (u->used + 2 > u->limit) {
		u->truncated++;
		return;
	}
	u->text[u->used++] = (char)c;
}

void vb_uart_write(struct vb_uart *u, uint16_t port, uint8_t val, uint64_t ts_ns)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (port - u->base) {
	case REG_DATA:
		if (dlab)
			u->dll = val;
		else if (u->mcr & MCR_LOOP)
			vb_uart_input(u, &val, 1);
		else
			tx_byte(u, val, ts_ns);
		u->thre_pending = !dlab || u->thre_pending; /* sent: the THR is empty again */
		break;
	case REG_IER:
		if (dlab) {
			u->dlm = val;
			break;
		}
		/* Enabling THR empty with the THR empty raises it, as on a
		 * 16550A (the driver's THRE test at startup expects this). */
		if (!(u->ier & IER_THRI) && (val & IER_THRI))
			u->thre_pending = true;
		u->ier = val & 0x0f; /* bits 7:4 read as zero on a 16550A */
		break;
	case REG_IIR:
		u->fifo = val & FCR_ENABLE;
		if (val & FCR_CLEAR_RX)
			u->rx_len = 0;
		break;
	case REG_LCR:
		u->lcr = val;
		break;
	case REG_MCR:
		u->mcr = val & 0x1f;
		break;
	case REG_SCR:
		u->scr = val;
		break;
	default: /* LSR and MSR are read-only */
		break;
	}
}

size_t vb_uart_input(struct vb_uart *u, const uint8_t *data, size_t len)
{
	size_t n = VB_UART_RX_MAX - u->rx_len;

	if (n > len)
		n = len;
	memcpy(u->rx + u->rx_len, data, n);
	u->rx_len += (unsigned)n;
	return n;
}

void vb_uart_flush(struct vb_uart *u)
{
	if (u->in_line)
		end_line(u, u->line_ts);
}

size_t vb_uart_line_count(const struct vb_uart *u)
{
	return u->nlines;
}

const struct vb_console_line *vb_uart_line(const struct vb_uart *u, size_t i)
{
	return i < u->nlines ? &u->lines[i] : NULL;
}

uint64_t vb_uart_truncated(const struct vb_uart *u)
{
	return u->truncated;
}

uint64_t vb_uart_tx_bytes(const struct vb_uart *u)
{
	return u->tx_bytes;
}

int vb_uart_first_output(const struct vb_uart *u, uint64_t *ts_ns)
{
	if (!u->any_output)
		return -ENODATA;
	*ts_ns = u->first_ts;
	return 0;
}

bool vb_uart_panicked(const struct vb_uart *u)
{
	return u->panicked;
}
