/* The record queue under contention: N producer threads push concurrently
 * into one sink; the writer must write every record exactly once, each
 * producer's records in push order, and free every slab (ASan checks).
 * Half the producers are prepared on the main thread, as the runner does
 * (their first slab taken there), one of them never records at all. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "results.h"
#include "sink.h"

#define PRODUCERS 16
#define PER_PRODUCER 20000 /* > one slab, so slabs are freed mid-run */

static struct vb_sink *sink;
static struct vb_producer prods[PRODUCERS];
static pthread_barrier_t start;

static void *producer(void *arg)
{
	int id = (int)(long)arg;
	struct vb_producer p = prods[id];

	if (id % 2)
		vb_producer_init(&p, sink);
	pthread_barrier_wait(&start);
	for (int i = 0; i < PER_PRODUCER; i++) {
		struct vb_record *r = vb_producer_record(&p);

		if (!r)
			abort();
		r->iteration = i;          /* push order, checked by the reader */
		r->vm = id;
		r->vcpu = 0;
		r->tid = id;
		r->cpu = -1;
		r->phase = VB_PHASE_VCPU_FPU;
		r->start_ns = (uint64_t)i;
		r->duration_ns = (uint64_t)(i % 100) + 1;
		r->err = (i % 1000 == 999) ? 22 : 0; /* some EINVAL rows */
		vb_producer_push(&p, r);
	}
	vb_producer_release(&p);
	return NULL;
}

static void check_phases_csv(const char *dir)
{
	char path[512], line[256];
	int next[PRODUCERS] = { 0 };
	long rows = 0, einval = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fgets(line, sizeof(line), f) && strcmp(line, VB_PHASES_CSV_HEADER "\n") == 0);
	while (fgets(line, sizeof(line), f)) {
		int it, vm, vcpu, tid;
		char status[32];

		CHECK(sscanf(line, "%d,%d,%d,%d,,vcpu_fpu,%*u,%*u,%31s", &it, &vm, &vcpu, &tid,
			     status) == 5);
		CHECK(vm >= 0 && vm < PRODUCERS);
		if (vm < 0 || vm >= PRODUCERS)
			continue;
		CHECK(it == next[vm]); /* in push order per producer */
		next[vm] = it + 1;
		einval += strcmp(status, "EINVAL") == 0;
		rows++;
	}
	fclose(f);
	CHECK_EQ_U64(rows, PRODUCERS * PER_PRODUCER);
	CHECK_EQ_U64(einval, PRODUCERS * (PER_PRODUCER / 1000));
}

int main(void)
{
	char dir[] = "/tmp/vb-test-sink-XXXXXX";
	pthread_t t[PRODUCERS];
	const struct vb_summary *s;

	CHECK(mkdtemp(dir) != NULL);
	sink = vb_sink_open(dir, 0);
	CHECK(sink != NULL);
	if (!sink)
		return vb_check_exit();
	pthread_barrier_init(&start, NULL, PRODUCERS);
	for (int i = 0; i < PRODUCERS; i += 2) {
		vb_producer_init(&prods[i], sink);
		CHECK(vb_producer_prepare(&prods[i]) == 0);
		CHECK(vb_producer_prepare(&prods[i]) == 0); /* keeps the slab it has */
	}
	{
		struct vb_producer idle;

		vb_producer_init(&idle, sink);
		CHECK(vb_producer_prepare(&idle) == 0);
		vb_producer_release(&idle); /* frees the unused slab (ASan: no leak) */
	}
	for (long i = 0; i < PRODUCERS; i++)
		pthread_create(&t[i], NULL, producer, (void *)i);
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(t[i], NULL);
	CHECK(vb_sink_close(sink, NULL) == 0);
	CHECK_EQ_U64(vb_sink_rows(sink), PRODUCERS * PER_PRODUCER);
	CHECK_EQ_U64(vb_sink_failed_rows(sink), PRODUCERS * (PER_PRODUCER / 1000));
	s = vb_sink_summary(sink, VB_PHASE_VCPU_FPU);
	CHECK_EQ_U64(s->n, PRODUCERS * (PER_PRODUCER - PER_PRODUCER / 1000));
	CHECK_EQ_U64(s->min, 1);
	CHECK_EQ_U64(s->max, 100);
	CHECK_EQ_U64(vb_sink_summary(sink, VB_PHASE_VCPU_MSRS)->n, 0);
	check_phases_csv(dir);
	vb_sink_free(sink);
	/* A second sink in the same directory must refuse: files are exclusive. */
	CHECK(vb_sink_open(dir, 0) == NULL);
	return vb_check_exit();
}
