/* One phase of a vCPU thread, measured and recorded: the timed window
 * around one call (one clock, CLOCK_MONOTONIC_RAW; with --sched-stats the
 * thread's counters read just outside it), and the record pushed for the
 * writer, or the failure reported with the call's name. Used by the vCPU
 * cycle (cycle.c); on the calling vCPU thread only. */
#ifndef VB_RECORD_H
#define VB_RECORD_H

#include <stdint.h>

#include "phase.h"
#include "run_state.h"
#include "sched_stats.h"

/* One timed window: [t0, t1] around one call, and with --sched-stats the
 * thread's counters read right before t0 and right after t1, outside it. */
struct vb_window {
	uint64_t t0, t1;
	struct vb_sched_sample before;
	struct vb_sched_delta sched;
	bool has_sched;
};

/* "KVM_SET_SREGS" etc. for messages, indexed by enum vb_phase. */
extern const char *const vb_phase_call[VB_PHASE_COUNT];

/* Open @w: the counters (--sched-stats), then t0. */
void vb_window_open(struct vcpu_ctx *c, struct vb_window *w);
/* Close @w: t1, then the counters. */
void vb_window_close(struct vcpu_ctx *c, struct vb_window *w);
/* A window with no counters: derived phases, and phases whose window
 * holds other timed phases (their reads would be inside it). */
struct vb_window vb_window_span(uint64_t t0, uint64_t t1);

/* Push the record of @phase over @w (warmup iterations are run, not
 * recorded); a failure other than a KVM_RUN's is reported and stops the
 * run. Returns @err as a positive errno, so call sites stay one line. */
int vb_record_emit(struct vcpu_ctx *c, enum vb_phase phase, const struct vb_window *w, int err,
		   uint32_t exit_reason, uint32_t seq);

/* Report @phase failing with @err: "vm 3 vcpu 7: vcpu_sregs (KVM_SET_SREGS): ...". */
void vb_phase_fail(struct vcpu_ctx *c, enum vb_phase phase, int err);

#endif
