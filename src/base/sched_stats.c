/* Per-phase scheduler and fault accounting (sched_stats.h). */
#include "sched_stats.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

int vb_sched_reader_open(struct vb_sched_reader *r)
{
	r->fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	return r->fd < 0 ? -errno : 0;
}

void vb_sched_reader_close(struct vb_sched_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int vb_sched_parse(const char *text, uint64_t *oncpu_ns, uint64_t *runq_ns)
{
	char *end;

	errno = 0;
	*oncpu_ns = strtoull(text, &end, 10);
	if (errno || end == text || *end != ' ')
		return -EINVAL;
	text = end + 1;
	*runq_ns = strtoull(text, &end, 10);
	if (errno || end == text || (*end != ' ' && *end != '\n' && *end))
		return -EINVAL;
	return 0;
}

static int read_counters(struct vb_sched_reader *r, struct vb_sched_sample *s)
{
	char buf[96];
	struct rusage ru;
	uint64_t stale;
	ssize_t n = pread(r->fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (vb_sched_parse(buf, &stale, &s->runq_ns))
		return -EINVAL;
	if (getrusage(RUSAGE_THREAD, &ru))
		return -errno;
	s->nvcsw = (uint64_t)ru.ru_nvcsw;
	s->nivcsw = (uint64_t)ru.ru_nivcsw;
	s->minflt = (uint64_t)ru.ru_minflt;
	s->majflt = (uint64_t)ru.ru_majflt;
	s->cpu = sched_getcpu();
	return 0;
}

/* schedstat's own on-CPU figure is the running task's runtime as of the
 * last tick or switch: stale for a µs phase. The thread CPU clock brings
 * it up to date first. */
static int read_oncpu(struct vb_sched_sample *s)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return -errno;
	s->oncpu_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return 0;
}

int vb_sched_sample_begin(struct vb_sched_reader *r, struct vb_sched_sample *s)
{
	int err = read_counters(r, s);

	return err ? err : read_oncpu(s);
}

int vb_sched_sample_end(struct vb_sched_reader *r, struct vb_sched_sample *s)
{
	int err = read_oncpu(s);

	return err ? err : read_counters(r, s);
}

static uint64_t sub(uint64_t b, uint64_t a)
{
	return b > a ? b - a : 0;
}

static uint32_t sub32(uint64_t b, uint64_t a)
{
	uint64_t d = sub(b, a);

	return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

void vb_sched_delta(const struct vb_sched_sample *a, const struct vb_sched_sample *b,
		    struct vb_sched_delta *d)
{
	d->oncpu_ns = sub(b->oncpu_ns, a->oncpu_ns);
	d->runq_ns = sub(b->runq_ns, a->runq_ns);
	d->nvcsw = sub32(b->nvcsw, a->nvcsw);
	d->nivcsw = sub32(b->nivcsw, a->nivcsw);
	d->minflt = sub32(b->minflt, a->minflt);
	d->majflt = sub32(b->majflt, a->majflt);
	d->migrated = a->cpu != b->cpu;
}

/* A perf group of software counters on the calling thread: the leader's
 * fd, or -errno. */
static int perf_group_open(int fds[4])
{
	static const uint64_t events[4] = { PERF_COUNT_SW_TASK_CLOCK, PERF_COUNT_SW_CONTEXT_SWITCHES,
					    PERF_COUNT_SW_CPU_MIGRATIONS, PERF_COUNT_SW_PAGE_FAULTS };

	for (int i = 0; i < 4; i++) {
		struct perf_event_attr a = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(a),
					     .config = events[i], .read_format = PERF_FORMAT_GROUP,
					     .exclude_hv = 1 };

		fds[i] = (int)syscall(SYS_perf_event_open, &a, 0, -1, i ? fds[0] : -1,
				      PERF_FLAG_FD_CLOEXEC);
		if (fds[i] < 0) {
			int err = -errno;

			while (i-- > 0)
				close(fds[i]);
			return err;
		}
	}
	return fds[0];
}

enum source { SCHEDSTAT, THREAD_CLOCK, GETRUSAGE, GETCPU, PERF_GROUP };

/* Mean ns of one read of @src, or -1 when it cannot be read. */
static double read_cost(enum source src, unsigned n)
{
	struct vb_sched_reader r = { .fd = -1 };
	int fds[4] = { -1, -1, -1, -1 };
	uint64_t buf[1 + 4], t0, t1;
	char text[96];
	struct rusage ru;
	struct timespec ts;
	int ok = 0;

	if (src == SCHEDSTAT)
		ok = vb_sched_reader_open(&r) == 0;
	else if (src == PERF_GROUP)
		ok = perf_group_open(fds) >= 0;
	else
		ok = 1;
	t0 = vb_clock_now();
	for (unsigned i = 0; ok && i < n; i++) {
		if (src == SCHEDSTAT)
			ok = pread(r.fd, text, sizeof(text), 0) > 0;
		else if (src == GETRUSAGE)
			ok = getrusage(RUSAGE_THREAD, &ru) == 0;
		else if (src == THREAD_CLOCK)
			ok = clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0;
		else if (src == GETCPU)
			ok = sched_getcpu() >= 0;
		else
			ok = read(fds[0], buf, sizeof(buf)) > 0;
	}
	t1 = vb_clock_now();
	vb_sched_reader_close(&r);
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ok && n ? (double)(t1 - t0) / n : -1;
}

/* Spin for at most 20 ms or 50 steps of the thread CPU clock. */
static uint64_t oncpu_step(void)
{
	struct vb_sched_sample a, b;
	uint64_t end = vb_clock_now() + 20000000, step = 0;
	unsigned steps = 0;

	if (read_oncpu(&a))
		return 0;
	while (steps < 50 && vb_clock_now() < end) {
		if (read_oncpu(&b))
			return 0;
		if (b.oncpu_ns == a.oncpu_ns)
			continue;
		if (!step || b.oncpu_ns - a.oncpu_ns < step)
			step = b.oncpu_ns - a.oncpu_ns;
		a = b;
		steps++;
	}
	return step;
}

void vb_sched_costs_measure(unsigned n, struct vb_sched_costs *c)
{
	c->oncpu_step_ns = oncpu_step();
	c->schedstat_ns = read_cost(SCHEDSTAT, n);
	c->thread_clock_ns = read_cost(THREAD_CLOCK, n);
	c->getrusage_ns = read_cost(GETRUSAGE, n);
	c->sched_getcpu_ns = read_cost(GETCPU, n);
	c->perf_group_ns = read_cost(PERF_GROUP, n);
}
