/* The OpenMetrics text exposition of a report (report.h), for Prometheus:
 * node_exporter's textfile collector reads a file of it, a Pushgateway
 * takes it pushed (results/push.h).
 *
 * Prometheus' conventions: base units (seconds), the unit as the name's
 * suffix, snake_case. Per phase one summary (quantiles 0.5 to 0.999 of the
 * ok samples, _count, _sum), per run gauges from meta.json. Every sample
 * carries the run's identity as labels (run, host, kernel, configuration,
 * tool version, tag), so results of many hosts and kernels land in one
 * Prometheus apart. Several directories or a sweep give one exposition:
 * a metric family may appear only once, so each family lists every run,
 * told apart by the `run` label (the directory's name, or its path when two
 * share a name), and no series repeats. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "json_path.h"
#include "report.h"

/* meta.json's configuration keys that name a run; the rest (timeouts,
 * pinning, what was recorded) say how it was measured, not what. */
static const char *const config_labels[] = { "vms", "vcpus", "iterations", "warmup", "guest",
					     "exits", "mem_mib", "irqchip", "pit", "smp",
					     "tag" };

/* Label values escaped as the exposition formats want: \\, \" and \n. */
static void put_value(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void put_label(FILE *f, const char *name, const char *value)
{
	fprintf(f, ",%s=", name);
	put_value(f, value);
}

/* A scalar of meta.json as a label value; false when absent or null. */
static bool scalar_text(json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else
		return false;
	return true;
}

/* The `run` label of run @i: its label, or its path when an earlier run
 * has that label, or the path with "#<i>" when the same directory is given
 * twice: a series may appear only once. */
static const char *run_name(const struct vb_report *rep, size_t i, char *buf, size_t len)
{
	bool label = false, dir = false;

	for (size_t j = 0; j < i; j++) {
		label |= strcmp(rep->runs[j].label, rep->runs[i].label) == 0;
		dir |= strcmp(rep->runs[j].data.dir, rep->runs[i].data.dir) == 0;
	}
	if (!label)
		return rep->runs[i].label;
	if (!dir)
		return rep->runs[i].data.dir;
	snprintf(buf, len, "%s#%zu", rep->runs[i].data.dir, i + 1);
	return buf;
}

/* The identity labels of run @i; @first: no label before them. */
static void put_identity(FILE *f, const struct vb_report *rep, size_t i, bool first)
{
	const struct vb_report_run *run = &rep->runs[i];
	json_t *meta = run->data.meta;
	char buf[512];

	fputs(first ? "run=" : ",run=", f);
	put_value(f, run_name(rep, i, buf, sizeof(buf)));
	if (scalar_text(vb_json_path(meta, "host.hostname"), buf, sizeof(buf)))
		put_label(f, "host", buf);
	if (scalar_text(vb_json_path(meta, "host.kernel_release"), buf, sizeof(buf)))
		put_label(f, "kernel", buf);
	if (scalar_text(vb_json_path(meta, "tool.version"), buf, sizeof(buf)))
		put_label(f, "version", buf);
	for (size_t k = 0; k < sizeof(config_labels) / sizeof(config_labels[0]); k++) {
		json_t *v = json_object_get(vb_json_path(meta, "config"), config_labels[k]);

		if (scalar_text(v, buf, sizeof(buf)))
			put_label(f, config_labels[k], buf);
	}
	/* A sweep point's own shape, where its meta.json lacks it. */
	if (!json_object_get(vb_json_path(meta, "config"), "vms") && run->vms)
		fprintf(f, ",vms=\"%u\"", run->vms);
	if (!json_object_get(vb_json_path(meta, "config"), "vcpus") && run->vcpus)
		fprintf(f, ",vcpus=\"%u\"", run->vcpus);
}

static void put_family(FILE *f, bool om, const char *name, const char *type,
		       const char *unit, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
	if (om && unit)
		fprintf(f, "# UNIT %s %s\n", name, unit);
}

/* Nanoseconds as exact decimal seconds. */
static void put_seconds(FILE *f, uint64_t ns)
{
	fprintf(f, "%" PRIu64 ".%09" PRIu64 "\n", ns / 1000000000u, ns % 1000000000u);
}

static void phase_samples(FILE *f, const struct vb_report *rep, size_t i, enum vb_phase p)
{
	const struct vb_summary *s = &rep->runs[i].data.summary[p];
	const struct {
		const char *q;
		uint64_t ns;
	} qs[] = { { "0.5", s->p50 }, { "0.9", s->p90 }, { "0.99", s->p99 }, { "0.999", s->p999 } };
	const char *name = "vcpubench_phase_duration_seconds";

	for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
		fprintf(f, "%s{phase=\"%s\",quantile=\"%s\"", name, vb_phase_name[p], qs[k].q);
		put_identity(f, rep, i, false);
		fputs("} ", f);
		put_seconds(f, qs[k].ns);
	}
	fprintf(f, "%s_count{phase=\"%s\"", name, vb_phase_name[p]);
	put_identity(f, rep, i, false);
	fprintf(f, "} %zu\n%s_sum{phase=\"%s\"", s->n, name, vb_phase_name[p]);
	put_identity(f, rep, i, false);
	fprintf(f, "} %.9f\n", s->mean * (double)s->n / 1e9);
}

static void phases(FILE *f, const struct vb_report *rep, bool om)
{
	put_family(f, om, "vcpubench_phase_duration_seconds", "summary", "seconds",
		   "Duration of one timed call of a phase (ok samples).");
	for (size_t i = 0; i < rep->nruns; i++)
		for (int p = 0; p < VB_PHASE_COUNT; p++)
			if (rep->runs[i].data.summary[p].n)
				phase_samples(f, rep, i, (enum vb_phase)p);
	put_family(f, om, "vcpubench_phase_failed_samples", "gauge", NULL,
		   "Timed calls of a phase whose status was not ok.");
	for (size_t i = 0; i < rep->nruns; i++)
		for (int p = 0; p < VB_PHASE_COUNT; p++)
			if (rep->runs[i].data.summary[p].n || rep->runs[i].data.failed[p]) {
				fprintf(f, "vcpubench_phase_failed_samples{phase=\"%s\"",
					vb_phase_name[p]);
				put_identity(f, rep, i, false);
				fprintf(f, "} %" PRIu64 "\n", rep->runs[i].data.failed[p]);
			}
}

/* One gauge per run from meta.json's @path times @scale; runs without it
 * are left out, and the family too when none has it. */
static void gauge(FILE *f, const struct vb_report *rep, bool om, const char *name,
		  const char *unit, const char *help, const char *path, double scale)
{
	bool head = false;

	for (size_t i = 0; i < rep->nruns; i++) {
		json_t *v = vb_json_path(rep->runs[i].data.meta, path);

		if (!json_is_number(v) && !json_is_boolean(v))
			continue;
		if (!head)
			put_family(f, om, name, "gauge", unit, help);
		head = true;
		fprintf(f, "%s{", name);
		put_identity(f, rep, i, true);
		fprintf(f, "} %.15g\n",
			json_is_boolean(v) ? (json_is_true(v) ? 1.0 : 0.0)
					   : json_number_value(v) * scale);
	}
}

int vb_report_write_openmetrics(const struct vb_report *rep, FILE *f, bool openmetrics)
{
	phases(f, rep, openmetrics);
	gauge(f, rep, openmetrics, "vcpubench_run_wall_seconds", "seconds",
	      "Wall time of the run.", "run.wall_ns", 1e-9);
	gauge(f, rep, openmetrics, "vcpubench_run_vms_per_second", NULL,
	      "VMs set up and torn down per second of wall time.", "run.vms_per_s", 1);
	gauge(f, rep, openmetrics, "vcpubench_run_vcpus_per_second", NULL,
	      "vCPUs set up and torn down per second of wall time.", "run.vcpus_per_s", 1);
	gauge(f, rep, openmetrics, "vcpubench_run_complete", NULL,
	      "1 when the run did every iteration, 0 when it stopped short.", "complete", 1);
	gauge(f, rep, openmetrics, "vcpubench_trace_events_lost", NULL,
	      "Trace events the kernel dropped (--trace).", "tracing.events_lost", 1);
	if (openmetrics)
		fputs("# EOF\n", f);
	return ferror(f) ? -EIO : 0;
}
