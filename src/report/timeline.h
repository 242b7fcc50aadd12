/* What happened during one iteration of a run, for the Gantt chart and the
 * first-KVM_RUN event timeline: every measured (not derived) phase instance
 * of that iteration with its vm/vcpu and times, and, for a traced run, the
 * kernel events attributed to the first_run phase in that iteration. Read
 * with a second pass over phases.csv (and events.csv), keeping only that
 * iteration, so memory stays proportional to one iteration. */
#ifndef VB_TIMELINE_H
#define VB_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "phase.h"

struct vb_timeline_span {
	enum vb_phase phase;
	uint32_t vm, vcpu;    /* vcpu is 0 for VM-scope phases (run on vCPU 0's thread) */
	uint64_t start_ns, duration_ns;
};

struct vb_timeline_event {
	uint32_t vm, vcpu;
	uint64_t ts_ns;
	size_t name;          /* index into vb_timeline.event_names */
};

struct vb_timeline {
	uint64_t iteration;
	uint64_t t0;          /* earliest start of the iteration's spans */
	uint32_t vms, vcpus;  /* 1 + the largest ids seen */
	struct vb_timeline_span *spans;
	size_t nspans;
	struct vb_timeline_event *events;
	size_t nevents;
	char **event_names;   /* "system:event", in order of first appearance */
	size_t nnames;
};

/* Load @iteration of the results in @dir. events.csv is optional. Returns 0,
 * or -errno with a message in @err as vb_rundata_load() does. On failure
 * @t holds nothing to release. */
int vb_timeline_load(struct vb_timeline *t, const char *dir, uint64_t iteration, char *err,
		     size_t errlen);

void vb_timeline_release(struct vb_timeline *t);

#endif
