/* One iteration's phases and first_run events (timeline.h). */
#include "timeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_columns.h"

/* @v (@size-byte elements, @n used, *@cap allocated) with room for one
 * more: @v itself, a new block (@v was freed), or NULL (@v is unchanged). */
static void *grow(void *v, size_t size, size_t n, size_t *cap)
{
	if (n < *cap)
		return v;
	size_t c = *cap ? 2 * *cap : 64;
	void *nv = realloc(v, c * size);

	if (nv)
		*cap = c;
	return nv;
}

/* Ids of a row: vm required, vcpu optional (VM-scope phases have none). */
static int read_ids(struct vb_csv_columns *c, size_t vm_col, size_t vcpu_col, uint32_t *vm,
		    uint32_t *vcpu, bool *ok)
{
	uint64_t v = 0, u = 0;
	bool has_vm, has_vcpu;
	int r = vb_csv_columns_u64(c, vm_col, true, &v, &has_vm);

	if (!r)
		r = vb_csv_columns_u64(c, vcpu_col, true, &u, &has_vcpu);
	if (r)
		return r;
	*ok = has_vm && v < UINT32_MAX && u < UINT32_MAX;
	*vm = (uint32_t)v;
	*vcpu = has_vcpu ? (uint32_t)u : 0;
	return 0;
}

enum { P_ITERATION, P_PHASE, P_START, P_DURATION, P_STATUS, P_VM, P_VCPU, P_NCOLS };
static const char *const phase_cols[P_NCOLS] = { "iteration", "phase",  "start_ns", "duration_ns",
						 "status",    "vm",     "vcpu" };

static int add_span(struct vb_timeline *t, struct vb_csv_columns *c, size_t *cap)
{
	struct vb_timeline_span s;
	enum vb_phase p = vb_phase_from_name(vb_csv_columns_str(c, P_PHASE));
	bool ok;
	int r;

	/* Derived phases and the writes inside guest_load would overlap others. */
	if (p >= VB_PHASE_VCPU_SETUP_TOTAL || p == VB_PHASE_GDT_WRITE ||
	    p == VB_PHASE_IDT_WRITE || p == VB_PHASE_PAGETABLE_WRITE ||
	    strcmp(vb_csv_columns_str(c, P_STATUS), "ok") != 0)
		return 0;
	r = read_ids(c, P_VM, P_VCPU, &s.vm, &s.vcpu, &ok);
	if (!r)
		r = vb_csv_columns_u64(c, P_START, false, &s.start_ns, NULL);
	if (!r)
		r = vb_csv_columns_u64(c, P_DURATION, false, &s.duration_ns, NULL);
	if (r || !ok)
		return r;
	s.phase = p;
	void *spans = grow(t->spans, sizeof(s), t->nspans, cap);

	if (!spans)
		return -ENOMEM;
	t->spans = spans;
	t->spans[t->nspans++] = s;
	if (s.start_ns < t->t0)
		t->t0 = s.start_ns;
	if (s.vm >= t->vms)
		t->vms = s.vm + 1;
	if (s.vcpu >= t->vcpus)
		t->vcpus = s.vcpu + 1;
	return 0;
}

static int load_spans(struct vb_timeline *t, const char *path, char *err, size_t errlen)
{
	struct vb_csv_columns c;
	size_t cap = 0;
	uint64_t it;
	bool has_it;
	int r = vb_csv_columns_open(&c, path, phase_cols, P_NCOLS, P_NCOLS, err, errlen);

	if (r)
		return r;
	while ((r = vb_csv_columns_next(&c)) == 1) {
		r = vb_csv_columns_u64(&c, P_ITERATION, true, &it, &has_it);
		if (!r && has_it && it == t->iteration)
			r = add_span(t, &c, &cap);
		if (r)
			break;
	}
	vb_csv_columns_close(&c);
	return r;
}

static int intern_name(struct vb_timeline *t, const char *system, const char *event,
		       size_t *cap, size_t *index)
{
	char name[256];

	snprintf(name, sizeof(name), "%s:%s", system, event);
	for (size_t i = 0; i < t->nnames; i++)
		if (strcmp(t->event_names[i], name) == 0) {
			*index = i;
			return 0;
		}
	void *names = grow(t->event_names, sizeof(char *), t->nnames, cap);

	if (!names)
		return -ENOMEM;
	t->event_names = names;
	t->event_names[t->nnames] = strdup(name);
	if (!t->event_names[t->nnames])
		return -ENOMEM;
	*index = t->nnames++;
	return 0;
}

enum { E_ITERATION, E_PHASE, E_TS, E_VM, E_VCPU, E_SYSTEM, E_EVENT, E_NCOLS };
static const char *const event_cols[E_NCOLS] = { "iteration", "phase",  "ts_ns", "vm",
						 "vcpu",      "system", "event" };

static int add_event(struct vb_timeline *t, struct vb_csv_columns *c, size_t *cap,
		     size_t *name_cap)
{
	struct vb_timeline_event e;
	bool ok;
	int r = read_ids(c, E_VM, E_VCPU, &e.vm, &e.vcpu, &ok);

	if (!r)
		r = vb_csv_columns_u64(c, E_TS, false, &e.ts_ns, NULL);
	if (r || !ok)
		return r;
	r = intern_name(t, vb_csv_columns_str(c, E_SYSTEM), vb_csv_columns_str(c, E_EVENT),
			name_cap, &e.name);
	if (r)
		return r;
	void *events = grow(t->events, sizeof(e), t->nevents, cap);

	if (!events)
		return -ENOMEM;
	t->events = events;
	t->events[t->nevents++] = e;
	return 0;
}

static int load_events(struct vb_timeline *t, const char *path, char *err, size_t errlen)
{
	struct vb_csv_columns c;
	size_t cap = 0, name_cap = 0;
	uint64_t it;
	bool has_it;
	int r;

	if (access(path, F_OK) != 0)
		return 0;
	r = vb_csv_columns_open(&c, path, event_cols, E_NCOLS, E_NCOLS, err, errlen);
	if (r)
		return r;
	while ((r = vb_csv_columns_next(&c)) == 1) {
		r = vb_csv_columns_u64(&c, E_ITERATION, true, &it, &has_it);
		if (!r && has_it && it == t->iteration &&
		    strcmp(vb_csv_columns_str(&c, E_PHASE), "first_run") == 0)
			r = add_event(t, &c, &cap, &name_cap);
		if (r)
			break;
	}
	vb_csv_columns_close(&c);
	return r;
}

int vb_timeline_load(struct vb_timeline *t, const char *dir, uint64_t iteration, char *err,
		     size_t errlen)
{
	char path[4096];
	int r;

	*t = (struct vb_timeline){ .iteration = iteration, .t0 = UINT64_MAX };
	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	r = load_spans(t, path, err, errlen);
	if (!r) {
		snprintf(path, sizeof(path), "%s/events.csv", dir);
		r = load_events(t, path, err, errlen);
	}
	if (r == -ENOMEM)
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
	if (r)
		vb_timeline_release(t);
	if (!r && !t->nspans)
		t->t0 = 0;
	return r;
}

void vb_timeline_release(struct vb_timeline *t)
{
	for (size_t i = 0; i < t->nnames; i++)
		free(t->event_names[i]);
	free(t->event_names);
	free(t->events);
	free(t->spans);
	*t = (struct vb_timeline){ 0 };
}
