/* Loading a results directory (rundata.h). */
#include "rundata.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_columns.h"
#include "json_path.h"

enum { COL_PHASE, COL_DURATION, COL_STATUS, COL_ITERATION, COL_START, COL_ONCPU, COL_RUNQ,
       COL_NVCSW, COL_NIVCSW, NCOLS, NREQUIRED = 3 };
static const char *const columns[NCOLS] = { "phase",    "duration_ns", "status",
					    "iteration", "start_ns", "oncpu_ns",
					    "runq_ns",  "nvcsw",       "nivcsw" };

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

/* --sched-stats columns, where the row has them. */
static int read_sched(struct vb_rundata *rd, struct vb_csv_columns *c, enum vb_phase p,
		      uint64_t dur)
{
	uint64_t oncpu, runq, nvcsw, nivcsw;
	bool has_oncpu, has_runq, has_nvcsw, has_nivcsw;
	int r = vb_csv_columns_u64(c, COL_ONCPU, true, &oncpu, &has_oncpu);

	if (!r)
		r = vb_csv_columns_u64(c, COL_RUNQ, true, &runq, &has_runq);
	if (!r)
		r = vb_csv_columns_u64(c, COL_NVCSW, true, &nvcsw, &has_nvcsw);
	if (!r)
		r = vb_csv_columns_u64(c, COL_NIVCSW, true, &nivcsw, &has_nivcsw);
	if (r || !has_oncpu || !has_runq || !has_nvcsw || !has_nivcsw)
		return r;
	rd->has_sched = true;
	if (vb_u64vec_push(&rd->oncpu[p], oncpu) || vb_u64vec_push(&rd->sched_dur[p], dur) ||
	    vb_u64vec_push(&rd->sched_runq[p], runq) ||
	    vb_u64vec_push(&rd->sched_nvcsw[p], nvcsw) ||
	    vb_u64vec_push(&rd->sched_nivcsw[p], nivcsw) ||
	    vb_u64vec_push(&rd->sched_oncpu[p], oncpu))
		return -ENOMEM;
	return 0;
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
	r = read_sched(rd, c, p, dur);
	return r ? r : vb_u64vec_push(&rd->samples[p], dur);
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

/* One results directory into @rd (already zeroed, dir set). */
static int load_dir(struct vb_rundata *rd, const char *dir, char *err, size_t errlen)
{
	char path[4096];
	int r;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	r = load_meta(rd, path, err, errlen);
	if (r) {
		if (r != -EINVAL)
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(-r));
		return r;
	}
	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	r = load_phases(rd, path, err, errlen);
	if (r)
		return r;
	rd->iteration_dir = strdup(dir);
	if (!rd->iteration_dir)
		return -ENOMEM;
	rd->nrounds = 1;
	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		vb_stats_summarize(rd->samples[p].v, rd->samples[p].n, &rd->summary[p]);
		if (rd->summary[p].n && vb_u64vec_push(&rd->round_medians[p], rd->summary[p].p50))
			return -ENOMEM;
		if (rd->oncpu[p].n && vb_u64vec_push(&rd->round_oncpu_medians[p],
						     vb_stats_median_of(&rd->oncpu[p])))
			return -ENOMEM;
	}
	snprintf(path, sizeof(path), "%s/events.csv", dir);
	rd->has_events = access(path, R_OK) == 0;
	return 0;
}

/* What every round of a set must share: otherwise they are not replicates. */
static const char *const round_keys[] = { "config", "host.kernel_release", "host.kernel_cmdline",
					  "host.vm" };

static int check_round(const struct vb_rundata *set, const struct vb_rundata *round, char *err,
		       size_t errlen)
{
	for (size_t i = 0; set->meta && i < sizeof(round_keys) / sizeof(round_keys[0]); i++) {
		json_t *a = vb_json_path(set->meta, round_keys[i]);
		json_t *b = vb_json_path(round->meta, round_keys[i]);

		if ((a || b) && !(a && b && json_equal(a, b))) {
			snprintf(err, errlen, "'%s' and '%s' are rounds of one set but differ in %s",
				 set->iteration_dir, round->dir, round_keys[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/* Pool @round into @set: its samples, counts and median per phase. */
static int add_round(struct vb_rundata *set, struct vb_rundata *round, char *err, size_t errlen)
{
	int r = 0;

	if (!set->nrounds) {
		set->meta = json_incref(round->meta);
		set->iteration_dir = strdup(round->dir);
		set->has_typical_iteration = round->has_typical_iteration;
		set->typical_iteration = round->typical_iteration;
		set->has_events = round->has_events;
		if (!set->iteration_dir)
			return -ENOMEM;
	} else if ((r = check_round(set, round, err, errlen))) {
		return r;
	}
	set->has_sched = set->has_sched || round->has_sched;
	for (int p = 0; !r && p < VB_PHASE_COUNT; p++) {
		set->failed[p] += round->failed[p];
		r = vb_u64vec_append(&set->samples[p], &round->samples[p]);
		if (!r && round->summary[p].n)
			r = vb_u64vec_push(&set->round_medians[p], round->summary[p].p50);
		if (!r)
			r = vb_u64vec_append(&set->oncpu[p], &round->oncpu[p]);
		if (!r)
			r = vb_u64vec_append(&set->round_oncpu_medians[p],
					     &round->round_oncpu_medians[p]);
		if (!r)
			r = vb_u64vec_append(&set->sched_dur[p], &round->sched_dur[p]);
		if (!r)
			r = vb_u64vec_append(&set->sched_runq[p], &round->sched_runq[p]);
		if (!r)
			r = vb_u64vec_append(&set->sched_nvcsw[p], &round->sched_nvcsw[p]);
		if (!r)
			r = vb_u64vec_append(&set->sched_oncpu[p], &round->sched_oncpu[p]);
		if (!r)
			r = vb_u64vec_append(&set->sched_nivcsw[p], &round->sched_nivcsw[p]);
	}
	set->rows += round->rows;
	set->nrounds++;
	return r;
}

/* Subdirectories of @dir holding phases.csv, in version order (round-2
 * before round-10). */
static int list_rounds(const char *dir, struct dirent ***names)
{
	struct dirent **all;
	char path[4096];
	int n = scandir(dir, &all, NULL, versionsort), k = 0;

	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s/phases.csv", dir, all[i]->d_name);
		if (all[i]->d_name[0] != '.' && access(path, F_OK) == 0)
			all[k++] = all[i];
		else
			free(all[i]);
	}
	*names = all;
	return k;
}

/* The @n rounds @names of @dir (freed here). */
static int load_set(struct vb_rundata *rd, const char *dir, struct dirent **names, int n,
		    char *err, size_t errlen)
{
	int r = 0;

	for (int i = 0; i < n; i++) {
		struct vb_rundata round;
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (!r && !(r = vb_rundata_load(&round, path, err, errlen))) {
			r = add_round(rd, &round, err, errlen);
			vb_rundata_release(&round);
		}
		free(names[i]);
	}
	free(names);
	if (r == -ENOMEM)
		snprintf(err, errlen, "%s: %s", dir, strerror(ENOMEM));
	for (int p = 0; !r && p < VB_PHASE_COUNT; p++) {
		vb_stats_summarize(rd->samples[p].v, rd->samples[p].n, &rd->summary[p]);
		vb_stats_sort(rd->oncpu[p].v, rd->oncpu[p].n); /* ascending, as for one run */
	}
	return r;
}

/* A set has rounds and neither file of its own (a sweep has a meta.json
 * and no phases.csv). The number of rounds in @names, or 0. */
static int find_rounds(const char *dir, struct dirent ***names)
{
	char path[4096];
	int n;

	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	if (access(path, F_OK) == 0 || errno != ENOENT)
		return 0;
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	if (access(path, F_OK) == 0 || errno != ENOENT)
		return 0;
	n = list_rounds(dir, names);
	if (n <= 0) {
		free(*names);
		return 0;
	}
	return n;
}

int vb_rundata_load(struct vb_rundata *rd, const char *dir, char *err, size_t errlen)
{
	struct dirent **names = NULL;
	int n, r;

	*rd = (struct vb_rundata){ 0 };
	rd->dir = strdup(dir);
	if (!rd->dir)
		return -ENOMEM;
	/* Anything else loads as one results directory, with its errors. */
	n = find_rounds(dir, &names);
	r = n ? load_set(rd, dir, names, n, err, errlen) : load_dir(rd, dir, err, errlen);
	if (r)
		vb_rundata_release(rd);
	return r;
}

void vb_rundata_release(struct vb_rundata *rd)
{
	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		vb_u64vec_release(&rd->samples[p]);
		vb_u64vec_release(&rd->round_medians[p]);
		vb_u64vec_release(&rd->sched_dur[p]);
		vb_u64vec_release(&rd->sched_runq[p]);
		vb_u64vec_release(&rd->sched_nvcsw[p]);
		vb_u64vec_release(&rd->sched_nivcsw[p]);
		vb_u64vec_release(&rd->sched_oncpu[p]);
		vb_u64vec_release(&rd->oncpu[p]);
		vb_u64vec_release(&rd->round_oncpu_medians[p]);
	}
	json_decref(rd->meta);
	free(rd->dir);
	free(rd->iteration_dir);
	*rd = (struct vb_rundata){ 0 };
}

void vb_rundata_tails(const struct vb_rundata *rd, enum vb_phase p, struct vb_sched_tails *t)
{
	const struct vb_u64vec *d = &rd->sched_dur[p];
	struct vb_u64vec sorted = { 0 };
	double step = 0;
	uint64_t median;

	*t = (struct vb_sched_tails){ .n = d->n };
	if (!d->n || vb_u64vec_append(&sorted, d))
		goto out;
	/* A tick-based on-CPU clock reads 0 for short windows: its step
	 * keeps those from looking stolen. */
	vb_json_path_num(rd->meta, "sched_stats.oncpu_step_ns", &step);
	median = vb_stats_median_of(&sorted);
	for (size_t i = 0; i < d->n; i++) {
		uint64_t oncpu = rd->sched_oncpu[p].v[i];
		bool preempted = rd->sched_runq[p].v[i] > 0 || rd->sched_nivcsw[p].v[i] > 0;
		bool slept = !preempted && rd->sched_nvcsw[p].v[i] > 0;
		bool stolen = !preempted && !slept && oncpu < d->v[i] &&
			      (double)(d->v[i] - oncpu) > (double)d->v[i] / 2 + step;

		t->any_runq += rd->sched_runq[p].v[i] > 0;
		if (d->v[i] > 2 * median) {
			t->over2++;
			t->over2_preempted += preempted;
			t->over2_slept += slept;
			t->over2_stolen += stolen;
		}
		if (d->v[i] > 10 * median) {
			t->over10++;
			t->over10_preempted += preempted;
			t->over10_slept += slept;
			t->over10_stolen += stolen;
		}
	}
out:
	vb_u64vec_release(&sorted);
}

int vb_rundata_use_oncpu(struct vb_rundata *rd)
{
	if (!rd->has_sched)
		return -ENODATA;
	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		struct vb_u64vec t = rd->samples[p];

		rd->samples[p] = rd->oncpu[p];
		rd->oncpu[p] = t;
		t = rd->round_medians[p];
		rd->round_medians[p] = rd->round_oncpu_medians[p];
		rd->round_oncpu_medians[p] = t;
		vb_stats_summarize(rd->samples[p].v, rd->samples[p].n, &rd->summary[p]);
	}
	return 0;
}
