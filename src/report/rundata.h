/* One results directory loaded for reports and comparisons: meta.json as
 * it is, and the duration of every `ok` row of phases.csv grouped by phase
 * and summarised. summary.csv is never read: everything is recomputed from
 * phases.csv, streamed once, so a million rows cost one pass and a sort.
 *
 * Or a set of rounds: a directory without phases.csv whose subdirectories
 * are results directories of one configuration, run at different times
 * (tools/kernels writes one per kernel). Its samples are pooled, and each
 * round's median is kept: rounds, not samples, are the independent
 * replicates a comparison needs (compare.h).
 *
 * Filled by vb_rundata_load() and read-only afterwards; callers read the
 * fields directly. */
#ifndef VB_RUNDATA_H
#define VB_RUNDATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "phase.h"
#include "stats.h"

struct vb_rundata {
	char *dir;
	json_t *meta;                             /* NULL: no meta.json (older results) */
	struct vb_u64vec samples[VB_PHASE_COUNT]; /* ok durations in ns, ascending */
	struct vb_summary summary[VB_PHASE_COUNT];
	uint64_t failed[VB_PHASE_COUNT];          /* rows whose status is not ok */
	uint64_t rows;                            /* data rows of phases.csv */
	/* The iteration whose span (first start to last end) is the median
	 * one: the typical iteration a timeline shows. */
	bool has_typical_iteration;
	uint64_t typical_iteration;
	bool has_events;                          /* events.csv exists (traced run) */
	/* The directory whose phases.csv holds the typical iteration and
	 * events.csv: dir itself, or a set's first round. */
	char *iteration_dir;
	size_t nrounds;                           /* 1 for a results directory */
	/* Per phase, the median of each round that measured it, in round order. */
	struct vb_u64vec round_medians[VB_PHASE_COUNT];
	/* --sched-stats: per phase, the ok rows that have the counters, in
	 * file order (duration, run-queue time, involuntary switches), and
	 * their on-CPU times (ascending) with each round's median. */
	bool has_sched;
	struct vb_u64vec sched_dur[VB_PHASE_COUNT], sched_runq[VB_PHASE_COUNT],
		sched_nvcsw[VB_PHASE_COUNT], sched_nivcsw[VB_PHASE_COUNT],
		sched_oncpu[VB_PHASE_COUNT]; /* row by row with sched_dur (oncpu[] gets sorted) */
	struct vb_u64vec oncpu[VB_PHASE_COUNT], round_oncpu_medians[VB_PHASE_COUNT];
};

/* What the counters say about a phase's slow samples (vb_rundata_tails). */
struct vb_sched_tails {
	size_t n;                       /* ok rows with counters */
	size_t any_runq;                /* rows that waited on a run queue at all */
	/* Rows above 2x (10x) the median; of those, preempted (run-queue time
	 * or an involuntary switch); not preempted, slept (a voluntary switch:
	 * the thread blocked inside the kernel, on a lock say); neither, stolen
	 * (off the CPU for more than half the window, plus the on-CPU clock's
	 * step, with no switch at all: the hypervisor ran something else on
	 * this virtual CPU, which a kernel with paravirt time accounting leaves
	 * out of the thread's runtime). The rest ran on the CPU. */
	size_t over2, over2_preempted, over2_slept, over2_stolen;
	size_t over10, over10_preempted, over10_slept, over10_stolen;
};

/* Load @dir, a results directory or a set of rounds, into @rd. Returns 0;
 * -EINVAL when a file is malformed (message "path:line:col: what" in
 * @err) or a set's rounds differ in configuration, kernel or accelerator;
 * another -errno when a file cannot be read (message names the file).
 * phases.csv is required, meta.json optional. A set's meta is its first
 * round's. On failure @rd holds nothing to release. */
int vb_rundata_load(struct vb_rundata *rd, const char *dir, char *err, size_t errlen);

void vb_rundata_release(struct vb_rundata *rd);

/* The tails of phase @p against the median of its rows with counters. */
void vb_rundata_tails(const struct vb_rundata *rd, enum vb_phase p, struct vb_sched_tails *t);

/* Make on-CPU time the metric: each phase's samples, summary and round
 * medians become its on-CPU times; phases without them are emptied.
 * -ENODATA when the run has no on-CPU times at all (no --sched-stats). */
int vb_rundata_use_oncpu(struct vb_rundata *rd);

/* Whether phase @p has any ok sample. */
static inline bool vb_rundata_has(const struct vb_rundata *rd, enum vb_phase p)
{
	return rd->summary[p].n > 0;
}

#endif
