/* What a traced run writes: events.csv (every event with the phase instance
 * that caused it), trace_summary.csv (per phase: which events fire, how many
 * per instance; for first_run the timeline of gaps between events) and the
 * kernel_ns of every phase row (time inside its ioctls, from
 * sys_enter_ioctl/sys_exit_ioctl). Joins trace.c's decoded events with the
 * sink's kept rows through attrib.c. */
#ifndef VB_TRACE_RESULTS_H
#define VB_TRACE_RESULTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "sink.h"
#include "trace.h"

#define VB_EVENTS_CSV_HEADER "ts_ns,cpu,tid,vm,vcpu,iteration,phase,system,event,fields"
#define VB_TRACE_SUMMARY_CSV_HEADER \
	"phase,system,event,count,instances,per_instance,gap_p50_ns,gap_p99_ns"

/* A thread of the tool itself (the writer, the trace reader): its events
 * get phase "tool:<name>" — the tool's own effect on KVM, e.g. its
 * allocator unmapping memory, which notifies every live VM. */
struct vb_tool_thread {
	int32_t tid;
	const char *name;
};

/* After vb_trace_stop() and vb_sink_drain(): attribute the events of @t to
 * the @n @rows (and the @ntools @tools threads), write events.csv and
 * trace_summary.csv in @dir, and fill @kernel_ns[n] (UINT64_MAX where none).
 * Adds "attribution", "clock_check" and "summary" (the trace_summary.csv
 * rows) to @json. 0 or -errno. */
int vb_trace_results_write(struct vb_trace *t, const char *dir, const struct vb_record *rows,
			   size_t n, const struct vb_tool_thread *tools, size_t ntools,
			   uint64_t *kernel_ns, json_t *json);

#endif
