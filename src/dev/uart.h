/* A 16550A UART at one base port, enough to be Linux's console: the
 * serial8250 driver's autoconfig sees a 16550A (IER keeps its low four
 * bits, MCR loopback drives MSR, FCR's FIFO enable shows in IIR bits 7:6,
 * no EFR, no 64-byte FIFO, no IER bit 6), LSR always says the transmitter
 * is empty. Transmitted bytes become console lines on the host clock.
 *
 * No interrupt line: IIR always says "no interrupt pending". printk's
 * console path (serial8250_console_write) polls LSR and needs none; at
 * port start-up the driver sees THRE with no interrupt and sets its
 * UART_BUG_TXEN workaround, so tty writes are kicked from start_tx.
 * The guest's milestones come from the console and the boot timer, not
 * from tty output, so nothing here waits on an IRQ.
 *
 * Pure: no locking (struct vb_devices serialises), no I/O. */
#ifndef VB_UART_H
#define VB_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VB_UART_COM1 0x3f8
#define VB_UART_PORTS 8
#define VB_UART_RX_MAX 16

/* One complete console line: @ts_ns is the host time of its first byte
 * (when the guest began to print it), @text has no CR or LF and is owned
 * by the UART. */
struct vb_console_line {
	uint64_t ts_ns;
	char *text;
};

/* Members are private to uart.c. */
struct vb_uart {
	uint16_t base;
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool fifo;
	uint8_t rx[VB_UART_RX_MAX];
	unsigned rx_len;
	/* Text: every stored line's bytes and its NUL, at most @limit. */
	char *text;
	size_t limit, used, line_start;
	bool in_line;
	uint64_t line_ts;
	struct vb_console_line *lines;
	size_t nlines, cap_lines;
	uint64_t truncated, tx_bytes, first_ts;
	bool any_output;
	bool panicked; /* a kept line said "Kernel panic - not syncing" */
	/* The THR-empty interrupt is pending: raised when the THR empties
	 * (at once: a byte is sent as it is written) or its enable is set,
	 * cleared by the IIR read that reports it. */
	bool thre_pending;
};

/* Set @u up at @base (VB_UART_COM1) keeping at most @limit bytes of text
 * (each line's bytes plus one). 0, -EINVAL (limit 0), -ENOMEM. */
int vb_uart_init(struct vb_uart *u, uint16_t base, size_t limit);
/* Free what @u holds, lines included. NULL does nothing. */
void vb_uart_release(struct vb_uart *u);

/* Whether @port is one of @u's eight registers. */
bool vb_uart_claims(const struct vb_uart *u, uint16_t port);
/* A guest read of @port's register (one byte: the 8250 is byte-wide). */
uint8_t vb_uart_read(struct vb_uart *u, uint16_t port);
/* A guest write of @val to @port's register at host time @ts_ns. */
void vb_uart_write(struct vb_uart *u, uint16_t port, uint8_t val, uint64_t ts_ns);

/* Queue @len bytes of input for the guest to read (DR in LSR); returns how
 * many fitted in the receive FIFO. */
size_t vb_uart_input(struct vb_uart *u, const uint8_t *data, size_t len);

/* End the line in progress, if any, as if a newline followed: the last
 * words before a hang or a reset are kept. */
void vb_uart_flush(struct vb_uart *u);

/* The complete lines so far, oldest first: @i < vb_uart_line_count(). */
size_t vb_uart_line_count(const struct vb_uart *u);
const struct vb_console_line *vb_uart_line(const struct vb_uart *u, size_t i);
/* The UART's interrupt output (IRQ 4 for COM1): an enabled source is
 * pending, received data (IER bit 0) or THR empty (IER bit 1). The
 * serial8250 driver sends the console's user-space output, after the
 * first FIFO load, only on this interrupt. */
bool vb_uart_irq(const struct vb_uart *u);
#define VB_UART_COM1_IRQ 4u

/* Whether a complete line so far is Linux's panic line ("Kernel panic -
 * not syncing"): the guest will not reach its init. */
bool vb_uart_panicked(const struct vb_uart *u);
/* Bytes the guest sent that were not kept (beyond the limit). */
uint64_t vb_uart_truncated(const struct vb_uart *u);
/* Every byte the guest transmitted, CR and LF included. */
uint64_t vb_uart_tx_bytes(const struct vb_uart *u);
/* Host time of the first byte ever transmitted: 0, or -ENODATA if none. */
int vb_uart_first_output(const struct vb_uart *u, uint64_t *ts_ns);

#endif
