/* Tracing through a private tracefs instance (trace.h). */
#include "trace_priv.h"

#include <errno.h>
#include <event-parse.h>
#include <kbuffer.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tracefs.h>
#include <unistd.h>

#include "clock.h"
#include "thread.h"

/* The reader sleeps this long when no CPU had data. Each pass reads
 * partly filled pages, which disturbs the traced CPUs: at 2 ms, per-phase
 * medians of a traced 1x64 run were ~5 % slower than at 20 ms; and a
 * buffer of >= 1 MiB per CPU holds far more than 20 ms of events (0 lost
 * at 1024x1, 1.87 million events). */
#define READER_POLL_NS 20000000L

void vb_trace_fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static int create_instance(struct vb_trace *t, char *err, size_t len)
{
	char *clocks;

	snprintf(t->name, sizeof(t->name), VB_TRACE_INSTANCE_PREFIX "%d-%llx", (int)getpid(),
		 (unsigned long long)vb_clock_now());
	t->inst = tracefs_instance_create(t->name);
	if (!t->inst) {
		vb_trace_fail(err, len, "--trace: cannot create tracefs instance '%s': %s", t->name,
		              strerror(errno));
		return -EIO;
	}
	tracefs_trace_off(t->inst); /* nothing is recorded until all is set */
	clocks = tracefs_instance_file_read(t->inst, "trace_clock", NULL);
	if (!clocks || !strstr(clocks, "mono_raw")) {
		free(clocks);
		vb_trace_fail(err, len, "--trace: tracefs offers no mono_raw clock here");
		return -ENOTSUP;
	}
	free(clocks);
	return 0;
}

/* Grow (never shrink) the per-CPU buffers to what the run needs; resizing
 * costs a grace period too, so runs that fit the default skip it. */
static int size_buffers(struct vb_trace *t)
{
	ssize_t cur = tracefs_instance_get_buffer_size(t->inst, 0);

	if (cur > 0 && (size_t)cur >= t->buffer_kib) {
		t->buffer_kib = (size_t)cur;
		return 0;
	}
	return tracefs_instance_set_buffer_size(t->inst, t->buffer_kib, -1) < 0 ? -errno : 0;
}

/* Switching the clock resets the buffer and waits for an RCU grace period
 * (20-30 ms here), and growing the buffers waits for another: they run on
 * their own thread while the events are enabled, which take a different
 * kernel lock (event_mutex, not trace_types_lock). */
static void *set_clock(void *arg)
{
	struct vb_trace *t = arg;

	if (tracefs_instance_file_write(t->inst, "trace_clock", "mono_raw") < 0)
		return (void *)(intptr_t)-errno;
	return (void *)(intptr_t)size_buffers(t);
}

static int enable_events(struct vb_trace *t, char *err, size_t len)
{
	for (size_t i = 0; i < t->nenable; i++)
		if (tracefs_instance_file_write(t->inst, t->enable[i], "1") < 0) {
			vb_trace_fail(err, len, "--trace: cannot write '%s' of instance '%s': %s",
			              t->enable[i], t->name, strerror(errno));
			return -EIO;
		}
	return 0;
}

/* Before the clock thread starts: the option takes the lock the clock
 * switch holds through its grace period. An empty pid list is set without
 * a grace period (replacing one waits for two). */
static int restrict_to_process(struct vb_trace *t, char *err, size_t len)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (tracefs_option_enable(t->inst, TRACEFS_OPTION_EVENT_FORK) < 0 ||
	    tracefs_instance_file_write(t->inst, "set_event_pid", pid) < 0) {
		vb_trace_fail(err, len,
		              "--trace: cannot restrict instance '%s' to this process: %s",
		              t->name, strerror(errno));
		return -EIO;
	}
	return 0;
}

/* The formats come from the top-level events directory, not the instance,
 * and are only needed to decode after the run: parsed on their own thread
 * from the start (10-20 ms here, mostly opening ~100 eventfs files). */
struct format_job {
	struct vb_trace *t;
	char err[256];
	int r;
};

static void *parse_formats(void *arg)
{
	struct format_job *j = arg;

	j->r = vb_trace_load_formats(j->t, j->err, sizeof(j->err));
	return NULL;
}

/* Run @fn(@arg) on a thread named @name, or here when no thread can start. */
static bool run_aside(pthread_t *th, void *(*fn)(void *), void *arg, const char *name, void **ret)
{
	if (vb_thread_start(th, fn, arg, name) == 0)
		return true;
	*ret = fn(arg);
	return false;
}

static int setup_instance(struct vb_trace *t, char *err, size_t len)
{
	pthread_t clock_thread, format_thread;
	struct format_job fj = { .t = t };
	void *clock_ret = NULL, *unused = NULL;
	bool clock_aside = false;
	bool format_aside = run_aside(&format_thread, parse_formats, &fj, "vb-trace-fmt", &unused);
	int r = create_instance(t, err, len);

	if (!r)
		r = restrict_to_process(t, err, len);
	if (!r) {
		clock_aside = run_aside(&clock_thread, set_clock, t, "vb-trace-clock", &clock_ret);
		r = enable_events(t, err, len);
	}
	if (clock_aside)
		pthread_join(clock_thread, &clock_ret);
	if (format_aside)
		pthread_join(format_thread, NULL);
	if (!r && fj.r) {
		snprintf(err, len, "%s", fj.err);
		r = fj.r;
	}
	if (!r && clock_ret) {
		vb_trace_fail(err, len,
		              "--trace: cannot set the mono_raw clock and %zu KiB "
		              "buffers of '%s': %s",
		              t->buffer_kib, t->name, strerror(-(int)(intptr_t)clock_ret));
		r = -EIO;
	}
	return r;
}

/* Copy whatever each CPU has; returns pages read, or -errno. */
static int read_pass(struct vb_trace *t, bool flush)
{
	int got = 0;

	for (int i = 0; i < t->ncpus; i++) {
		struct cpu_stream *c = &t->cpus[i];
		int n;

		while ((n = flush ? tracefs_cpu_flush(c->tcpu, t->buf)
				  : tracefs_cpu_read(c->tcpu, t->buf, true)) > 0) {
			if (vb_pagestore_append(&t->store, (uint32_t)i, t->buf, (uint32_t)n))
				return -ENOMEM;
			got++;
		}
	}
	return got;
}

/* Sleep one poll period, or less when the run stops: vb_trace_stop()
 * would otherwise wait up to a whole period for the reader (10 ms on
 * average at the end of every run). */
static void reader_sleep(struct vb_trace *t)
{
	const struct timespec until = vb_clock_deadline(READER_POLL_NS);

	pthread_mutex_lock(&t->wake_lock);
	while (!atomic_load(&t->stopping) &&
	       pthread_cond_timedwait(&t->wake, &t->wake_lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&t->wake_lock);
}

static void *reader_main(void *arg)
{
	struct vb_trace *t = arg;

	atomic_store(&t->reader_tid, gettid());
	while (!atomic_load(&t->stopping)) {
		int got = read_pass(t, false);

		if (got < 0) {
			t->read_err = got;
			break;
		}
		if (!got)
			reader_sleep(t);
	}
	return NULL;
}

static int open_cpus(struct vb_trace *t, char *err, size_t len)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	t->cpus = calloc((size_t)n, sizeof(*t->cpus));
	if (!t->cpus)
		return -ENOMEM;
	for (int cpu = 0; cpu < n; cpu++) {
		struct tracefs_cpu *tcpu = tracefs_cpu_open(t->inst, cpu, true);

		if (!tcpu)
			continue; /* offline CPU */
		t->cpus[t->ncpus++] = (struct cpu_stream){ .tcpu = tcpu, .cpu = cpu };
		if (tracefs_cpu_read_size(tcpu) > t->subbuf_size)
			t->subbuf_size = tracefs_cpu_read_size(tcpu);
	}
	t->buf = t->ncpus ? malloc((size_t)t->subbuf_size) : NULL;
	if (!t->buf) {
		vb_trace_fail(err, len,
		              "--trace: cannot open the per-CPU buffers of '%s'", t->name);
		return -EIO;
	}
	return 0;
}

/* A user without access to tracefs sees no events at all (the event
 * directories are unreadable), which would otherwise read as "no such
 * event": name the directory and the remedy instead. */
int vb_trace_check_access(char *err, size_t len)
{
	const char *dir = tracefs_tracing_dir(); /* mounts tracefs if it can */
	char inst[4096];

	if (!dir) {
		vb_trace_fail(err, len,
		              "--trace: tracefs is not mounted at %s and this user cannot mount it "
		              "(run as root, or mount it: "
		              "mount -t tracefs -o gid=GROUP,mode=0750 nodev %s)",
		              VB_TRACEFS_DEFAULT, VB_TRACEFS_DEFAULT);
		return -ENODEV;
	}
	snprintf(inst, sizeof(inst), "%s/instances", dir);
	if (access(dir, R_OK | X_OK) < 0 || access(inst, W_OK | X_OK) < 0) {
		int e = errno;

		vb_trace_fail(err, len,
		              "--trace: tracefs at %s is not %s by this user "
		              "(run as root, or grant tracefs access: mount option "
		              "gid=GROUP with mode=0770, or chmod/chgrp %s)",
		              dir, access(dir, R_OK | X_OK) < 0 ? "readable" : "writable", dir);
		return e == EACCES || e == EPERM ? -EACCES : -e;
	}
	return 0;
}

static int start_reader(struct vb_trace *t, char *err, size_t len)
{
	/* Blocked signals: the run's go to the supervisor. */
	int r = vb_thread_start(&t->reader, reader_main, t, "vb-trace");

	if (r) {
		vb_trace_fail(err, len, "--trace: cannot start the reader thread: %s", strerror(r));
		return -r;
	}
	t->reader_started = true;
	return 0;
}

struct vb_trace *vb_trace_start(const char *events, size_t buffer_kib, char *err, size_t errlen)
{
	struct vb_trace *t = calloc(1, sizeof(*t));
	uint64_t t0 = vb_clock_now();
	pthread_condattr_t cattr;
	int r;

	if (!t) {
		vb_trace_fail(err, errlen, "--trace: out of memory");
		return NULL;
	}
	t->buffer_kib = buffer_kib;
	/* 64 MiB chunks, reserved not committed: a few for most runs. */
	vb_pagestore_init(&t->store, 64u << 20);
	pthread_mutex_init(&t->inst_lock, NULL);
	pthread_mutex_init(&t->reader_lock, NULL);
	pthread_mutex_init(&t->wake_lock, NULL);
	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &cattr);
	pthread_condattr_destroy(&cattr);
	tracefs_set_loglevel(TEP_LOG_NONE);
	/* tracefs_tracing_dir() mounts tracefs when it is not mounted. */
	r = vb_trace_check_access(err, errlen);
	if (r)
		goto error;
	vb_trace_remove_stale();
	r = vb_trace_select(t, events ? events : VB_TRACE_DEFAULT_EVENTS, err, errlen);
	if (!r)
		r = setup_instance(t, err, errlen);
	if (!r)
		r = open_cpus(t, err, errlen);
	if (r)
		goto error;
	tracefs_trace_on(t->inst);
	r = start_reader(t, err, errlen);
	if (r)
		goto error;
	t->startup_ns = vb_clock_now() - t0;
	return t;
error:
	vb_trace_free(t);
	errno = -r;
	return NULL;
}

/* Events the ring buffer lost on @cpu: overwritten before they were read
 * (overrun), or dropped when the buffer was full or a commit overran. */
static uint64_t cpu_lost(struct vb_trace *t, int cpu)
{
	static const char *const keys[] = { "overrun:", "commit overrun:", "dropped events:" };
	char file[64], *stats, *p;
	uint64_t lost = 0;

	snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
	stats = tracefs_instance_file_read(t->inst, file, NULL);
	for (size_t k = 0; stats && k < sizeof(keys) / sizeof(keys[0]); k++)
		for (p = stats; (p = strstr(p, keys[k])); p += strlen(keys[k]))
			if (p == stats || p[-1] == '\n')
				lost += strtoull(p + strlen(keys[k]), NULL, 10);
	free(stats);
	return lost;
}

static void close_cpus(struct vb_trace *t)
{
	for (int i = 0; i < t->ncpus; i++) {
		if (t->cpus[i].tcpu)
			tracefs_cpu_close(t->cpus[i].tcpu);
		t->cpus[i].tcpu = NULL;
	}
}

static void remove_instance(struct vb_trace *t)
{
	pthread_mutex_lock(&t->inst_lock);
	if (t->inst) {
		tracefs_trace_off(t->inst);
		tracefs_event_disable(t->inst, NULL, NULL);
		close_cpus(t); /* open trace_pipe_raw files make rmdir fail (EBUSY) */
		tracefs_instance_destroy(t->inst);
		tracefs_instance_free(t->inst);
		t->inst = NULL;
	}
	pthread_mutex_unlock(&t->inst_lock);
}

/* rmdir of an instance waits for grace periods (~80 ms here): done on a
 * thread while the captured pages are decoded and written. */
static void *remover_main(void *arg)
{
	remove_instance(arg);
	return NULL;
}

/* Stop the reader thread and wait for it (its reads never block). */
static void stop_reader(struct vb_trace *t)
{
	pthread_mutex_lock(&t->reader_lock);
	pthread_mutex_lock(&t->wake_lock);
	atomic_store(&t->stopping, true);
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->wake_lock);
	if (t->reader_started)
		pthread_join(t->reader, NULL);
	t->reader_started = false;
	pthread_mutex_unlock(&t->reader_lock);
}

int vb_trace_pause(struct vb_trace *t)
{
	int r;

	if (t->paused || t->stopped)
		return t->read_err;
	t->paused = true;
	stop_reader(t);
	pthread_mutex_lock(&t->inst_lock);
	if (t->inst) { /* else removed in an emergency */
		tracefs_trace_off(t->inst);
		r = read_pass(t, true);
		if (r < 0 && !t->read_err)
			t->read_err = r;
		t->lost = 0;
		for (int i = 0; i < t->ncpus; i++) {
			uint64_t all = cpu_lost(t, t->cpus[i].cpu);

			t->cpus[i].lost = all > t->cpus[i].lost_base ? all - t->cpus[i].lost_base : 0;
			t->lost += t->cpus[i].lost;
		}
	}
	pthread_mutex_unlock(&t->inst_lock);
	return t->read_err;
}

int vb_trace_resume(struct vb_trace *t, char *err, size_t errlen)
{
	uint64_t t0 = vb_clock_now();
	int r;

	if (!t->paused || t->stopped) {
		vb_trace_fail(err, errlen, "--trace: instance '%s' is not paused", t->name);
		return -EINVAL;
	}
	/* No VM is alive between two runs: unmapping the pages now notifies
	 * no MMU notifier (pagestore.h). */
	vb_pagestore_release(&t->store);
	t->read_err = 0;
	t->lost = 0;
	/* The locks vb_trace_emergency() takes, in its order. */
	pthread_mutex_lock(&t->reader_lock);
	pthread_mutex_lock(&t->inst_lock);
	r = t->inst ? 0 : -ENOENT;
	for (int i = 0; !r && i < t->ncpus; i++) { /* the stats files only ever grow */
		t->cpus[i].lost = 0;
		t->cpus[i].lost_base = cpu_lost(t, t->cpus[i].cpu);
	}
	if (!r) {
		atomic_store(&t->stopping, false);
		tracefs_trace_on(t->inst);
		r = start_reader(t, err, errlen);
		if (r)
			tracefs_trace_off(t->inst);
	} else {
		vb_trace_fail(err, errlen, "--trace: instance '%s' was removed", t->name);
	}
	pthread_mutex_unlock(&t->inst_lock);
	pthread_mutex_unlock(&t->reader_lock);
	if (r)
		return r;
	t->paused = false;
	t->restarts++;
	t->startup_ns = vb_clock_now() - t0;
	return 0;
}

int vb_trace_stop(struct vb_trace *t)
{
	if (t->stopped)
		return t->read_err;
	vb_trace_pause(t);
	t->stopped = true;
	pthread_mutex_lock(&t->inst_lock);
	/* Now, not in the removal: what the process holds open when meta.json
	 * is written must not depend on how far it got. */
	if (t->inst)
		close_cpus(t);
	pthread_mutex_unlock(&t->inst_lock);
	t->remover_started = vb_thread_start(&t->remover, remover_main, t, "vb-trace-rm") == 0;
	if (!t->remover_started)
		remove_instance(t);
	return t->read_err;
}

void vb_trace_emergency(struct vb_trace *t)
{
	if (!t)
		return;
	stop_reader(t); /* it must not read a buffer being closed */
	remove_instance(t);
}

void vb_trace_free(struct vb_trace *t)
{
	if (!t)
		return;
	stop_reader(t);
	if (t->remover_started)
		pthread_join(t->remover, NULL);
	remove_instance(t);
	pthread_mutex_destroy(&t->inst_lock);
	pthread_mutex_destroy(&t->reader_lock);
	pthread_mutex_destroy(&t->wake_lock);
	pthread_cond_destroy(&t->wake);
	vb_pagestore_release(&t->store);
	free(t->cpus);
	for (size_t i = 0; i < t->nevents; i++) {
		free(t->events[i].system);
		free(t->events[i].name);
	}
	free(t->events);
	for (size_t i = 0; i < t->nenable; i++)
		free(t->enable[i]);
	free(t->enable);
	free(t->skipped);
	free(t->buf);
	if (t->tep)
		tep_free(t->tep);
	free(t);
}

int vb_trace_reader_tid(const struct vb_trace *t)
{
	return atomic_load(&((struct vb_trace *)t)->reader_tid);
}

const char *vb_trace_skipped(const struct vb_trace *t)
{
	return t->skipped;
}

uint64_t vb_trace_lost(const struct vb_trace *t)
{
	return t->lost;
}

