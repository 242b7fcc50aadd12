/* The HTML report: one self-contained file (inline CSS and SVG, no script,
 * no font or network fetch) with the tables, the host and kernel metadata
 * and the plots (report.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "json_path.h"
#include "plot.h"
#include "report.h"
#include "report_plots.h"

/* Timelines are drawn for this many runs at most (a sweep: its last point). */
#define MAX_TIMELINES 4
#define MAX_FIGURES (4 + 2 * MAX_TIMELINES)

struct figure {
	char id[16];
	char title[160];
	char caption[512];
	struct vb_plot *plot;
	char *svg;
	char error[512];
};

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1150px;"
	"color:#222;padding:0 1em}"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;font-size:0.9em;margin:0.5em 0}"
	"th,td{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}"
	"th{background:#f4f4f4}.num{text-align:right;font-variant-numeric:tabular-nums}"
	".warn{color:#a00;font-weight:bold}.note{background:#fff6d5;padding:0.5em}"
	"figure{margin:1em 0}figcaption{font-size:0.9em;color:#555}"
	"svg{max-width:100%;height:auto}dt{font-weight:bold}dd{margin:0 0 0.3em 1.5em}"
	"code,pre{white-space:pre-wrap;word-break:break-all}";

static void html_text(FILE *f, const char *tag, const char *cls, const char *text)
{
	fprintf(f, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	vb_html_escape(f, text);
	fprintf(f, "</%s>\n", tag);
}

/* A <dt>/<dd> pair from meta.json, left out when meta.json lacks it. */
static void meta_item(FILE *f, json_t *meta, const char *label, const char *path)
{
	char *v = vb_json_path_text(meta, path, NULL);

	if (!v)
		return;
	html_text(f, "dt", NULL, label);
	fputs("<dd><code>", f);
	vb_html_escape(f, v);
	fputs("</code></dd>\n", f);
	free(v);
}

static void run_metadata(FILE *f, json_t *m)
{
	static const char *const items[][2] = {
		{ "kernel", "host.kernel_release" },
		{ "kernel version", "host.kernel_version" },
		{ "kernel command line", "host.kernel_cmdline" },
		{ "CPU", "host.cpu_model" },             { "microcode", "host.microcode" },
		{ "CPUs online", "host.cpus_online" },   { "clocksource", "host.clocksource" },
		{ "transparent hugepages", "host.transparent_hugepage" },
		{ "mitigations", "host.mitigations" },   { "KVM", "host.kvm" },
		{ "configuration", "config" },           { "run", "run" },
		{ "tracing", "tracing" },                { "command line", "command_line" },
		{ "tool", "tool" },                      { "start (UTC)", "start_utc" },
		{ "end (UTC)", "end_utc" },
	};

	if (!m)
		return;
	fputs("<details><summary>host, kernel and run metadata</summary>\n<dl>\n", f);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		meta_item(f, m, items[i][0], items[i][1]);
	fputs("</dl>\n</details>\n", f);
}

static void describe_run(FILE *f, const struct vb_report *rep, size_t i)
{
	const struct vb_report_run *run = &rep->runs[i];
	char line[2048], warn[2048], *w, *save;

	snprintf(line, sizeof(line), "[%zu] %s", i + 1, run->label);
	html_text(f, "h3", NULL, line);
	html_text(f, "p", NULL, run->data.dir);
	vb_describe_config(&run->data, line, sizeof(line));
	if (*line)
		html_text(f, "p", NULL, line);
	vb_describe_host(&run->data, line + 5, sizeof(line) - 5);
	if (line[5])
		html_text(f, "p", NULL, memcpy(line, "host ", 5));
	vb_describe_outcome(&run->data, line, sizeof(line));
	if (*line)
		html_text(f, "p", NULL, line);
	vb_describe_warnings(&run->data, warn, sizeof(warn));
	for (w = strtok_r(warn, "\n", &save); w; w = strtok_r(NULL, "\n", &save)) {
		snprintf(line, sizeof(line), "warning: %s", w);
		html_text(f, "p", "warn", line);
	}
	run_metadata(f, run->data.meta);
}

static int table(FILE *f, struct vb_table *t)
{
	int r;

	if (!t)
		return -errno;
	r = vb_table_write_html(t, f);
	vb_table_free(t);
	return r;
}

enum kind { BOX, CDF, RUNQ, GANTT, EVENTS, SCALING };

static int build(const struct vb_report *rep, const struct vb_report_run *run, enum kind k,
		 struct figure *fig)
{
	char *c = fig->caption;
	size_t len = sizeof(fig->caption);

	fig->plot = vb_plot_new();
	if (!fig->plot)
		return -errno;
	switch (k) {
	case BOX: return vb_report_plot_box(rep, fig->plot, c, len);
	case CDF: return vb_report_plot_cdf(rep, fig->plot, c, len);
	case RUNQ: return vb_report_plot_runq(rep, fig->plot, c, len);
	case GANTT: return vb_report_plot_gantt(run, fig->plot, c, len);
	case EVENTS: return vb_report_plot_events(run, fig->plot, c, len);
	case SCALING: return vb_report_plot_scaling(rep, fig->plot, c, len);
	}
	return -EINVAL;
}

/* Append a figure unless it has nothing to show. */
static int add(const struct vb_report *rep, const struct vb_report_run *run, enum kind k,
	       const char *title, struct figure *figs, size_t *n)
{
	struct figure *fig = &figs[*n];
	int r;

	*fig = (struct figure){ 0 };
	snprintf(fig->id, sizeof(fig->id), "f%zu", *n);
	snprintf(fig->title, sizeof(fig->title), "%s", title);
	r = build(rep, run, k, fig);
	if (r) {
		vb_plot_free(fig->plot);
		fig->plot = NULL;
		return r == -ENODATA ? 0 : r;
	}
	(*n)++;
	return 0;
}

static int plan(const struct vb_report *rep, struct figure *figs, size_t *n)
{
	size_t first = rep->axis != VB_SWEEP_NONE ? rep->nruns - 1 : 0;
	size_t last = rep->nruns < first + MAX_TIMELINES ? rep->nruns : first + MAX_TIMELINES;
	char title[160];
	int r = 0;

	*n = 0;
	if (rep->axis != VB_SWEEP_NONE)
		r = add(rep, NULL, SCALING, "Scaling", figs, n);
	if (!r)
		r = add(rep, NULL, BOX, "Distribution per phase", figs, n);
	if (!r)
		r = add(rep, NULL, CDF, "Cumulative distribution per phase", figs, n);
	if (!r && rep->axis == VB_SWEEP_NONE)
		r = add(rep, NULL, RUNQ, "Duration against waiting for a CPU", figs, n);
	for (size_t i = first; !r && i < last; i++) {
		snprintf(title, sizeof(title), "Timeline of one iteration: %s", rep->runs[i].label);
		r = add(rep, &rep->runs[i], GANTT, title, figs, n);
	}
	for (size_t i = first; !r && i < last; i++) {
		snprintf(title, sizeof(title), "First KVM_RUN, kernel events: %s",
			 rep->runs[i].label);
		r = add(rep, &rep->runs[i], EVENTS, title, figs, n);
	}
	return r;
}

/* Run gnuplot for every figure at once, then collect the SVGs. Without
 * gnuplot no figure has one and @note says so. */
static void render(struct figure *figs, size_t n, char *note, size_t notelen)
{
	bool missing = false;

	for (size_t i = 0; i < n && !missing; i++) {
		int r = vb_plot_start(figs[i].plot);

		missing = r == -ENOENT;
		if (r && !missing)
			snprintf(figs[i].error, sizeof(figs[i].error), "cannot run gnuplot: %s",
				 strerror(-r));
	}
	for (size_t i = 0; i < n; i++) {
		int r = 0;

		if (!missing && !figs[i].error[0])
			r = vb_plot_finish(figs[i].plot, &figs[i].svg);

		if (r == -EPROTO)
			snprintf(figs[i].error, sizeof(figs[i].error), "gnuplot: %s",
				 vb_plot_error(figs[i].plot));
		else if (r)
			snprintf(figs[i].error, sizeof(figs[i].error), "gnuplot: %s", strerror(-r));
		if (figs[i].error[0] && !note[0])
			snprintf(note, notelen, "plot '%s' left out: %s", figs[i].title,
				 figs[i].error);
	}
	if (missing)
		snprintf(note, notelen, "gnuplot is not installed (Debian: gnuplot-nox): "
					"the report has its tables but no plots");
}

/* The SVG without its XML prolog, ids made unique in the page: gnuplot
 * gives every SVG the same ids (gpPt1, textbox, ...). */
static void write_svg(FILE *f, const struct figure *fig)
{
	static const char *const refs[] = { "id='", "id=\"", "href='#", "href=\"#", "url(#" };
	enum { NREFS = sizeof(refs) / sizeof(refs[0]) };
	const char *s = strstr(fig->svg, "<svg"), *next[NREFS];

	if (!s)
		return;
	/* The next occurrence of each: one pass over the SVG, however large. */
	for (size_t i = 0; i < NREFS; i++)
		next[i] = strstr(s, refs[i]);
	for (;;) {
		size_t which = NREFS;

		for (size_t i = 0; i < NREFS; i++)
			if (next[i] && (which == NREFS || next[i] < next[which]))
				which = i;
		if (which == NREFS)
			break;
		fwrite(s, 1, (size_t)(next[which] - s), f);
		fprintf(f, "%s%s-", refs[which], fig->id);
		s = next[which] + strlen(refs[which]);
		next[which] = strstr(s, refs[which]);
	}
	fputs(s, f);
	fputc('\n', f);
}

static void write_figure(FILE *f, const struct figure *fig)
{
	fprintf(f, "<h2 id=\"%s\">", fig->id);
	vb_html_escape(f, fig->title);
	fputs("</h2>\n<figure>\n", f);
	if (fig->svg)
		write_svg(f, fig);
	else
		html_text(f, "p", "note", fig->error[0] ? fig->error : "plot not available");
	html_text(f, "figcaption", NULL, fig->caption);
	fputs("</figure>\n", f);
}

static int write_tables(FILE *f, const struct vb_report *rep)
{
	int r;

	if (rep->axis == VB_SWEEP_NONE) {
		fputs("<h2>Phases (µs, ok rows only)</h2>\n", f);
		r = table(f, vb_report_phase_table(rep));
		if (r || !vb_report_has_sched(rep))
			return r;
		fputs("<h2>Scheduler (--sched-stats)</h2>\n<p>Preempted: run-queue time or an "
		      "involuntary context switch inside the phase's window.</p>\n", f);
		return table(f, vb_report_sched_table(rep));
	}
	fprintf(f, "<h2>Median by %s (µs)</h2>\n", vb_report_axis_name(rep->axis));
	r = table(f, vb_report_scaling_table(rep, false));
	if (r)
		return r;
	fprintf(f, "<h2>p99 by %s (µs)</h2>\n", vb_report_axis_name(rep->axis));
	return table(f, vb_report_scaling_table(rep, true));
}

struct page {
	const char *title;
	int (*head)(FILE *f, void *arg);
	void *arg;
};

static int write_page(FILE *f, const struct vb_report *rep, const struct page *pg,
		      const struct figure *figs, size_t n, const char *note)
{
	int r;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
	html_text(f, "title", NULL, pg->title);
	fputs("<style>", f);
	fputs(style, f);
	fputs("</style>\n</head>\n<body>\n", f);
	html_text(f, "h1", NULL, pg->title);
	if (note[0])
		html_text(f, "p", "note", note);
	if (pg->head && (r = pg->head(f, pg->arg)))
		return r;
	if (rep->axis != VB_SWEEP_NONE)
		fprintf(f, "<p>Sweep over %s, %zu points.</p>\n", vb_report_axis_name(rep->axis),
			rep->nruns);
	fputs("<h2>Runs</h2>\n", f);
	for (size_t i = 0; i < rep->nruns; i++)
		describe_run(f, rep, i);
	r = write_tables(f, rep);
	for (size_t i = 0; !r && i < n; i++)
		write_figure(f, &figs[i]);
	fputs("</body>\n</html>\n", f);
	return r ? r : ferror(f) ? -EIO : 0;
}

int vb_report_write_html_page(const struct vb_report *rep, FILE *f, const char *title,
			      int (*head)(FILE *f, void *arg), void *arg, char *note,
			      size_t notelen)
{
	const struct page pg = { .title = title, .head = head, .arg = arg };
	struct figure figs[MAX_FIGURES];
	size_t n = 0;
	int r = plan(rep, figs, &n);

	if (!r) {
		render(figs, n, note, notelen);
		r = write_page(f, rep, &pg, figs, n, note);
	}
	for (size_t i = 0; i < n; i++) {
		vb_plot_free(figs[i].plot);
		free(figs[i].svg);
	}
	return r;
}

int vb_report_write_html(const struct vb_report *rep, FILE *f, char *note, size_t notelen)
{
	return vb_report_write_html_page(rep, f, "vcpubench report", NULL, NULL, note, notelen);
}
