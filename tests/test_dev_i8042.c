/* The i8042 as Linux's probe (drivers/input/serio/i8042.c) and reboot path
 * (arch/x86/kernel/reboot.c) drive it, and the boot timer's protocol. */
#include <errno.h>

#include "boot_timer.h"
#include "check.h"
#include "i8042.h"

/* i8042_command(): the command, its parameter bytes, then each reply
 * once OBF says it is there; -1 where Linux would wait out its timeout. */
static int command(struct vb_i8042 *k, uint8_t cmd, int param, int *reply)
{
	CHECK((vb_i8042_read(k, VB_I8042_CMD) & 0x02) == 0); /* IBF never */
	CHECK(vb_i8042_write(k, VB_I8042_CMD, cmd, 0) == VB_DEV_NONE);
	if (param >= 0)
		CHECK(vb_i8042_write(k, VB_I8042_DATA, (uint8_t)param, 0) == VB_DEV_NONE);
	if (!reply)
		return 0;
	if (!(vb_i8042_read(k, VB_I8042_CMD) & 0x01))
		return -1;
	*reply = vb_i8042_read(k, VB_I8042_DATA);
	CHECK((vb_i8042_read(k, VB_I8042_CMD) & 0x01) == 0);
	return 0;
}

static void test_probe(void)
{
	struct vb_i8042 k;
	int ctr = -1, r = -1;

	vb_i8042_init(&k);
	CHECK(vb_i8042_claims(0x60) && vb_i8042_claims(0x64));
	CHECK(!vb_i8042_claims(0x61) && !vb_i8042_claims(0x62));
	/* i8042_flush(): nothing to drain. */
	CHECK_EQ_U64(vb_i8042_read(&k, VB_I8042_CMD) & 0x01, 0);
	/* i8042_controller_init(): two equal CTR reads, then a CTR write. */
	CHECK(command(&k, 0x20, -1, &ctr) == 0);
	CHECK(command(&k, 0x20, -1, &r) == 0);
	CHECK_EQ_U64(ctr, r);
	CHECK_EQ_U64(ctr, 0x45);
	CHECK(command(&k, 0x60, 0x47, NULL) == 0);
	CHECK(command(&k, 0x20, -1, &ctr) == 0);
	CHECK_EQ_U64(ctr, 0x47);
	/* i8042_controller_selftest(). */
	CHECK(command(&k, 0xaa, -1, &r) == 0);
	CHECK_EQ_U64(r, 0x55);
	/* i8042_check_aux(): the loop does not echo, the port test fails:
	 * no aux port, and no timeout on the way. */
	CHECK(command(&k, 0xd3, 0x5a, &r) == 0);
	CHECK(r != 0x5a);
	CHECK(command(&k, 0xa9, -1, &r) == 0);
	CHECK(r != 0 && r != 0xfa && r != 0xff);
	/* i8042_toggle_aux()/kbd: the disable bits follow, read back. */
	CHECK(command(&k, 0xa7, -1, NULL) == 0);
	CHECK(command(&k, 0xad, -1, NULL) == 0);
	CHECK(command(&k, 0x20, -1, &ctr) == 0);
	CHECK_EQ_U64(ctr & 0x30, 0x30);
	CHECK(command(&k, 0xa8, -1, NULL) == 0);
	CHECK(command(&k, 0xae, -1, NULL) == 0);
	CHECK(command(&k, 0x20, -1, &ctr) == 0);
	CHECK_EQ_U64(ctr & 0x30, 0);
	/* A byte to the keyboard: nobody answers. */
	CHECK(vb_i8042_write(&k, VB_I8042_DATA, 0xf2, 0) == VB_DEV_NONE);
	CHECK_EQ_U64(vb_i8042_read(&k, VB_I8042_CMD) & 0x01, 0);
	CHECK(vb_i8042_reset_time(&k, &(uint64_t){ 0 }) == -ENODATA);
}

static void test_reset(void)
{
	struct vb_i8042 k;
	uint64_t ts = 0;

	vb_i8042_init(&k);
	/* native_machine_emergency_restart(), BOOT_KBD: kb_wait() then 0xfe,
	 * up to ten times; the first is the milestone. */
	CHECK((vb_i8042_read(&k, VB_I8042_CMD) & 0x02) == 0);
	CHECK(vb_i8042_write(&k, VB_I8042_CMD, 0xfe, 1000) == VB_DEV_RESET);
	CHECK(vb_i8042_write(&k, VB_I8042_CMD, 0xfe, 2000) == VB_DEV_RESET);
	CHECK(vb_i8042_reset_time(&k, &ts) == 0);
	CHECK_EQ_U64(ts, 1000);
	CHECK_EQ_U64(k.resets, 2);
	/* Pulses that leave the reset line alone do not reset; the output
	 * port written with bit 0 clear does. */
	vb_i8042_init(&k);
	CHECK(vb_i8042_write(&k, VB_I8042_CMD, 0xff, 0) == VB_DEV_NONE);
	CHECK(vb_i8042_write(&k, VB_I8042_CMD, 0xd1, 0) == VB_DEV_NONE);
	CHECK(vb_i8042_write(&k, VB_I8042_DATA, 0xdf, 0) == VB_DEV_NONE);
	CHECK(vb_i8042_write(&k, VB_I8042_CMD, 0xd1, 0) == VB_DEV_NONE);
	CHECK(vb_i8042_write(&k, VB_I8042_DATA, 0xde, 5) == VB_DEV_RESET);
	CHECK(vb_i8042_reset_time(&k, &ts) == 0);
	CHECK_EQ_U64(ts, 5);
}

static void test_boot_timer(void)
{
	struct vb_boot_timer t = { 0 };

	CHECK(vb_boot_timer_claims(0xf4) && vb_boot_timer_claims(0xff));
	CHECK(!vb_boot_timer_claims(0xf3) && !vb_boot_timer_claims(0x80));
	CHECK(vb_boot_timer_write(&t, 0xf8, 4, 4, 10) == VB_DEV_NONE);
	CHECK(vb_boot_timer_write(&t, 0xfc, 128 * 1024 - 3000, 4, 11) == VB_DEV_NONE);
	CHECK(!t.init);
	CHECK(vb_boot_timer_write(&t, 0xf4, 7, 1, 12) == VB_DEV_NONE);
	CHECK(!t.init);
	CHECK(vb_boot_timer_write(&t, 0xf4, 123, 1, 13) == VB_DEV_INIT_REACHED);
	CHECK(vb_boot_timer_write(&t, 0xf4, 0x17b, 4, 14) == VB_DEV_INIT_REACHED);
	CHECK(t.init && t.has_cpus && t.has_mem);
	CHECK_EQ_U64(t.init_ns, 13);
	CHECK_EQ_U64(t.cpus, 4);
	CHECK_EQ_U64(t.mem_kib, 128 * 1024 - 3000);
	/* Half a report is no report. */
	CHECK(vb_boot_timer_write(&t, 0xf8, 9, 2, 15) == VB_DEV_NONE);
	CHECK_EQ_U64(t.cpus, 4);
	CHECK_EQ_U64(t.other_writes, 2);
}

int main(void)
{
	test_probe();
	test_reset();
	test_boot_timer();
	return vb_check_exit();
}
