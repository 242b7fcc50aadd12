/* Kernel tracing of a run through a private tracefs instance (libtracefs).
 *
 * vb_trace_start() creates an instance of its own (never the top-level
 * buffer or another tool's instance), sets its clock to mono_raw (the
 * clock of the phase records), sizes its per-CPU buffers, restricts events
 * to this process and the threads it creates (set_event_pid + event-fork),
 * enables the requested events and starts a reader thread that drains every
 * CPU's buffer while the run goes on. Only raw buffer pages are copied while
 * the run goes on; decoding (libtraceevent) happens after vb_trace_stop(),
 * so tracing adds as little as possible to what it observes.
 *
 * Concurrency: start/stop/free/for_each are called by one controlling
 * thread. vb_trace_emergency() may be called from any thread while the
 * reader runs (on a second SIGINT) and leaves the process to exit. */
#ifndef VB_TRACE_H
#define VB_TRACE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct vb_trace;
struct tep_event;
struct tep_record;
struct trace_seq;

/* What --trace selects when given no list. */
#define VB_TRACE_DEFAULT_EVENTS "kvm,kvmmmu,syscalls:sys_enter_ioctl,syscalls:sys_exit_ioctl"

/* Start tracing @events (a comma list of SYSTEM or SYSTEM:EVENT; NULL for
 * the default) with @buffer_kib per CPU. Events the host lacks are skipped
 * and listed by vb_trace_skipped(). Returns NULL on failure with a one-line
 * reason in @err, errno set (ENOENT: none of @events exists on this host),
 * and nothing left behind. */
#define VB_TRACEFS_DEFAULT "/sys/kernel/tracing"

/* 0 when this user may create tracefs instances; else -errno and, in @err,
 * the directory and what to do (root, or tracefs access). */
int vb_trace_check_access(char *err, size_t len);

struct vb_trace *vb_trace_start(const char *events, size_t buffer_kib, char *err, size_t errlen);

/* Stop recording, drain every CPU and stop the reader; the instance is
 * then removed on a thread (vb_trace_free() waits for it). 0 or -errno.
 * After vb_trace_pause() it only removes the instance. */
int vb_trace_stop(struct vb_trace *t);

/* For runs one after another in one process (--sweep): vb_trace_pause()
 * stops recording, drains every CPU and stops the reader like
 * vb_trace_stop() but keeps the instance as it is (clock, buffers, pid
 * list, events), so that the next run pays none of its set-up (grace
 * periods: tens of ms). What was captured can be decoded until
 * vb_trace_resume(), which forgets it, counts lost events from zero again
 * and starts recording and the reader. 0 or -errno. */
int vb_trace_pause(struct vb_trace *t);
int vb_trace_resume(struct vb_trace *t, char *err, size_t errlen);

/* Remove the instance (if still there) and free everything. NULL is fine. */
void vb_trace_free(struct vb_trace *t);

/* Last resort before _exit(): stop recording, close the buffers and remove
 * the instance. Not async-signal-safe; call from a normal thread. */
void vb_trace_emergency(struct vb_trace *t);

/* The reader thread's tid, to attribute its own events (it allocates). */
int vb_trace_reader_tid(const struct vb_trace *t);

/* "kvm:kvm_entry, ..." of requested events not on this host, or NULL. */
const char *vb_trace_skipped(const struct vb_trace *t);

/* One decoded event, valid during the callback. */
struct vb_trace_event {
	uint64_t ts;            /* mono_raw ns */
	int cpu, tid;
	const char *system, *name;
	struct tep_event *event;
	struct tep_record *record;
};

/* Decode every captured event (after vb_trace_stop()) in per-CPU time
 * order and call @fn; a non-zero return stops and is returned. */
int vb_trace_for_each(struct vb_trace *t, int (*fn)(void *ctx, const struct vb_trace_event *e),
		      void *ctx);

/* Append the event's fields as "name=value name=value" to @s. */
void vb_trace_event_fields(const struct vb_trace_event *e, struct trace_seq *s);

/* Lost events (ring-buffer overruns and drops, per CPU and total) are
 * known after vb_trace_stop(). */
uint64_t vb_trace_lost(const struct vb_trace *t);

/* The tracing state for meta.json: instance, clock, buffer size, events
 * enabled and skipped, start-up cost, pages and bytes read, lost events
 * per CPU. A new reference. */
json_t *vb_trace_json(const struct vb_trace *t);

/* For `vcpubench info`: whether tracing can be used here and why not, and
 * the events of the default systems this host offers. A new reference. */
json_t *vb_trace_host_json(void);

#endif
