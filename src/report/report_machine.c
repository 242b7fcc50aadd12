/* The machine formats of a report: CSV (one row per run and phase, integer
 * nanoseconds) and JSON (report.h). */
#include <errno.h>
#include <inttypes.h>

#include "csv.h"
#include "json_path.h"
#include "report.h"

#define REPORT_CSV_HEADER                                                                  \
	"run,vms,vcpus,phase,n,failed,min_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,mean_ns," \
	"stddev_ns"

int vb_report_write_csv(const struct vb_report *rep, FILE *f)
{
	fputs(REPORT_CSV_HEADER "\n", f);
	for (size_t i = 0; i < rep->nruns; i++) {
		const struct vb_report_run *run = &rep->runs[i];

		for (int p = 0; p < VB_PHASE_COUNT; p++) {
			const struct vb_summary *s = &run->data.summary[p];

			if (!s->n && !run->data.failed[p])
				continue;
			vb_csv_write_field(f, run->label);
			fprintf(f, ",%u,%u,%s,%zu,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
				   ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.0f,%.0f\n",
				run->vms, run->vcpus, vb_phase_name[p], s->n, run->data.failed[p],
				s->min, s->p50, s->p90, s->p99, s->p999, s->max, s->mean,
				s->stddev);
		}
	}
	return ferror(f) ? -EIO : 0;
}

static json_t *summary_json(const struct vb_summary *s, uint64_t failed)
{
	return json_pack("{sI sI sI sI sI sI sI sI sf sf}", "n", (json_int_t)s->n, "failed",
			 (json_int_t)failed, "min_ns", (json_int_t)s->min, "p50_ns",
			 (json_int_t)s->p50, "p90_ns", (json_int_t)s->p90, "p99_ns",
			 (json_int_t)s->p99, "p999_ns", (json_int_t)s->p999, "max_ns",
			 (json_int_t)s->max, "mean_ns", s->mean, "stddev_ns", s->stddev);
}

/* A copy of meta.json's section @key, or null. */
static json_t *section(json_t *meta, const char *key)
{
	json_t *v = vb_json_path(meta, key);

	return v ? json_deep_copy(v) : json_null();
}

/* --sched-stats: the tails of a phase (rundata.h vb_sched_tails). */
static json_t *sched_json(const struct vb_rundata *d, enum vb_phase p)
{
	struct vb_sched_tails t;

	vb_rundata_tails(d, p, &t);
	return json_pack("{sI sI sI sI sI sI sI sI sI sI}", "n", (json_int_t)t.n,
			 "waited_for_cpu", (json_int_t)t.any_runq, "over_2x_median",
			 (json_int_t)t.over2, "over_2x_preempted", (json_int_t)t.over2_preempted,
			 "over_2x_slept", (json_int_t)t.over2_slept, "over_2x_stolen",
			 (json_int_t)t.over2_stolen, "over_10x_median", (json_int_t)t.over10,
			 "over_10x_preempted", (json_int_t)t.over10_preempted, "over_10x_slept",
			 (json_int_t)t.over10_slept, "over_10x_stolen", (json_int_t)t.over10_stolen);
}

static json_t *run_json(const struct vb_report_run *run)
{
	json_t *phases = json_object();
	json_t *o;

	for (int p = 0; phases && p < VB_PHASE_COUNT; p++) {
		const struct vb_summary *s = &run->data.summary[p];

		if (s->n || run->data.failed[p])
			json_object_set_new(phases, vb_phase_name[p],
					    summary_json(s, run->data.failed[p]));
		if (run->data.sched_dur[p].n)
			json_object_set_new(json_object_get(phases, vb_phase_name[p]), "sched",
					    sched_json(&run->data, (enum vb_phase)p));
	}
	o = json_pack("{ss ss sI so so so so so so}", "dir", run->data.dir, "label", run->label,
		      "rows", (json_int_t)run->data.rows, "host",
		      section(run->data.meta, "host"), "config",
		      section(run->data.meta, "config"), "run", section(run->data.meta, "run"),
		      "tracing", section(run->data.meta, "tracing"), "complete",
		      section(run->data.meta, "complete"), "phases", phases);
	return o;
}

int vb_report_write_json(const struct vb_report *rep, FILE *f)
{
	json_t *runs = json_array(), *doc;
	int r;

	for (size_t i = 0; runs && i < rep->nruns; i++)
		if (json_array_append_new(runs, run_json(&rep->runs[i])))
			break;
	if (json_array_size(runs) != rep->nruns) {
		json_decref(runs);
		return -ENOMEM;
	}
	doc = json_pack("{so so}", "runs", runs, "sweep", section(rep->sweep_meta, "sweep"));
	if (!doc)
		return -ENOMEM;
	r = json_dumpf(doc, f, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
	fputc('\n', f);
	return r || ferror(f) ? -EIO : 0;
}
