/* The one clock of vcpubench: CLOCK_MONOTONIC_RAW in nanoseconds, the same
 * clock tracefs calls "mono_raw", so phase records and kernel trace events
 * share one time axis. */
#ifndef VB_CLOCK_H
#define VB_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t vb_clock_now(void)
{
	struct timespec ts;

	/* vDSO on x86: no syscall, ~30 ns here; cannot fail for this clock. */
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CLOCK_MONOTONIC @ns from now: the deadline of a pthread_cond_timedwait()
 * on a condition variable set to that clock (not this file's clock, which
 * condition variables cannot use). */
static inline struct timespec vb_clock_deadline(long ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ns / 1000000000L;
	ts.tv_nsec += ns % 1000000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Median cost of one vb_clock_now() in ns, measured over @samples pairs of
 * back-to-back reads. Reported in meta.json and by `vcpubench info`. */
uint64_t vb_clock_cost_ns(unsigned samples);

#endif
