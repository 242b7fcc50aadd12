/* The init's boot-timer write and its report of what it saw. */
#include "boot_timer.h"

bool vb_boot_timer_claims(uint16_t port)
{
	return port >= VB_BOOT_TIMER_PORT && port <= 0xff;
}

enum vb_dev_event vb_boot_timer_write(struct vb_boot_timer *t, uint16_t port, uint32_t val,
				      unsigned size, uint64_t ts_ns)
{
	switch (port) {
	case VB_BOOT_TIMER_PORT:
		/* Low byte only: outw/outl of the magic count too, as
		 * isa-debug-exit takes any width. */
		if ((val & 0xff) != VB_BOOT_TIMER_MAGIC) {
			t->other_writes++;
			return VB_DEV_NONE;
		}
		if (!t->init) {
			t->init = true;
			t->init_ns = ts_ns;
		}
		return VB_DEV_INIT_REACHED;
	case VB_BOOT_TIMER_CPUS:
	case VB_BOOT_TIMER_MEM:
		/* A report is a whole 32-bit write; a part is not one. */
		if (size != 4) {
			t->other_writes++;
			return VB_DEV_NONE;
		}
		if (port == VB_BOOT_TIMER_CPUS) {
			t->cpus = val;
			t->has_cpus = true;
		} else {
			t->mem_kib = val;
			t->has_mem = true;
		}
		return VB_DEV_NONE;
	default:
		t->other_writes++;
		return VB_DEV_NONE;
	}
}
