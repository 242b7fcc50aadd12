/* Private to trace.c (instance, reader) and trace_decode.c (decoding and
 * reporting what was captured). */
#ifndef VB_TRACE_PRIV_H
#define VB_TRACE_PRIV_H

#include <event-parse.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <tracefs.h>

#include "pagestore.h"
#include "trace.h"

struct cpu_stream {
	struct tracefs_cpu *tcpu;
	int cpu;
	uint64_t lost;      /* since the last (re)start */
	uint64_t lost_base; /* the buffer's cumulative count at that (re)start */
};

struct event_id {
	char *system, *name;
};

struct vb_trace {
	struct tracefs_instance *inst;
	char name[64];
	struct tep_handle *tep;
	struct event_id *events;   /* enabled */
	size_t nevents;
	char **enable;             /* "events/kvm/enable", one per selected item */
	size_t nenable;
	char *skipped;             /* "a:b, c:d" or NULL */
	struct cpu_stream *cpus;
	int ncpus, subbuf_size;
	void *buf;                 /* the reader's scratch page */
	struct vb_pagestore store; /* pages read, tagged with their cpus[] index */
	pthread_t reader, remover;
	atomic_int reader_tid;
	bool reader_started, remover_started;
	pthread_mutex_t inst_lock; /* inst and its buffers: stop/remover vs emergency */
	pthread_mutex_t reader_lock; /* joining the reader: stop/free vs emergency */
	atomic_bool stopping;
	pthread_mutex_t wake_lock; /* stopping and wake: stop vs the reader's sleep */
	pthread_cond_t wake;
	int read_err;
	size_t buffer_kib;
	uint64_t startup_ns, lost;
	unsigned restarts;         /* vb_trace_resume() calls: sweep points after the first */
	bool paused, stopped;
};

#define VB_TRACE_INSTANCE_PREFIX "vcpubench-"

/* snprintf into @err (trace.c). */
void vb_trace_fail(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* trace_select.c: remove the instances of runs whose process is gone;
 * fill t->events, t->enable and t->skipped from @spec (0, -ENOENT when
 * nothing of it exists here, -ENOMEM); parse the formats of t->events
 * into t->tep (0 or -errno, a reason in @err). */
void vb_trace_remove_stale(void);
int vb_trace_select(struct vb_trace *t, const char *spec, char *err, size_t len);
int vb_trace_load_formats(struct vb_trace *t, char *err, size_t len);

#endif
