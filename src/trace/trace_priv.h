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
	uint64_t lost;
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
	int read_err;
	size_t buffer_kib;
	uint64_t startup_ns, lost;
	bool stopped;
};

#endif
