/* Decoding what the trace reader captured, and the tracing state as JSON
 * (trace.h). */
#include <errno.h>
#include <kbuffer.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "trace_priv.h"

struct walk {
	struct vb_trace *t;
	struct kbuffer *kbuf;
	int (*fn)(void *ctx, const struct vb_trace_event *e);
	void *ctx;
};

/* Decode one captured page of t->cpus[@tag]. Events the kernel dropped
 * before a page are counted in lost already (the buffer's stats file). */
static int decode_page(void *arg, uint32_t tag, void *page, uint32_t len)
{
	struct walk *w = arg;
	int cpu = w->t->cpus[tag].cpu;
	unsigned long long ts;
	void *data;

	if (kbuffer_load_subbuffer(w->kbuf, page) < 0)
		return -EIO;
	for (data = kbuffer_read_event(w->kbuf, &ts); data; data = kbuffer_next_event(w->kbuf, &ts)) {
		struct tep_record rec = { .ts = ts, .cpu = cpu, .data = data,
					  .size = kbuffer_event_size(w->kbuf) };
		struct tep_event *ev = tep_find_event(w->t->tep, tep_data_type(w->t->tep, &rec));
		struct vb_trace_event e = { .ts = ts, .cpu = cpu, .record = &rec, .event = ev };
		int r;

		if ((char *)data >= (char *)page + len)
			break;
		if (!ev)
			continue; /* not an event we enabled: cannot happen, skip */
		e.tid = tep_data_pid(w->t->tep, &rec);
		e.system = ev->system;
		e.name = ev->name;
		r = w->fn(w->ctx, &e);
		if (r)
			return r;
	}
	return 0;
}

int vb_trace_for_each(struct vb_trace *t, int (*fn)(void *ctx, const struct vb_trace_event *e),
		      void *ctx)
{
	struct walk w = { t, tep_kbuffer(t->tep), fn, ctx };
	int r;

	if (!w.kbuf)
		return -ENOMEM;
	r = vb_pagestore_for_each(&t->store, decode_page, &w);
	kbuffer_free(w.kbuf);
	return r;
}

void vb_trace_event_fields(const struct vb_trace_event *e, struct trace_seq *s)
{
	tep_record_print_fields(s, e->record, e->event);
}

json_t *vb_trace_json(const struct vb_trace *t)
{
	json_t *o = json_object(), *ev = json_array(), *lost = json_object();

	for (size_t i = 0; i < t->nevents; i++) {
		char name[256];

		snprintf(name, sizeof(name), "%s:%s", t->events[i].system, t->events[i].name);
		json_array_append_new(ev, json_string(name));
	}
	for (int i = 0; i < t->ncpus; i++) {
		char cpu[16];

		snprintf(cpu, sizeof(cpu), "%d", t->cpus[i].cpu);
		json_object_set_new(lost, cpu, json_integer((json_int_t)t->cpus[i].lost));
	}
	json_object_set_new(o, "enabled", json_true());
	json_object_set_new(o, "instance", json_string(t->name));
	json_object_set_new(o, "clock", json_string("mono_raw"));
	json_object_set_new(o, "buffer_kib_per_cpu", json_integer((json_int_t)t->buffer_kib));
	json_object_set_new(o, "events", ev);
	json_object_set_new(o, "skipped", t->skipped ? json_string(t->skipped) : json_null());
	json_object_set_new(o, "startup_ns", json_integer((json_int_t)t->startup_ns));
	/* --sweep: points after the first record into the first point's
	 * instance, already set up; startup_ns is then only the restart. */
	json_object_set_new(o, "instance_reused", json_boolean(t->restarts > 0));
	json_object_set_new(o, "pages_read", json_integer((json_int_t)t->store.pages));
	json_object_set_new(o, "bytes_read", json_integer((json_int_t)t->store.bytes));
	json_object_set_new(o, "events_lost", json_integer((json_int_t)t->lost));
	json_object_set_new(o, "events_lost_per_cpu", lost);
	return o;
}

json_t *vb_trace_host_json(void)
{
	static const char *const systems[] = { "kvm", "kvmmmu" };
	json_t *o = json_object(), *ev = json_array();
	char why[512];
	bool ok = vb_trace_check_access(why, sizeof(why)) == 0;
	const char *dir = tracefs_tracing_dir();

	json_object_set_new(o, "tracefs", dir ? json_string(dir) : json_null());
	json_object_set_new(o, "possible", json_boolean(ok));
	/* The same words as run --trace would print, without its option name. */
	if (!ok)
		json_object_set_new(o, "why_not",
				    json_string(strncmp(why, "--trace: ", 9) ? why : why + 9));
	for (size_t s = 0; ok && s < sizeof(systems) / sizeof(systems[0]); s++) {
		char **list = tracefs_system_events(NULL, systems[s]);

		for (char **e = list; e && *e; e++) {
			char name[256];

			snprintf(name, sizeof(name), "%s:%s", systems[s], *e);
			json_array_append_new(ev, json_string(name));
		}
		tracefs_list_free(list);
	}
	json_object_set_new(o, "events", ev);
	return o;
}
