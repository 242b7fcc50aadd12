/* The record sink: vCPU threads push fixed-size phase records onto a
 * liburcu wait-free concurrent queue (wfcqueue); one writer thread drains
 * it into phases.csv and exits.csv and keeps the samples for summary.csv.
 * Producers never block on I/O, locks or the writer.
 *
 * Concurrency contract:
 *   - vb_sink_open() and vb_sink_close() are called by one controlling
 *     thread; no producer may push after vb_sink_close() has started.
 *   - Any number of threads push concurrently, each through its own
 *     struct vb_producer (a producer is used by one thread at a time).
 *     Records of one producer reach the files in push order; records of
 *     different producers interleave in no promised order.
 *   - Only the sink's writer thread dequeues (single consumer).
 *   - Record memory comes from per-producer slabs; the writer frees a slab
 *     once its producer has let go of it and every pushed record is
 *     written, so memory stays bounded by what is in flight.
 *   - vb_sink_summary() and vb_sink_rows() are valid after vb_sink_close().
 *   - With VB_SINK_KEEP, phase rows are kept in memory instead of being
 *     written as they come, so that a column known only after the run
 *     (kernel_ns, from tracing) can be added: vb_sink_drain() stops the
 *     writer, vb_sink_kept() gives the rows, vb_sink_close() writes them.
 */
#ifndef VB_SINK_H
#define VB_SINK_H

#include <stdint.h>
#include <urcu/wfcqueue.h>

#include "phase.h"
#include "sched_stats.h"
#include "stats.h"

struct vb_slab;

struct vb_record {
	struct cds_wfcq_node node;
	struct vb_slab *slab;
	uint64_t start_ns;     /* CLOCK_MONOTONIC_RAW */
	uint64_t duration_ns;
	int32_t iteration;     /* -1 where the phase scope has none */
	int32_t vm;
	int32_t vcpu;
	int32_t tid;
	int32_t cpu;           /* CPU the phase ended on, -1 if unknown */
	uint16_t phase;        /* enum vb_phase */
	uint16_t err;          /* positive errno; 0 = ok */
	uint32_t exit_reason;  /* first_run/exit: KVM_EXIT_* when err == 0 */
	uint32_t seq;          /* first_run: 0; exit: 1.. */
	bool has_sched;        /* --sched-stats measured this phase */
	struct vb_sched_delta sched;
};

struct vb_sink;

enum vb_sink_flags {
	VB_SINK_KEEP = 1,  /* keep phase rows; phases.csv gets a kernel_ns column */
	VB_SINK_SCHED = 2, /* phases.csv gets the --sched-stats columns */
};

/* Open the CSV files in @dir and start the writer thread. NULL with errno
 * set on failure (nothing is left behind then). */
struct vb_sink *vb_sink_open(const char *dir, unsigned flags);

/* Drain everything pushed and stop the writer. Idempotent. */
void vb_sink_drain(struct vb_sink *s);

/* The writer thread's tid (0 before it ran), to attribute its own events. */
int vb_sink_writer_tid(const struct vb_sink *s);

/* VB_SINK_KEEP: the phase rows, in the order they were written (valid after
 * vb_sink_drain(), until vb_sink_free()); their count in *@n. */
const struct vb_record *vb_sink_kept(const struct vb_sink *s, size_t *n);

/* Drain, compute the summaries, write summary.csv and put the files in
 * place. @kernel_ns (VB_SINK_KEEP only, else NULL) has one value per kept
 * row, UINT64_MAX for none. Returns 0 or the first -errno met while writing
 * (files are then removed, not left half). The sink stays readable until
 * vb_sink_free(). */
int vb_sink_close(struct vb_sink *s, const uint64_t *kernel_ns);

void vb_sink_free(struct vb_sink *s);

/* Summary of the ok samples of @phase (n == 0 when none). */
const struct vb_summary *vb_sink_summary(const struct vb_sink *s, enum vb_phase phase);

/* Rows written to phases.csv, and how many carried an error status. */
uint64_t vb_sink_rows(const struct vb_sink *s);
uint64_t vb_sink_failed_rows(const struct vb_sink *s);

/* One thread's handle for pushing. Zero-initialised is not valid: use
 * vb_producer_init(). */
struct vb_producer {
	struct vb_sink *sink;
	struct vb_slab *slab;
};

void vb_producer_init(struct vb_producer *p, struct vb_sink *s);

/* Take the first slab now, on the calling thread: 0 or -ENOMEM. A thread's
 * first malloc() makes glibc create or share an arena (an mmap, mprotects,
 * and at hundreds of threads starting at once, waits on the arenas' locks);
 * a runner that prepares its threads' producers before starting them
 * keeps that off their first slab of records. */
int vb_producer_prepare(struct vb_producer *p);

/* A zeroed record to fill and push, or NULL when out of memory. Cheap
 * (a slab slot) except when a new slab is needed. */
struct vb_record *vb_producer_record(struct vb_producer *p);

/* Hand @r to the writer. Wait-free. */
void vb_producer_push(struct vb_producer *p, struct vb_record *r);

/* Let go of the producer's current slab; call before the thread ends. */
void vb_producer_release(struct vb_producer *p);

/* "ok", or the errno name of @err ("EINVAL"), in a static string. */
const char *vb_status_name(int err);

#endif
