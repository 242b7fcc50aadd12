/* events.csv, trace_summary.csv and kernel_ns (trace_results.h). */
#include "trace_results.h"

#include <errno.h>
#include <event-parse.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <trace-seq.h>

#include "attrib.h"
#include "csv.h"
#include "phase.h"
#include "results.h"
#include "stats.h"

/* Event types seen, in order of first appearance (a handful). */
struct etype {
	const char *system, *name; /* owned by the tep handle */
	uint64_t count[VB_PHASE_COUNT + 2]; /* + between phases, + tool threads */
	struct vb_u64vec gaps;     /* first_run timeline */
};

struct collected {
	struct vb_tevent *ev;
	uint32_t *type;     /* index into types */
	uint16_t *cpu;
	size_t *fields;     /* offset into arena */
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	struct etype *types;
	size_t ntypes;
	struct trace_seq seq;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 1024;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

static int type_index(struct collected *c, const struct vb_trace_event *e, uint32_t *out)
{
	for (size_t i = 0; i < c->ntypes; i++)
		if (c->types[i].name == e->name && c->types[i].system == e->system) {
			*out = (uint32_t)i;
			return 0;
		}
	struct etype *t = realloc(c->types, (c->ntypes + 1) * sizeof(*t));

	if (!t)
		return -ENOMEM;
	c->types = t;
	c->types[c->ntypes] = (struct etype){ .system = e->system, .name = e->name };
	*out = (uint32_t)c->ntypes++;
	return 0;
}

static int collect(void *ctx, const struct vb_trace_event *e)
{
	struct collected *c = ctx;
	size_t cap = c->cap, len;
	uint8_t kind = VB_EVENT_OTHER;

	if (strcmp(e->system, "syscalls") == 0)
		kind = strcmp(e->name, "sys_enter_ioctl") == 0 ? VB_EVENT_IOCTL_ENTER
		       : strcmp(e->name, "sys_exit_ioctl") == 0 ? VB_EVENT_IOCTL_EXIT
								  : VB_EVENT_OTHER;
	if (grow((void **)&c->ev, &cap, c->n + 1, sizeof(*c->ev)) ||
	    grow((void **)&c->type, &(size_t){ c->cap }, cap, sizeof(*c->type)) ||
	    grow((void **)&c->cpu, &(size_t){ c->cap }, cap, sizeof(*c->cpu)) ||
	    grow((void **)&c->fields, &(size_t){ c->cap }, cap, sizeof(*c->fields)))
		return -ENOMEM;
	c->cap = cap;
	c->ev[c->n] = (struct vb_tevent){ .ts = e->ts, .tid = e->tid, .kind = kind };
	c->cpu[c->n] = (uint16_t)e->cpu;
	if (type_index(c, e, &c->type[c->n]))
		return -ENOMEM;
	trace_seq_reset(&c->seq);
	vb_trace_event_fields(e, &c->seq);
	trace_seq_terminate(&c->seq);
	const char *text = c->seq.buffer + strspn(c->seq.buffer, " ");

	len = strlen(text) + 1;
	if (grow((void **)&c->arena, &c->acap, c->alen + len, 1))
		return -ENOMEM;
	memcpy(c->arena + c->alen, text, len);
	c->fields[c->n++] = c->alen;
	c->alen += len;
	return 0;
}

static void collected_release(struct collected *c)
{
	free(c->ev);
	free(c->type);
	free(c->cpu);
	free(c->fields);
	free(c->arena);
	for (size_t i = 0; i < c->ntypes; i++)
		vb_u64vec_release(&c->types[i].gaps);
	free(c->types);
	trace_seq_destroy(&c->seq);
}

static bool is_window(enum vb_phase p)
{
	return p != VB_PHASE_VCPU_SETUP_TOTAL && p != VB_PHASE_BOOT_TOTAL && p != VB_PHASE_VM_BOOT &&
	       p != VB_PHASE_AP_WAKE;
}

static struct vb_window *make_windows(const struct vb_record *rows, size_t n)
{
	struct vb_window *w = malloc((n ? n : 1) * sizeof(*w));

	for (size_t i = 0; w && i < n; i++)
		w[i] = (struct vb_window){ rows[i].start_ns, rows[i].start_ns + rows[i].duration_ns,
					   is_window(rows[i].phase) ? rows[i].tid : -1 };
	return w; /* derived phases get tid -1: no event is ever attributed to them */
}

static void put_id(FILE *f, int32_t id)
{
	if (id >= 0)
		fprintf(f, "%" PRId32, id);
	fputc(',', f);
}

static void write_event(FILE *f, const struct collected *c, size_t i, const struct vb_record *rows,
			const struct vb_attribution *a, const struct vb_tool_thread *tools)
{
	const struct vb_tevent *e = &c->ev[i];
	const struct etype *t = &c->types[c->type[i]];
	const struct vb_record *w = a->window >= 0 && a->place != VB_PLACE_TOOL ? &rows[a->window]
										   : NULL;
	static const struct vb_record none = { .iteration = -1, .vm = -1, .vcpu = -1 };

	if (!w)
		w = &none;
	fprintf(f, "%" PRIu64 ",%u,%" PRId32 ",", e->ts, c->cpu[i], e->tid);
	put_id(f, w->vm);
	put_id(f, w->vcpu);
	put_id(f, w->iteration);
	if (a->place == VB_PLACE_INSIDE)
		fputs(vb_phase_name[w->phase], f);
	else if (a->place == VB_PLACE_BETWEEN)
		fprintf(f, "between%s%s", a->window >= 0 ? ":" : "",
			a->window >= 0 ? vb_phase_name[w->phase] : "");
	else if (a->place == VB_PLACE_TOOL)
		fprintf(f, "tool:%s", tools[a->window].name);
	fprintf(f, ",%s,%s,", t->system, t->name);
	vb_csv_write_field(f, c->arena + c->fields[i]);
	fputc('\n', f);
}

static const struct collected *sort_c;

static int cmp_ts(const void *a, const void *b)
{
	uint64_t x = sort_c->ev[*(const size_t *)a].ts, y = sort_c->ev[*(const size_t *)b].ts;

	return (x > y) - (x < y);
}

/* Count per phase and event type; the first_run timeline's gaps. Events
 * are visited in time order, so "previous event" is well defined. */
static int summarize(struct collected *c, const size_t *order, const struct vb_record *rows,
		     size_t nrows, const struct vb_attribution *a)
{
	uint64_t *last = malloc((nrows ? nrows : 1) * sizeof(*last));

	if (!last)
		return -ENOMEM;
	for (size_t i = 0; i < nrows; i++)
		last[i] = rows[i].start_ns;
	for (size_t k = 0; k < c->n; k++) {
		size_t i = order[k];
		struct etype *t = &c->types[c->type[i]];

		if (a[i].place == VB_PLACE_BETWEEN)
			t->count[VB_PHASE_COUNT]++;
		if (a[i].place == VB_PLACE_TOOL)
			t->count[VB_PHASE_COUNT + 1]++;
		if (a[i].place != VB_PLACE_INSIDE)
			continue;
		const struct vb_record *w = &rows[a[i].window];

		t->count[w->phase]++;
		if (w->phase == VB_PHASE_FIRST_RUN) {
			if (vb_u64vec_push(&t->gaps, c->ev[i].ts - last[a[i].window]))
				return free(last), -ENOMEM;
			last[a[i].window] = c->ev[i].ts;
		}
	}
	free(last);
	return 0;
}

static int write_events_csv(const char *dir, const struct collected *c, const size_t *order,
			    const struct vb_record *rows, const struct vb_attribution *a,
			    const struct vb_tool_thread *tools)
{
	struct vb_results_file rf;
	int r = vb_results_file_open(&rf, dir, "events.csv", 1u << 20);

	if (r)
		return r;
	fputs(VB_EVENTS_CSV_HEADER "\n", rf.f);
	for (size_t k = 0; k < c->n; k++)
		write_event(rf.f, c, order[k], rows, &a[order[k]], tools);
	return vb_results_file_commit(&rf);
}

static void summary_row(FILE *f, json_t *rows, const char *phase, struct etype *t, uint64_t count,
			uint64_t instances, bool timeline)
{
	struct vb_summary g = { 0 };
	json_t *row;

	if (timeline)
		vb_stats_summarize(t->gaps.v, t->gaps.n, &g);
	fprintf(f, "%s,%s,%s,%" PRIu64 ",", phase, t->system, t->name, count);
	if (instances)
		fprintf(f, "%" PRIu64 ",%.3f,", instances, (double)count / (double)instances);
	else
		fputs(",,", f);
	if (g.n)
		fprintf(f, "%" PRIu64 ",%" PRIu64 "\n", g.p50, g.p99);
	else
		fputs(",\n", f);
	row = json_pack("{ss ss ss sI}", "phase", phase, "system", t->system, "event", t->name,
			"count", (json_int_t)count);
	if (instances)
		json_object_set_new(row, "per_instance",
				    json_real((double)count / (double)instances));
	if (g.n) {
		json_object_set_new(row, "gap_p50_ns", json_integer((json_int_t)g.p50));
		json_object_set_new(row, "gap_p99_ns", json_integer((json_int_t)g.p99));
	}
	json_array_append_new(rows, row);
}

static int write_summary_csv(const char *dir, struct collected *c, const struct vb_record *rows,
			     size_t nrows, json_t *json)
{
	uint64_t instances[VB_PHASE_COUNT] = { 0 };
	json_t *jrows = json_array();
	struct vb_results_file rf;
	int r = vb_results_file_open(&rf, dir, "trace_summary.csv", 0);

	if (r)
		return json_decref(jrows), r;
	for (size_t i = 0; i < nrows; i++)
		instances[rows[i].phase]++;
	fputs(VB_TRACE_SUMMARY_CSV_HEADER "\n", rf.f);
	for (int p = 0; p <= VB_PHASE_COUNT + 1; p++)
		for (size_t k = 0; k < c->ntypes; k++)
			if (c->types[k].count[p])
				summary_row(rf.f, jrows,
					    p < VB_PHASE_COUNT    ? vb_phase_name[p]
					    : p == VB_PHASE_COUNT ? "between"
								  : "tool",
					    &c->types[k], c->types[k].count[p],
					    p < VB_PHASE_COUNT ? instances[p] : 0,
					    p == VB_PHASE_FIRST_RUN);
	json_object_set_new(json, "summary", jrows);
	return vb_results_file_commit(&rf);
}

/* The tool's clock against the kernel's: per ioctl phase, how much longer
 * the userspace window is than the time inside the ioctl syscalls. */
static void clock_check(const struct vb_record *rows, size_t n, const uint64_t *kernel_ns,
			json_t *json)
{
	struct vb_u64vec d[VB_PHASE_COUNT] = { 0 };
	uint64_t negative = 0;
	json_t *o = json_object();

	for (size_t i = 0; i < n; i++) {
		if (kernel_ns[i] == UINT64_MAX)
			continue;
		if (kernel_ns[i] > rows[i].duration_ns)
			negative++;
		else
			vb_u64vec_push(&d[rows[i].phase], rows[i].duration_ns - kernel_ns[i]);
	}
	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		struct vb_summary s;

		if (!d[p].n)
			continue;
		vb_stats_summarize(d[p].v, d[p].n, &s);
		json_object_set_new(o, vb_phase_name[p],
				    json_pack("{sI sI sI sI}", "n", (json_int_t)s.n, "p50_ns",
					      (json_int_t)s.p50, "p99_ns", (json_int_t)s.p99,
					      "max_ns", (json_int_t)s.max));
		vb_u64vec_release(&d[p]);
	}
	json_object_set_new(o, "kernel_longer_than_user", json_integer((json_int_t)negative));
	json_object_set_new(json, "clock_check", o);
}

static void attribution_json(const struct collected *c, const struct vb_attribution *a, json_t *json)
{
	uint64_t n[4] = { 0 };

	for (size_t i = 0; i < c->n; i++)
		n[a[i].place]++;
	json_object_set_new(json, "attribution",
			    json_pack("{sI sI sI sI sI sf}", "events", (json_int_t)c->n, "inside",
				      (json_int_t)n[VB_PLACE_INSIDE], "between",
				      (json_int_t)n[VB_PLACE_BETWEEN], "tool_threads",
				      (json_int_t)n[VB_PLACE_TOOL], "unattributed",
				      (json_int_t)n[VB_PLACE_NONE], "attributed_fraction",
				      c->n ? 1.0 - (double)n[VB_PLACE_NONE] / (double)c->n : 1.0));
}

/* Events of threads with no phase window that are the tool's own. */
static void mark_tools(const struct collected *c, struct vb_attribution *a,
		       const struct vb_tool_thread *tools, size_t ntools)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t k = 0; a[i].place == VB_PLACE_NONE && k < ntools; k++)
			if (tools[k].tid && c->ev[i].tid == tools[k].tid)
				a[i] = (struct vb_attribution){ (int64_t)k, VB_PLACE_TOOL };
}

int vb_trace_results_write(struct vb_trace *t, const char *dir, const struct vb_record *rows,
			   size_t n, const struct vb_tool_thread *tools, size_t ntools,
			   uint64_t *kernel_ns, json_t *json)
{
	struct collected c = { 0 };
	struct vb_window *w = make_windows(rows, n);
	struct vb_attribution *a = NULL;
	size_t *order = NULL;
	int r = w ? 0 : -ENOMEM;

	trace_seq_init(&c.seq);
	if (!r)
		r = vb_trace_for_each(t, collect, &c);
	if (!r) {
		a = malloc((c.n ? c.n : 1) * sizeof(*a));
		order = malloc((c.n ? c.n : 1) * sizeof(*order));
		r = a && order ? vb_attrib_run(w, n, c.ev, c.n, a, kernel_ns) : -ENOMEM;
	}
	if (!r) {
		mark_tools(&c, a, tools, ntools);
		for (size_t i = 0; i < c.n; i++)
			order[i] = i;
		sort_c = &c;
		qsort(order, c.n, sizeof(*order), cmp_ts);
		r = summarize(&c, order, rows, n, a);
	}
	if (!r)
		r = write_events_csv(dir, &c, order, rows, a, tools);
	if (!r)
		r = write_summary_csv(dir, &c, rows, n, json);
	if (!r) {
		attribution_json(&c, a, json);
		clock_check(rows, n, kernel_ns, json);
	}
	free(order);
	free(a);
	free(w);
	collected_release(&c);
	return r;
}
