#include "sink.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "results.h"
#include "exit_reason.h"
#include "thread.h"

/* liburcu 0.13 orders the queue with inline-asm barriers that
 * ThreadSanitizer cannot see; tell it about the enqueue -> dequeue
 * happens-before edge the queue guarantees, or it reports every record. */
#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define QUEUE_RELEASE(p) __tsan_release(p)
#define QUEUE_ACQUIRE(p) __tsan_acquire(p)
#else
#define QUEUE_RELEASE(p) ((void)(p))
#define QUEUE_ACQUIRE(p) ((void)(p))
#endif

/* 256 records of 64 bytes: one 16 KiB allocation per 256 phases. */
#define SLAB_RECORDS 256
/* How long the writer sleeps when the queue is empty. Short enough that the
 * queue never holds more than a few ms of records, long enough to cost
 * nothing measurable on a 2-core host. */
#define WRITER_POLL_NS 1000000L
#define CSV_BUFFER (1u << 20)

struct vb_slab {
	/* Records pushed but not yet written, plus one while the producer
	 * still holds the slab. Whoever takes it to zero frees the slab. */
	atomic_uint pending;
	unsigned used;
	struct vb_record rec[SLAB_RECORDS];
};

struct vb_sink {
	struct __cds_wfcq_head head;
	struct cds_wfcq_tail tail;
	pthread_t writer;
	atomic_bool closing;
	pthread_mutex_t wake_lock;          /* the writer's sleep, cut short by close */
	pthread_cond_t wake;
	struct vb_results_file phases, exits;
	char dir[4096];
	int write_err;                      /* first -errno, writer-owned */
	uint64_t rows, failed_rows;         /* writer-owned */
	struct vb_u64vec samples[VB_PHASE_COUNT];
	struct vb_summary summary[VB_PHASE_COUNT];
	bool keep, drained;
	atomic_int writer_tid;
	struct vb_record *kept;             /* VB_SINK_KEEP, writer-owned */
	bool sched;                         /* VB_SINK_SCHED */
	size_t nkept, kept_cap;
};

const char *vb_status_name(int err)
{
	static _Thread_local char buf[16];
	const char *name;

	if (err == 0)
		return "ok";
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static void slab_put(struct vb_slab *slab)
{
	if (atomic_fetch_sub_explicit(&slab->pending, 1, memory_order_acq_rel) == 1)
		free(slab);
}

/* Print an id column: empty where the phase has no such id. */
static void put_id(FILE *f, int32_t id)
{
	if (id >= 0)
		fprintf(f, "%" PRId32, id);
}

static void write_phase_row(struct vb_sink *s, const struct vb_record *r, uint64_t kernel_ns)
{
	FILE *f = s->phases.f;

	put_id(f, r->iteration);
	fputc(',', f);
	put_id(f, r->vm);
	fputc(',', f);
	put_id(f, r->vcpu);
	fprintf(f, ",%" PRId32 ",", r->tid);
	put_id(f, r->cpu);
	fprintf(f, ",%s,%" PRIu64 ",%" PRIu64 ",%s", vb_phase_name[r->phase], r->start_ns,
		r->duration_ns, vb_status_name(r->err));
	if (s->keep && kernel_ns != UINT64_MAX)
		fprintf(f, ",%" PRIu64, kernel_ns);
	else if (s->keep)
		fputc(',', f);
	if (s->sched && r->has_sched)
		fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%d",
			r->sched.oncpu_ns, r->sched.runq_ns, r->sched.nvcsw, r->sched.nivcsw,
			r->sched.minflt, r->sched.majflt, r->sched.migrated);
	else if (s->sched)
		fputs(",,,,,,,", f);
	fputc('\n', f);
}

static int keep_row(struct vb_sink *s, const struct vb_record *r)
{
	if (s->nkept == s->kept_cap) {
		size_t cap = s->kept_cap ? 2 * s->kept_cap : 1024;
		struct vb_record *k = realloc(s->kept, cap * sizeof(*k));

		if (!k)
			return -ENOMEM;
		s->kept = k;
		s->kept_cap = cap;
	}
	s->kept[s->nkept++] = *r;
	return 0;
}

static void write_exit_row(struct vb_sink *s, const struct vb_record *r)
{
	const char *reason = vb_exit_reason_name(r->exit_reason);

	fprintf(s->exits.f, "%" PRId32 ",%" PRId32 ",%" PRId32 ",%" PRIu32 ",", r->iteration,
		r->vm, r->vcpu, r->seq);
	if (reason)
		fputs(reason, s->exits.f);
	else
		fprintf(s->exits.f, "%" PRIu32, r->exit_reason);
	fprintf(s->exits.f, ",%" PRIu64 "\n", r->duration_ns);
}

static void consume(struct vb_sink *s, struct vb_record *r)
{
	bool is_exit;

	QUEUE_ACQUIRE(r);
	is_exit = r->phase == VB_PHASE_FIRST_RUN || r->phase == VB_PHASE_EXIT ||
		  r->phase == VB_PHASE_SIPI_SEND;
	s->rows++;
	if (r->err)
		s->failed_rows++;
	else if (vb_u64vec_push(&s->samples[r->phase], r->duration_ns) && !s->write_err)
		s->write_err = -ENOMEM;
	if (s->keep && keep_row(s, r) && !s->write_err)
		s->write_err = -ENOMEM;
	if (!s->write_err) {
		if (!s->keep)
			write_phase_row(s, r, UINT64_MAX);
		if (is_exit && !r->err)
			write_exit_row(s, r);
		if (ferror(s->phases.f) || ferror(s->exits.f))
			s->write_err = errno ? -errno : -EIO;
	}
	slab_put(r->slab);
}

static void drain(struct vb_sink *s)
{
	struct __cds_wfcq_head head;
	struct cds_wfcq_tail tail;
	struct cds_wfcq_node *node, *next;

	__cds_wfcq_init(&head, &tail);
	/* Single consumer: the unlocked splice is allowed (see header). */
	if (__cds_wfcq_splice_blocking(&head, &tail, &s->head, &s->tail) == CDS_WFCQ_RET_SRC_EMPTY)
		return;
	__cds_wfcq_for_each_blocking_safe(&head, &tail, node, next)
		consume(s, caa_container_of(node, struct vb_record, node));
}

static void init_wake(struct vb_sink *s)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&s->wake_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* deadlines immune to clock steps */
	pthread_cond_init(&s->wake, &ca);
	pthread_condattr_destroy(&ca);
}

/* Sleep one poll period, or less when close wakes us. */
static void writer_sleep(struct vb_sink *s)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += WRITER_POLL_NS;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->wake_lock);
	if (!atomic_load_explicit(&s->closing, memory_order_acquire))
		pthread_cond_timedwait(&s->wake, &s->wake_lock, &until);
	pthread_mutex_unlock(&s->wake_lock);
}

static void *writer_main(void *arg)
{
	struct vb_sink *s = arg;

	atomic_store(&s->writer_tid, gettid());
	while (!atomic_load_explicit(&s->closing, memory_order_acquire)) {
		drain(s);
		writer_sleep(s);
	}
	drain(s);
	return NULL;
}

static int start_writer(struct vb_sink *s)
{
	return -vb_thread_start(&s->writer, writer_main, s, "vb-writer");
}

struct vb_sink *vb_sink_open(const char *dir, unsigned flags)
{
	struct vb_sink *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return NULL;
	__cds_wfcq_init(&s->head, &s->tail);
	init_wake(s);
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	r = vb_results_file_open(&s->phases, dir, "phases.csv", CSV_BUFFER);
	if (r)
		goto err_free;
	r = vb_results_file_open(&s->exits, dir, "exits.csv", CSV_BUFFER);
	if (r)
		goto err_phases;
	s->keep = flags & VB_SINK_KEEP;
	s->sched = flags & VB_SINK_SCHED;
	fputs(s->keep ? VB_PHASES_TRACED_CSV_HEADER : VB_PHASES_CSV_HEADER, s->phases.f);
	fputs(s->sched ? VB_PHASES_SCHED_CSV_COLUMNS "\n" : "\n", s->phases.f);
	fputs(VB_EXITS_CSV_HEADER "\n", s->exits.f);
	r = start_writer(s);
	if (r)
		goto err_exits;
	return s;

err_exits:
	vb_results_file_abort(&s->exits);
err_phases:
	vb_results_file_abort(&s->phases);
err_free:
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->wake_lock);
	free(s);
	errno = -r;
	return NULL;
}

static int write_summary(struct vb_sink *s)
{
	struct vb_results_file rf;
	int r = vb_results_file_open(&rf, s->dir, "summary.csv", 0);

	if (r)
		return r;
	fputs(VB_SUMMARY_CSV_HEADER "\n", rf.f);
	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		const struct vb_summary *m = &s->summary[p];

		if (m->n == 0)
			continue;
		fprintf(rf.f,
			"%s,%zu,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%.0f,%.0f\n",
			vb_phase_name[p], m->n, m->min, m->p50, m->p90, m->p99, m->p999, m->max,
			m->mean, m->stddev);
	}
	return vb_results_file_commit(&rf);
}

void vb_sink_drain(struct vb_sink *s)
{
	if (s->drained)
		return;
	pthread_mutex_lock(&s->wake_lock);
	atomic_store_explicit(&s->closing, true, memory_order_release);
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->wake_lock);
	pthread_join(s->writer, NULL);
	s->drained = true;
}

int vb_sink_writer_tid(const struct vb_sink *s)
{
	return atomic_load(&((struct vb_sink *)s)->writer_tid);
}

const struct vb_record *vb_sink_kept(const struct vb_sink *s, size_t *n)
{
	*n = s->nkept;
	return s->kept;
}

int vb_sink_close(struct vb_sink *s, const uint64_t *kernel_ns)
{
	int r;

	vb_sink_drain(s);
	for (size_t i = 0; i < s->nkept && !s->write_err; i++) {
		write_phase_row(s, &s->kept[i], kernel_ns ? kernel_ns[i] : UINT64_MAX);
		if (ferror(s->phases.f))
			s->write_err = errno ? -errno : -EIO;
	}
	for (int p = 0; p < VB_PHASE_COUNT; p++)
		vb_stats_summarize(s->samples[p].v, s->samples[p].n, &s->summary[p]);
	if (s->write_err) {
		vb_results_file_abort(&s->phases);
		vb_results_file_abort(&s->exits);
		return s->write_err;
	}
	r = vb_results_file_commit(&s->phases);
	if (r) {
		vb_results_file_abort(&s->exits);
		return r;
	}
	r = vb_results_file_commit(&s->exits);
	return r ? r : write_summary(s);
}

void vb_sink_free(struct vb_sink *s)
{
	if (!s)
		return;
	for (int p = 0; p < VB_PHASE_COUNT; p++)
		vb_u64vec_release(&s->samples[p]);
	free(s->kept);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->wake_lock);
	free(s);
}

const struct vb_summary *vb_sink_summary(const struct vb_sink *s, enum vb_phase phase)
{
	return &s->summary[phase];
}

uint64_t vb_sink_rows(const struct vb_sink *s)
{
	return s->rows;
}

uint64_t vb_sink_failed_rows(const struct vb_sink *s)
{
	return s->failed_rows;
}

void vb_producer_init(struct vb_producer *p, struct vb_sink *s)
{
	*p = (struct vb_producer){ .sink = s };
}

static int producer_refill(struct vb_producer *p)
{
	struct vb_slab *slab = malloc(sizeof(*slab));

	if (!slab)
		return -ENOMEM;
	atomic_init(&slab->pending, 1);
	slab->used = 0;
	vb_producer_release(p);
	p->slab = slab;
	return 0;
}

int vb_producer_prepare(struct vb_producer *p)
{
	return p->slab ? 0 : producer_refill(p);
}

struct vb_record *vb_producer_record(struct vb_producer *p)
{
	struct vb_record *r;

	if ((!p->slab || p->slab->used == SLAB_RECORDS) && producer_refill(p))
		return NULL;
	r = &p->slab->rec[p->slab->used++];
	*r = (struct vb_record){ .slab = p->slab };
	cds_wfcq_node_init(&r->node);
	return r;
}

void vb_producer_push(struct vb_producer *p, struct vb_record *r)
{
	atomic_fetch_add_explicit(&r->slab->pending, 1, memory_order_relaxed);
	QUEUE_RELEASE(r);
	cds_wfcq_enqueue(&p->sink->head, &p->sink->tail, &r->node);
}

void vb_producer_release(struct vb_producer *p)
{
	if (p->slab)
		slab_put(p->slab);
	p->slab = NULL;
}
