/* Trace attribution: give every kernel event the phase instance whose thread
 * and time window contain it, and add up each window's time inside ioctl
 * syscalls (kernel_ns). Pure: arrays in, arrays out, no tracefs, so the
 * rules are unit-tested with synthetic events.
 *
 * Rules:
 *   - An event belongs to a window of its own thread (tid) with
 *     start <= ts <= end. Windows may nest (guest_load contains gdt_write);
 *     the innermost (latest-starting) containing window wins. Callers pass
 *     only measured phases, not derived ones (boot_total would contain all).
 *   - An event of a known thread outside every window is "between": it is
 *     given the thread's latest window that ended before it (its `prev`), or
 *     none when the thread had not started a phase yet.
 *   - An event of a thread that has no window at all is unattributed.
 *   - kernel_ns of a window: the sum of its thread's sys_enter_ioctl ->
 *     sys_exit_ioctl intervals that lie wholly inside it; VB_ATTRIB_NONE
 *     when no such interval (the phase made no ioctl, or it was not traced).
 */
#ifndef VB_ATTRIB_H
#define VB_ATTRIB_H

#include <stddef.h>
#include <stdint.h>

#define VB_ATTRIB_NONE UINT64_MAX

struct vb_window {
	uint64_t start, end; /* CLOCK_MONOTONIC_RAW ns, end = start + duration */
	int32_t tid;
};

enum vb_event_kind {
	VB_EVENT_OTHER,
	VB_EVENT_IOCTL_ENTER, /* syscalls:sys_enter_ioctl */
	VB_EVENT_IOCTL_EXIT,  /* syscalls:sys_exit_ioctl */
};

struct vb_tevent {
	uint64_t ts; /* same clock (tracefs mono_raw) */
	int32_t tid;
	uint8_t kind; /* enum vb_event_kind */
};

enum vb_attrib_place {
	VB_PLACE_NONE,    /* thread unknown: no window of this tid */
	VB_PLACE_INSIDE,  /* inside window `window` */
	VB_PLACE_BETWEEN, /* outside; `window` is the previous one, or -1 */
	VB_PLACE_TOOL,    /* not set here: callers mark their own threads' events */
};

struct vb_attribution {
	int64_t window; /* index into the windows, or -1 */
	uint8_t place;  /* enum vb_attrib_place */
};

/* Attribute @ne events @ev against @nw windows @w. Fills @out[ne] and
 * @kernel_ns[nw]. Returns 0 or -ENOMEM. Inputs are not modified and need no
 * order. O((nw + ne) log(nw + ne)). */
int vb_attrib_run(const struct vb_window *w, size_t nw, const struct vb_tevent *ev, size_t ne,
		  struct vb_attribution *out, uint64_t *kernel_ns);

#endif
