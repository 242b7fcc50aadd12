/* Loading a results directory (rundata.h). */
#include "rundata.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_columns.h"

enum { COL_PHASE, COL_DURATION, COL_STATUS, COL_ITERATION, COL_START, NCOLS, NREQUIRED = 3 };
static const char *const columns[NCOLS] = { "phase", "duration_ns", "status", "iteration",
					    "start_ns" };

/* Iterations beyond this are not tracked for the typical-iteration choice:
 * bounds the memory a corrupt iteration number could make us allocate. */
#define MAX_TRACKED_ITERATIONS (1u << 20)

/* First start and last end of each iteration, indexed by iteration. */
struct spans {
	uint64_t *lo, *hi;
	size_t n;
};

static int spans_add(struct spans *s, uint64_t it, uint64_t start, uint64_t end)
{
	if (it >= MAX_TRACKED_ITERATIONS)
		return 0;
	if (it >= s->n) {
		size_t n = s->n ? s->n : 64;

		while (n <= it)
			n *= 2;
		uint64_t *lo = realloc(s->lo, n * sizeof(*lo));

		if (!lo)
			return -ENOMEM;
		s->lo = lo;
		uint64_t *hi = realloc(s->hi, n * sizeof(*hi));

		if (!hi)
			return -ENOMEM;
		s->hi = hi;
		for (size_t i = s->n; i < n; i++) {
			s->lo[i] = UINT64_MAX;
			s->hi[i] = 0;
		}
		s->n = n;
	}
	if (start < s->lo[it])
		s->lo[it] = start;
	if (end > s->hi[it])
		s->hi[it] = end;
	return 0;
}

/* Lower median of the spans of iterations that have rows. */
static void choose_typical(struct vb_rundata *rd, const struct spans *s)
{
	struct vb_u64vec keys = { 0 };

	/* key = span << 20 | iteration: sorting keys sorts by span, ties by iteration. */
	for (size_t i = 0; i < s->n; i++)
		if (s->hi[i] >= s->lo[i] && s->lo[i] != UINT64_MAX &&
		    vb_u64vec_push(&keys, ((s->hi[i] - s->lo[i]) << 20) | i))
			goto out;
	if (!keys.n)
		goto out;
	vb_stats_sort(keys.v, keys.n);
	rd->typical_iteration = keys.v[(keys.n - 1) / 2] & (MAX_TRACKED_ITERATIONS - 1);
	rd->has_typical_iteration = true;
out:
	vb_u64vec_release(&keys);
}

/* Phase names repeat in runs of the same few names: try the last one first. */
static enum vb_phase lookup_phase(const char *name, enum vb_phase *last)
{
	if (*last < VB_PHASE_COUNT && strcmp(vb_phase_name[*last], name) == 0)
		return *last;
	*last = vb_phase_from_name(name);
	return *last;
}

static int read_row(struct vb_rundata *rd, struct vb_csv_columns *c, struct spans *sp,
		    enum vb_phase *last)
{
	enum vb_phase p = lookup_phase(vb_csv_columns_str(c, COL_PHASE), last);
	uint64_t dur, it, start;
	bool has_it, has_start;
	int r;

	if (p == VB_PHASE_COUNT) {
		snprintf(c->err, c->errlen, "%s:%zu:%zu: unknown phase '%s'", c->path,
			 vb_csv_columns_line(c), c->index[COL_PHASE] + 1,
			 vb_csv_columns_str(c, COL_PHASE));
		return -EINVAL;
	}
	r = vb_csv_columns_u64(c, COL_DURATION, false, &dur, NULL);
	if (!r)
		r = vb_csv_columns_u64(c, COL_ITERATION, true, &it, &has_it);
	if (!r)
		r = vb_csv_columns_u64(c, COL_START, true, &start, &has_start);
	if (r)
		return r;
	if (strcmp(vb_csv_columns_str(c, COL_STATUS), "ok") != 0) {
		rd->failed[p]++;
		return 0;
	}
	/* Derived phases span others; they would stretch the iteration's span. */
	if (has_it && has_start && p < VB_PHASE_VCPU_SETUP_TOTAL &&
	    spans_add(sp, it, start, start + dur))
		return -ENOMEM;
	return vb_u64vec_push(&rd->samples[p], dur);
}

static int load_phases(struct vb_rundata *rd, const char *path, char *err, size_t errlen)
{
	struct vb_csv_columns c;
	struct spans sp = { 0 };
	enum vb_phase last = VB_PHASE_COUNT;
	int r = vb_csv_columns_open(&c, path, columns, NCOLS, NREQUIRED, err, errlen);

	if (r)
		return r;
	while ((r = vb_csv_columns_next(&c)) == 1) {
		rd->rows++;
		r = read_row(rd, &c, &sp, &last);
		if (r)
			break;
	}
	if (r == -ENOMEM)
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
	if (!r)
		choose_typical(rd, &sp);
	free(sp.lo);
	free(sp.hi);
	vb_csv_columns_close(&c);
	return r;
}

static int load_meta(struct vb_rundata *rd, const char *path, char *err, size_t errlen)
{
	json_error_t je;

	if (access(path, F_OK) != 0)
		return errno == ENOENT ? 0 : -errno;
	rd->meta = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (rd->meta && json_is_object(rd->meta))
		return 0;
	if (rd->meta)
		snprintf(err, errlen, "%s:1:1: not a JSON object", path);
	else if (je.line < 1) /* not a parse error: the file could not be read */
		snprintf(err, errlen, "cannot read '%s': %s", path, je.text);
	else
		snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	json_decref(rd->meta);
	rd->meta = NULL;
	return -EINVAL;
}

int vb_rundata_load(struct vb_rundata *rd, const char *dir, char *err, size_t errlen)
{
	char path[4096];
	int r;

	*rd = (struct vb_rundata){ 0 };
	rd->dir = strdup(dir);
	if (!rd->dir)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	r = load_meta(rd, path, err, errlen);
	if (r) {
		if (r != -EINVAL)
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(-r));
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	r = load_phases(rd, path, err, errlen);
	if (r)
		goto fail;
	for (int p = 0; p < VB_PHASE_COUNT; p++)
		vb_stats_summarize(rd->samples[p].v, rd->samples[p].n, &rd->summary[p]);
	snprintf(path, sizeof(path), "%s/events.csv", dir);
	rd->has_events = access(path, R_OK) == 0;
	return 0;
fail:
	vb_rundata_release(rd);
	return r;
}

void vb_rundata_release(struct vb_rundata *rd)
{
	for (int p = 0; p < VB_PHASE_COUNT; p++)
		vb_u64vec_release(&rd->samples[p]);
	json_decref(rd->meta);
	free(rd->dir);
	*rd = (struct vb_rundata){ 0 };
}
