/* meta.json: everything needed to trust, reproduce and compare a run —
 * tool version, command line, UTC start/end, host (host_info), the run's
 * configuration, whether it is complete and why not, rates, the tool's own
 * overhead, memory, and the tracing state. Written with jansson to a
 * temporary and renamed into place. */
#ifndef VB_META_H
#define VB_META_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "guest.h"
#include "kvm.h"
#include "options.h"
#include "runner.h"
#include "sink.h"

struct vb_meta {
	int argc;
	char **argv;
	const struct vb_run_config *cfg;
	const struct vb_kvm *kvm;
	const struct vb_guest *guest;
	const struct vb_run_outcome *outcome;
	const struct vb_sink *sink;     /* closed: summaries valid */
	struct timespec start, end;     /* CLOCK_REALTIME */
	unsigned long nofile_limit;
	const char *write_error;        /* results could not be written fully */
	json_t *tracing;                /* borrowed; NULL: tracing off */
	json_t *kernel;                 /* borrowed: --kernel's section, or NULL */
	json_t *host;                   /* owned: host facts, collected once per
					 * process (a sweep writes many meta.json) */
};

/* The host facts (host_info.h), collected on first use (writing
 * meta.json, after the last phase: read beside the run, they slowed
 * vm_memory by ~21 %) and kept in @m; release with json_decref(m->host). */
json_t *vb_meta_host(struct vb_meta *m);

/* The per-phase summaries as a JSON object {phase: {n, p50_ns, ...}}. */
json_t *vb_meta_summary_json(const struct vb_sink *s);

/* The run section (complete, why, rates, overhead, memory) as JSON. */
json_t *vb_meta_run_json(const struct vb_meta *m);

/* Write @dir/meta.json. 0 or -errno. */
int vb_meta_write(const char *dir, struct vb_meta *m);

/* A sweep's index, @dir/meta.json: what vb_meta_write() writes about the
 * command and host, and "sweep": {"axes": [...], "points": @points} where
 * each point is {"dir", "vms", "vcpus", "complete", "run", "phases"} and
 * its directory a complete results directory. 0 or -errno. */
int vb_meta_write_sweep(const char *dir, struct vb_meta *m, json_t *points, bool complete);

#endif
