/* The i8042 commands Linux's probe and reboot paths issue, answered by a
 * controller with no keyboard or mouse attached. */
#include "i8042.h"

#include <errno.h>

#define STR_OBF 0x01
#define STR_SYS 0x04
#define CTR_KBDDIS 0x10
#define CTR_AUXDIS 0x20
/* Keyboard interrupt, system flag, translation: as firmware leaves it. */
#define CTR_RESET 0x45

enum {
	CMD_READ_CTR = 0x20,
	CMD_WRITE_CTR = 0x60,
	CMD_AUX_DISABLE = 0xa7,
	CMD_AUX_ENABLE = 0xa8,
	CMD_AUX_TEST = 0xa9,
	CMD_SELF_TEST = 0xaa,
	CMD_KBD_TEST = 0xab,
	CMD_KBD_DISABLE = 0xad,
	CMD_KBD_ENABLE = 0xae,
	CMD_WRITE_OUTPUT = 0xd1,
	CMD_KBD_LOOP = 0xd2,
	CMD_AUX_LOOP = 0xd3,
	CMD_AUX_SEND = 0xd4,
};

void vb_i8042_init(struct vb_i8042 *k)
{
	*k = (struct vb_i8042){ .ctr = CTR_RESET };
}

bool vb_i8042_claims(uint16_t port)
{
	return port == VB_I8042_DATA || port == VB_I8042_CMD;
}

static void reply(struct vb_i8042 *k, uint8_t val)
{
	k->out = val;
	k->has_out = true;
}

uint8_t vb_i8042_read(struct vb_i8042 *k, uint16_t port)
{
	if (port == VB_I8042_CMD)
		return STR_SYS | (k->has_out ? STR_OBF : 0);
	k->has_out = false;
	return k->out;
}

static enum vb_dev_event reset(struct vb_i8042 *k, uint64_t ts_ns)
{
	if (!k->reset) {
		k->reset = true;
		k->reset_ns = ts_ns;
	}
	k->resets++;
	return VB_DEV_RESET;
}

static enum vb_dev_event command(struct vb_i8042 *k, uint8_t cmd, uint64_t ts_ns)
{
	k->pending = 0;
	switch (cmd) {
	case CMD_READ_CTR:
		reply(k, k->ctr);
		break;
	case CMD_WRITE_CTR:
	case CMD_WRITE_OUTPUT:
	case CMD_KBD_LOOP:
	case CMD_AUX_LOOP:
	case CMD_AUX_SEND:
		k->pending = cmd;
		break;
	case CMD_AUX_DISABLE:
		k->ctr |= CTR_AUXDIS;
		break;
	case CMD_AUX_ENABLE:
		k->ctr &= (uint8_t)~CTR_AUXDIS;
		break;
	case CMD_AUX_TEST:
		reply(k, 0x02);
		break;
	case CMD_SELF_TEST:
		reply(k, 0x55);
		break;
	case CMD_KBD_TEST:
		reply(k, 0x00);
		break;
	case CMD_KBD_DISABLE:
		k->ctr |= CTR_KBDDIS;
		break;
	case CMD_KBD_ENABLE:
		k->ctr &= (uint8_t)~CTR_KBDDIS;
		break;
	default:
		/* Pulse output lines: those whose bit is clear; line 0 is reset. */
		if (cmd >= 0xf0 && !(cmd & 1))
			return reset(k, ts_ns);
		break;
	}
	return VB_DEV_NONE;
}

static enum vb_dev_event data(struct vb_i8042 *k, uint8_t val, uint64_t ts_ns)
{
	uint8_t cmd = k->pending;

	k->pending = 0;
	switch (cmd) {
	case CMD_WRITE_CTR:
		k->ctr = val;
		break;
	case CMD_WRITE_OUTPUT:
		if (!(val & 1))
			return reset(k, ts_ns);
		break;
	case CMD_AUX_LOOP:
		reply(k, 0x00); /* not the byte sent: no aux port */
		break;
	default: /* to a keyboard or mouse that is not there */
		break;
	}
	return VB_DEV_NONE;
}

enum vb_dev_event vb_i8042_write(struct vb_i8042 *k, uint16_t port, uint8_t val,
				 uint64_t ts_ns)
{
	return port == VB_I8042_CMD ? command(k, val, ts_ns) : data(k, val, ts_ns);
}

int vb_i8042_reset_time(const struct vb_i8042 *k, uint64_t *ts_ns)
{
	if (!k->reset)
		return -ENODATA;
	*ts_ns = k->reset_ns;
	return 0;
}
