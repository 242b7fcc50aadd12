/* Per-phase scheduler and fault accounting (--sched-stats): what a thread's
 * own counters say happened to it around one timed phase. Read right
 * before t0 and right after t1, outside the timed window, so the phase's
 * duration does not include the reads:
 *   - on-CPU time from CLOCK_THREAD_CPUTIME_ID (exact: the kernel brings
 *     the running thread's runtime up to date; schedstat's own first field
 *     and getrusage's times only move at ticks and switches);
 *   - run-queue time from /proc/thread-self/schedstat (sched_info's
 *     run_delay, added when the thread gets a CPU after waiting: complete
 *     by the time the thread reads it), with pread on an fd kept open;
 *   - voluntary and involuntary context switches, minor and major page
 *     faults from getrusage(RUSAGE_THREAD);
 *   - the CPU before and after (sched_getcpu: rseq, no syscall).
 * A sample taken on one thread is only meaningful against another sample
 * of the same thread. Not thread-safe: one reader per thread. */
#ifndef VB_SCHED_STATS_H
#define VB_SCHED_STATS_H

#include <stdbool.h>
#include <stdint.h>

struct vb_sched_sample {
	uint64_t oncpu_ns, runq_ns;
	uint64_t nvcsw, nivcsw, minflt, majflt;
	int cpu;
};

/* What happened between two samples of one thread. */
struct vb_sched_delta {
	uint64_t oncpu_ns, runq_ns;
	uint32_t nvcsw, nivcsw, minflt, majflt;
	bool migrated; /* ended on another CPU than it started on */
};

struct vb_sched_reader {
	int fd; /* /proc/thread-self/schedstat of the thread that opened it */
};

/* Open the calling thread's counters. 0 or -errno. */
int vb_sched_reader_open(struct vb_sched_reader *r);
void vb_sched_reader_close(struct vb_sched_reader *r);

/* Read the calling thread's counters (the thread that opened @r) before
 * and after a phase. The on-CPU clock is read last before and first after,
 * so it spans as little of the other reads as possible. 0 or -errno. */
int vb_sched_sample_begin(struct vb_sched_reader *r, struct vb_sched_sample *s);
int vb_sched_sample_end(struct vb_sched_reader *r, struct vb_sched_sample *s);

/* Parse schedstat's "<oncpu ns> <runq ns> <timeslices>". 0 or -EINVAL. */
int vb_sched_parse(const char *text, uint64_t *oncpu_ns, uint64_t *runq_ns);

/* @b - @a (a counter that went backwards counts 0). */
void vb_sched_delta(const struct vb_sched_sample *a, const struct vb_sched_sample *b,
		    struct vb_sched_delta *d);

/* Whether the phase waited for a CPU: run-queue time or an involuntary
 * switch inside it. */
static inline bool vb_sched_preempted(const struct vb_sched_delta *d)
{
	return d->runq_ns > 0 || d->nivcsw > 0;
}

/* The mean cost in ns of one read of each counter source on this thread,
 * over @n reads each: schedstat pread, the thread CPU clock, getrusage,
 * sched_getcpu, and (for comparison, not
 * used) one read of a perf software-counter group (task-clock,
 * context-switches, cpu-migrations, page-faults); a cost is -1 where the
 * source cannot be read here. For meta.json (sched_stats.read_ns). */
struct vb_sched_costs {
	double schedstat_ns, thread_clock_ns, getrusage_ns, sched_getcpu_ns, perf_group_ns;
	/* The smallest step the thread CPU clock was seen to take while
	 * spinning: ~the read cost where sched_clock is fine-grained, a
	 * scheduler tick (ms) where it is not (a kernel without a stable TSC,
	 * as under QEMU TCG): then on-CPU and run-queue times of µs phases
	 * mean nothing. 0 when it never moved. */
	uint64_t oncpu_step_ns;
};
void vb_sched_costs_measure(unsigned n, struct vb_sched_costs *c);

#endif
