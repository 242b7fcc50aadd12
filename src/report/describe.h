/* A results directory described in a line or two for a person, the same
 * way in reports and comparisons. Each fills @buf ("" when meta.json does
 * not say) and never fails. */
#ifndef VB_DESCRIBE_H
#define VB_DESCRIBE_H

#include <stddef.h>

#include "rundata.h"

/* "4 VMs × 2 vCPUs, 20 iterations, guest pio, started 2026-...Z" */
void vb_describe_config(const struct vb_rundata *d, char *buf, size_t len);

/* "vm: Linux 6.1.0, AMD EPYC, microcode 0x..., 2 CPUs, clocksource tsc" */
void vb_describe_host(const struct vb_rundata *d, char *buf, size_t len);

/* "wall 224.06 ms, 357.0 VMs/s, 714.1 vCPUs/s" */
void vb_describe_outcome(const struct vb_rundata *d, char *buf, size_t len);

/* Partial run, lost trace events, rows not ok, no meta.json: one warning
 * per line, without "warning: ". */
void vb_describe_warnings(const struct vb_rundata *d, char *buf, size_t len);

/* A thread CPU clock coarser than this makes --sched-stats figures moot. */
#define VB_SCHED_STEP_WARN_NS 10000

#endif
