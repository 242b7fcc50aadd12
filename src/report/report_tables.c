/* The tables every report format shows (report.h). */
#include <errno.h>
#include <stdio.h>

#include "report.h"

/* Durations are shown in µs with two decimals: the clock resolves tens of
 * ns, and the fastest phases (idt_write) take a few. */
static void us_cell(struct vb_table *t, double ns)
{
	vb_table_cell(t, "%.2f", ns / 1000.0);
}

static void run_columns(struct vb_table *t)
{
	static const char *const heads[] = { "n", "min", "median", "p90", "p99", "max", "mean" };

	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		vb_table_column(t, heads[i], VB_ALIGN_RIGHT, NULL);
	vb_table_column(t, "σ", VB_ALIGN_RIGHT, " ± ");
}

static void run_cells(struct vb_table *t, const struct vb_summary *s)
{
	if (!s->n) {
		for (int i = 0; i < 8; i++)
			vb_table_cell(t, "%s", i ? "" : "0");
		return;
	}
	vb_table_cell(t, "%zu", s->n);
	us_cell(t, (double)s->min);
	us_cell(t, (double)s->p50);
	us_cell(t, (double)s->p90);
	us_cell(t, (double)s->p99);
	us_cell(t, (double)s->max);
	us_cell(t, s->mean);
	us_cell(t, s->stddev);
}

struct vb_table *vb_report_phase_table(const struct vb_report *rep)
{
	struct vb_table *t = vb_table_new();

	if (!t)
		return NULL;
	vb_table_column(t, "phase (µs)", VB_ALIGN_LEFT, NULL);
	for (size_t i = 0; i < rep->nruns; i++) {
		char label[300];

		run_columns(t);
		snprintf(label, sizeof(label), "[%zu] %s", i + 1, rep->runs[i].label);
		if (rep->nruns > 1)
			vb_table_group(t, 1 + 8 * i, 8, label);
	}
	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		if (!vb_report_phase_shown(rep, (enum vb_phase)p))
			continue;
		vb_table_row(t);
		vb_table_cell(t, "%s", vb_phase_name[p]);
		for (size_t i = 0; i < rep->nruns; i++)
			run_cells(t, &rep->runs[i].data.summary[p]);
	}
	return t;
}

bool vb_report_has_sched(const struct vb_report *rep)
{
	for (size_t i = 0; i < rep->nruns; i++)
		if (rep->runs[i].data.has_sched)
			return true;
	return false;
}

static void fraction_cell(struct vb_table *t, size_t part, size_t whole)
{
	if (whole)
		vb_table_cell(t, "%zu/%zu (%.0f %%)", part, whole, 100.0 * (double)part / (double)whole);
	else
		vb_table_cell(t, "%s", "0");
}

static void sched_row(struct vb_table *t, const struct vb_report_run *run, enum vb_phase p,
		      const char *label)
{
	const struct vb_rundata *d = &run->data;
	const struct vb_u64vec *oncpu = &d->oncpu[p];
	struct vb_sched_tails tl;

	vb_rundata_tails(d, p, &tl);
	vb_table_row(t);
	vb_table_cell(t, "%s", vb_phase_name[p]);
	if (label)
		vb_table_cell(t, "%s", label);
	vb_table_cell(t, "%zu", tl.n);
	if (oncpu->n)
		us_cell(t, (double)vb_stats_percentile(oncpu->v, oncpu->n, 0.5));
	else
		vb_table_cell(t, "%s", "");
	fraction_cell(t, tl.any_runq, tl.n);
	vb_table_cell(t, "%zu", tl.over2);
	fraction_cell(t, tl.over2_preempted, tl.over2);
	fraction_cell(t, tl.over2_slept, tl.over2);
	fraction_cell(t, tl.over2_stolen, tl.over2);
	vb_table_cell(t, "%zu", tl.over10);
	fraction_cell(t, tl.over10_preempted, tl.over10);
	fraction_cell(t, tl.over10_slept, tl.over10);
	fraction_cell(t, tl.over10_stolen, tl.over10);
}

struct vb_table *vb_report_sched_table(const struct vb_report *rep)
{
	static const char *const heads[] = { "n",         "median on-CPU", "waited for a CPU",
					     ">2x median", "preempted",    "slept", "stolen",
					     ">10x median", "preempted",   "slept", "stolen" };
	struct vb_table *t = vb_table_new();

	if (!t)
		return NULL;
	vb_table_column(t, "phase (µs)", VB_ALIGN_LEFT, NULL);
	if (rep->nruns > 1)
		vb_table_column(t, "run", VB_ALIGN_LEFT, NULL);
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		vb_table_column(t, heads[i], VB_ALIGN_RIGHT, NULL);
	for (int p = 0; p < VB_PHASE_COUNT; p++)
		for (size_t i = 0; i < rep->nruns; i++) {
			char label[300];

			if (!rep->runs[i].data.sched_dur[p].n)
				continue;
			snprintf(label, sizeof(label), "[%zu] %s", i + 1, rep->runs[i].label);
			sched_row(t, &rep->runs[i], (enum vb_phase)p, rep->nruns > 1 ? label : NULL);
		}
	return t;
}

struct vb_table *vb_report_scaling_table(const struct vb_report *rep, bool p99)
{
	struct vb_table *t = vb_table_new();

	if (!t)
		return NULL;
	vb_table_column(t, "phase", VB_ALIGN_LEFT, NULL);
	for (size_t i = 0; i < rep->nruns; i++) {
		const struct vb_report_run *run = &rep->runs[i];
		char head[64];

		if (rep->axis == VB_SWEEP_GRID)
			snprintf(head, sizeof(head), "%u×%u", run->vms, run->vcpus);
		else
			snprintf(head, sizeof(head), "%u", vb_report_axis_value(rep, run));
		vb_table_column(t, head, VB_ALIGN_RIGHT, NULL);
	}
	if (rep->nruns)
		vb_table_group(t, 1, rep->nruns, vb_report_axis_name(rep->axis));
	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		if (!vb_report_phase_shown(rep, (enum vb_phase)p))
			continue;
		vb_table_row(t);
		vb_table_cell(t, "%s", vb_phase_name[p]);
		for (size_t i = 0; i < rep->nruns; i++) {
			const struct vb_summary *s = &rep->runs[i].data.summary[p];

			if (s->n)
				us_cell(t, (double)(p99 ? s->p99 : s->p50));
			else
				vb_table_cell(t, "%s", "");
		}
	}
	return t;
}
