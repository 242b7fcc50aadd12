/* Rendering the history model: text (a table per phase), CSV (one row per
 * phase and run), JSON (series with their points and change points). */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "history.h"
#include "table.h"

/* "2026-11-26T11:59:26.761197Z" -> "2026-11-26 11:59:26" */
static void short_date(const char *utc, char *out, size_t len)
{
	snprintf(out, len, "%.19s", utc);
	if (strlen(out) > 10 && out[10] == 'T')
		out[10] = ' ';
}

int vb_history_change_line(FILE *out, const char *indent, const struct vb_history_series *s,
			   const struct vb_history_change *c)
{
	const struct vb_history_point *p = &s->points[c->at];
	char date[24];

	short_date(p->started_utc, date, sizeof(date));
	return fprintf(out,
		       "%schange at #%zu (run %.12s, %s, host %s, kernel %s, version %s):"
		       " p50 %.3f -> %.3f µs (%+.1f%%, p %.3f)\n",
		       indent, c->at + 1, p->run_id, date, p->host, p->kernel, p->version,
		       c->before / 1e3, c->after / 1e3, c->rel_change * 100, c->p_value) < 0
		       ? -EIO
		       : 0;
}

/* The change point that starts at point @j of @s, or NULL. */
static const struct vb_history_change *change_at(const struct vb_history_series *s, size_t j)
{
	for (size_t k = 0; k < s->nchanges; k++)
		if (s->changes[k].at == j)
			return &s->changes[k];
	return NULL;
}

struct vb_table *vb_history_table(const struct vb_history_series *s)
{
	static const char *const heads[] = { "#", "date (UTC)", "host", "kernel", "version",
					     "run", "n", "p50 µs", "p99 µs" };
	struct vb_table *t = vb_table_new();
	int rc = t ? 0 : -ENOMEM;

	for (size_t i = 0; rc == 0 && i < 9; i++)
		rc = vb_table_column(t, heads[i],
				     (i == 0 || i >= 6) ? VB_ALIGN_RIGHT : VB_ALIGN_LEFT, NULL);
	for (size_t i = 0; rc == 0 && i < s->n; i++) {
		const struct vb_history_point *p = &s->points[i];
		char date[24];

		short_date(p->started_utc, date, sizeof(date));
		rc = vb_table_row(t);
		rc = rc ? rc : vb_table_cell(t, "%zu", i + 1);
		rc = rc ? rc : vb_table_cell(t, "%s", date);
		rc = rc ? rc : vb_table_cell(t, "%s", p->host);
		rc = rc ? rc : vb_table_cell(t, "%s", p->kernel);
		rc = rc ? rc : vb_table_cell(t, "%s", p->version);
		rc = rc ? rc : vb_table_cell(t, "%.12s", p->run_id);
		rc = rc ? rc : vb_table_cell(t, "%llu", (unsigned long long)p->n);
		rc = rc ? rc : vb_table_cell(t, "%.3f", p->p50 / 1e3);
		rc = rc ? rc : vb_table_cell(t, "%.3f", p->p99 / 1e3);
	}
	if (rc) {
		vb_table_free(t);
		return NULL;
	}
	return t;
}

static int text_series(FILE *out, const struct vb_history_series *s)
{
	struct vb_table *t = vb_history_table(s);
	int rc = t ? 0 : -ENOMEM;

	if (rc == 0 && fprintf(out, "%s (%zu runs)\n", vb_phase_name[s->phase], s->n) < 0)
		rc = -EIO;
	if (rc == 0)
		rc = vb_table_write_text(t, out, "  ");
	for (size_t i = 0; rc == 0 && i < s->nchanges; i++)
		rc = vb_history_change_line(out, "  ", s, &s->changes[i]);
	if (rc == 0 && fprintf(out, "  %zu change point%s\n", s->nchanges,
			       s->nchanges == 1 ? "" : "s") < 0)
		rc = -EIO;
	vb_table_free(t);
	return rc;
}

static int write_text(FILE *out, const struct vb_history *h)
{
	int rc = 0, first = 1;

	for (int i = 0; rc == 0 && i < VB_PHASE_COUNT; i++) {
		if (!h->series[i].n)
			continue;
		if (!first && fputc('\n', out) == EOF)
			return -EIO;
		first = 0;
		rc = text_series(out, &h->series[i]);
	}
	if (rc == 0 && first && fputs("no runs in the database match\n", out) == EOF)
		rc = -EIO;
	return rc;
}

static int write_csv(FILE *out, const struct vb_history *h)
{
	if (fputs("phase,index,run_id,started_utc,host,kernel,version,n,p50_ns,p99_ns,"
		  "change_rel,change_p\n",
		  out) == EOF)
		return -EIO;
	for (int i = 0; i < VB_PHASE_COUNT; i++) {
		const struct vb_history_series *s = &h->series[i];

		for (size_t j = 0; j < s->n; j++) {
			const struct vb_history_point *p = &s->points[j];
			const char *f[] = { p->run_id, p->started_utc, p->host, p->kernel,
					    p->version };

			fprintf(out, "%s,%zu", vb_phase_name[i], j);
			for (size_t k = 0; k < 5; k++) {
				fputc(',', out);
				vb_csv_write_field(out, f[k]);
			}
			const struct vb_history_change *c = change_at(s, j);

			fprintf(out, ",%llu,%.0f,%.0f,", (unsigned long long)p->n, p->p50,
				p->p99);
			if (c)
				fprintf(out, "%.6f,%.6f", c->rel_change, c->p_value);
			else
				fputc(',', out);
			fputc('\n', out);
		}
	}
	return ferror(out) ? -EIO : 0;
}

static json_t *json_series(const struct vb_history_series *s)
{
	json_t *pts = json_array(), *chg = json_array();

	for (size_t j = 0; j < s->n; j++) {
		const struct vb_history_point *p = &s->points[j];

		json_array_append_new(
			pts, json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:f,s:f}", "run_id", p->run_id,
				       "started_utc", p->started_utc, "host", p->host, "kernel",
				       p->kernel, "version", p->version, "n", (json_int_t)p->n,
				       "p50_ns", p->p50, "p99_ns", p->p99));
	}
	for (size_t j = 0; j < s->nchanges; j++) {
		const struct vb_history_change *c = &s->changes[j];
		const struct vb_history_point *p = &s->points[c->at];

		/* From a level of 0 the relative change is infinite: JSON has no
		 * such number, so null. */
		json_t *rel = isfinite(c->rel_change) ? json_real(c->rel_change) : json_null();

		json_array_append_new(
			chg, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:o,s:f}", "index",
				       (json_int_t)c->at, "run_id", p->run_id, "started_utc",
				       p->started_utc, "host", p->host, "kernel", p->kernel,
				       "version", p->version, "before_ns", c->before, "after_ns",
				       c->after, "rel_change", rel, "p_value", c->p_value));
	}
	return json_pack("{s:s,s:o,s:o}", "phase", vb_phase_name[s->phase], "runs", pts,
			 "change_points", chg);
}

static int write_json(FILE *out, const struct vb_history *h)
{
	json_t *arr = json_array();
	int rc;

	for (int i = 0; arr && i < VB_PHASE_COUNT; i++)
		if (h->series[i].n)
			json_array_append_new(arr, json_series(&h->series[i]));
	if (!arr)
		return -ENOMEM;
	rc = json_dumpf(arr, out, JSON_INDENT(2)) == 0 && fputc('\n', out) != EOF ? 0 : -EIO;
	json_decref(arr);
	return rc;
}

int vb_history_write(FILE *out, const struct vb_history *h, enum vb_history_format fmt)
{
	switch (fmt) {
	case VB_HISTORY_CSV:
		return write_csv(out, h);
	case VB_HISTORY_JSON:
		return write_json(out, h);
	case VB_HISTORY_MD:
		return vb_history_write_md(out, h);
	case VB_HISTORY_HTML:
		return vb_history_write_html(out, h);
	default:
		return write_text(out, h);
	}
}
