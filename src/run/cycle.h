/* One vCPU thread's create -> run -> teardown cycle (cycle.c), called by
 * the runner once per iteration on each vCPU thread. */
#ifndef VB_CYCLE_H
#define VB_CYCLE_H

#include "phase.h"
#include "run_state.h"

/* "KVM_SET_SREGS" etc. for messages, indexed by enum vb_phase. */
extern const char *const vb_phase_call[VB_PHASE_COUNT];

/* One create -> run -> teardown cycle of the thread of @c. */
void vb_cycle_run(struct vcpu_ctx *c);

#endif
