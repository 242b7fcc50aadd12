/* The history as Markdown (a table and the change points per phase) and as
 * HTML: the same, with a trend plot per phase (p50 and p99 per run, through
 * gnuplot as the report's plots, report/plot.c) on which each change point
 * is a dashed line at the run where the phase moved, with the segments'
 * levels drawn either side. All plots are started before any is read back,
 * so gnuplot renders them at once. Without gnuplot the page has the tables. */
#include <errno.h>
#include <stdlib.h>

#include "history.h"
#include "phase.h"
#include "plot.h"
#include "table.h"

int vb_history_write_md(FILE *out, const struct vb_history *h)
{
	int rc = 0, shown = 0;

	for (int i = 0; rc == 0 && i < VB_PHASE_COUNT; i++) {
		const struct vb_history_series *s = &h->series[i];
		struct vb_table *t;

		if (!s->n)
			continue;
		t = vb_history_table(s);
		if (!t)
			return -ENOMEM;
		shown = 1;
		if (fprintf(out, "%s## %s (%zu runs)\n\n", i ? "\n" : "", vb_phase_name[i], s->n) < 0)
			rc = -EIO;
		rc = rc ? rc : vb_table_write_md(t, out);
		vb_table_free(t);
		if (rc == 0 && fprintf(out, "\n%zu change point%s%s\n", s->nchanges,
				       s->nchanges == 1 ? "" : "s", s->nchanges ? ":\n" : "") < 0)
			rc = -EIO;
		for (size_t j = 0; rc == 0 && j < s->nchanges; j++)
			rc = vb_history_change_line(out, "- ", s, &s->changes[j]);
	}
	if (rc == 0 && !shown && fputs("no runs in the database match\n", out) == EOF)
		rc = -EIO;
	return rc;
}

/* Script and data of @s's trend plot into @p. */
static int plot_series(const struct vb_history_series *s, struct vb_plot *p)
{
	const char *path;
	FILE *d = vb_plot_data(p, &path), *sc = vb_plot_script(p);

	if (!d)
		return -errno;
	for (size_t i = 0; i < s->n; i++)
		fprintf(d, "%zu %.6g %.6g\n", i + 1, s->points[i].p50 / 1e3, s->points[i].p99 / 1e3);
	fputs("set terminal svg size 900,320 noenhanced font 'sans,10' background rgb 'white'\n"
	      "set encoding utf8\nset grid lc rgb '#e0e0e0'\nset border lw 0.8\n"
	      "set key top left\nset xlabel 'run (start-time order)'\nset ylabel 'µs'\n",
	      sc);
	fprintf(sc, "set xrange [0.5:%zu.5]\nset title '%s'\n", s->n, vb_phase_name[s->phase]);
	for (size_t j = 0; j < s->nchanges; j++) {
		const struct vb_history_change *c = &s->changes[j];
		size_t from = j ? s->changes[j - 1].at + 1 : 1;
		size_t to = j + 1 < s->nchanges ? s->changes[j + 1].at + 1 : s->n;

		fprintf(sc, "set arrow from %zu.5, graph 0 to %zu.5, graph 1 nohead dt 2 lw 1.5 "
			    "lc rgb '#d62728'\n", c->at, c->at);
		fprintf(sc, "set label '%+.1f%%' at %zu.5, graph 0.95 left offset 0.5,0 "
			    "tc rgb '#d62728'\n", c->rel_change * 100, c->at);
		fprintf(sc, "set arrow from %zu, %.6g to %zu, %.6g nohead lw 2 lc rgb '#d62728'\n",
			from, c->before / 1e3, c->at, c->before / 1e3);
		fprintf(sc, "set arrow from %zu, %.6g to %zu, %.6g nohead lw 2 lc rgb '#d62728'\n",
			c->at + 1, c->after / 1e3, to, c->after / 1e3);
	}
	fputs("plot ", sc);
	vb_plot_quote(sc, path);
	fputs(" using 1:2 with linespoints pt 7 ps 0.5 lc rgb '#1f77b4' title 'p50', ", sc);
	vb_plot_quote(sc, path);
	fputs(" using 1:3 with lines lc rgb '#aaaaaa' title 'p99'\n", sc);
	return ferror(d) || ferror(sc) ? -EIO : 0;
}

/* Start a plot per shown phase into @plots; a failure leaves that one NULL. */
static void start_plots(const struct vb_history *h, struct vb_plot **plots)
{
	for (int i = 0; i < VB_PHASE_COUNT; i++) {
		plots[i] = NULL;
		if (!h->series[i].n)
			continue;
		plots[i] = vb_plot_new();
		if (plots[i] && (plot_series(&h->series[i], plots[i]) || vb_plot_start(plots[i]))) {
			vb_plot_free(plots[i]);
			plots[i] = NULL;
		}
	}
}

static int html_series(FILE *out, const struct vb_history_series *s, struct vb_plot *plot)
{
	struct vb_table *t = vb_history_table(s);
	char *svg = NULL;
	int rc = t ? 0 : -ENOMEM;

	fprintf(out, "<h2>%s (%zu runs)</h2>\n", vb_phase_name[s->phase], s->n);
	if (plot && vb_plot_finish(plot, &svg) == 0)
		fprintf(out, "<figure>%s<figcaption>p50 and p99 per run; dashed: change points, "
			     "with the median level either side</figcaption></figure>\n", svg);
	else
		fputs("<p>(no plot: gnuplot is not installed or failed)</p>\n", out);
	free(svg);
	fprintf(out, "<p>%zu change point%s</p>\n<ul>\n", s->nchanges, s->nchanges == 1 ? "" : "s");
	for (size_t j = 0; rc == 0 && j < s->nchanges; j++) {
		char *line = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&line, &len);

		if (!m)
			return -ENOMEM;
		rc = vb_history_change_line(m, "", s, &s->changes[j]);
		fclose(m);
		fputs("<li>", out);
		vb_html_escape(out, line);
		fputs("</li>\n", out);
		free(line);
	}
	fputs("</ul>\n", out);
	rc = rc ? rc : vb_table_write_html(t, out);
	vb_table_free(t);
	return rc;
}

int vb_history_write_html(FILE *out, const struct vb_history *h)
{
	struct vb_plot *plots[VB_PHASE_COUNT];
	int rc = 0, shown = 0;

	start_plots(h, plots);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>vcpubench history</title>\n<style>body{font-family:sans-serif;margin:2em}"
	      "table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd}"
	      "figure{margin:0}</style></head><body>\n<h1>vcpubench history</h1>\n",
	      out);
	for (int i = 0; i < VB_PHASE_COUNT; i++) {
		if (h->series[i].n && rc == 0) {
			shown = 1;
			rc = html_series(out, &h->series[i], plots[i]);
		}
		vb_plot_free(plots[i]);
	}
	if (!shown)
		fputs("<p>no runs in the database match</p>\n", out);
	fputs("</body></html>\n", out);
	return rc ? rc : ferror(out) ? -EIO : 0;
}
