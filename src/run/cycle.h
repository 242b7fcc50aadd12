/* One vCPU thread's create -> run -> teardown cycle (cycle.c), called by
 * the runner once per iteration on each vCPU thread. */
#ifndef VB_CYCLE_H
#define VB_CYCLE_H

#include "run_state.h"

/* One create -> run -> teardown cycle of the thread of @c. */
void vb_cycle_run(struct vcpu_ctx *c);

#endif
