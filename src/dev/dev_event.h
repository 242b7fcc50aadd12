/* What a guest access to a device did, for the vCPU's exit loop: most
 * accesses do nothing it must act on; a reset request, the init's
 * boot-timer write or a panic ends the guest's boot. */
#ifndef VB_DEV_EVENT_H
#define VB_DEV_EVENT_H

enum vb_dev_event {
	VB_DEV_NONE,        /* answered; run on */
	VB_DEV_RESET,       /* the guest asked for a reset (i8042) */
	VB_DEV_INIT_REACHED, /* the init wrote the boot-timer magic */
	VB_DEV_PANIC         /* the console printed Linux's panic line */
};

#endif
