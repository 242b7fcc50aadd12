/* The i8042 keyboard controller at ports 0x60 (data) and 0x64 (status,
 * command), as a controller with nothing plugged in: its commands answer
 * so that Linux's i8042 probe finds a working controller without a
 * keyboard or mouse and moves on at once (no read waits its 500 ms
 * timeout), and the reset line (0xfe to 0x64, Linux's "reboot=k", the
 * default on x86) is the guest's reboot.
 *
 * Answers: 0x20 reads the control byte, 0x60 writes it (next data byte),
 * 0xa7/0xa8 and 0xad/0xae clear/set its port-disable bits, 0xaa (self
 * test) gives 0x55, 0xab (keyboard port test) 0x00, 0xa9 (aux port test)
 * 0x02 "clock line stuck" so the driver gives the aux port up, 0xd3 (aux
 * loop) echoes nothing useful (0x00, not the byte written), 0xd1 writes
 * the output port (bit 0 clear resets), 0xf0-0xff pulse the output lines
 * (bit 0 clear, as in 0xfe, resets). A byte written to the keyboard or
 * mouse (0x60 with no command pending, 0xd2-0xd4) is dropped: no device
 * answers (atkbd's probe of the keyboard then times out on its own, in
 * kseriod's work queue, not on the boot's path). Status: SYS always, IBF never (so Linux's kb_wait() before its
 * 0xfe never spins), OBF while a reply waits.
 *
 * Pure: no locking (struct vb_devices serialises). */
#ifndef VB_I8042_H
#define VB_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "dev_event.h"

#define VB_I8042_DATA 0x60
#define VB_I8042_CMD 0x64

/* Members are private to i8042.c; zero is not a valid state: init. */
struct vb_i8042 {
	uint8_t ctr, out, pending;
	bool has_out;
	bool reset;
	uint64_t reset_ns;
	uint64_t resets;
};

void vb_i8042_init(struct vb_i8042 *k);
bool vb_i8042_claims(uint16_t port);
uint8_t vb_i8042_read(struct vb_i8042 *k, uint16_t port);
/* Returns VB_DEV_RESET for a reset request, else VB_DEV_NONE. */
enum vb_dev_event vb_i8042_write(struct vb_i8042 *k, uint16_t port, uint8_t val,
				 uint64_t ts_ns);
/* Host time of the first reset request: 0, or -ENODATA if none. */
int vb_i8042_reset_time(const struct vb_i8042 *k, uint64_t *ts_ns);

#endif
