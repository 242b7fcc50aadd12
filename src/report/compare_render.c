/* Rendering a comparison (compare_render.h). */
#include "compare_render.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "json_path.h"
#include "table.h"

int vb_compare_format_parse(const char *s, enum vb_compare_format *fmt)
{
	static const char *const names[] = { [VB_COMPARE_TEXT] = "text", [VB_COMPARE_MD] = "md",
					     [VB_COMPARE_JSON] = "json", [VB_COMPARE_HTML] = "html" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*fmt = (enum vb_compare_format)i;
			return 0;
		}
	return -EINVAL;
}

static void us_cell(struct vb_table *t, uint64_t ns, size_t n)
{
	if (n)
		vb_table_cell(t, "%.2f", (double)ns / 1000.0);
	else
		vb_table_cell(t, "%s", "");
}

static void ratio_cells(struct vb_table *t, double ratio, double lo, double hi, bool both)
{
	if (!both) {
		vb_table_cell(t, "%s", "");
		vb_table_cell(t, "%s", "");
		return;
	}
	vb_table_cell(t, "%.3f", ratio);
	if (isfinite(lo) && isfinite(hi))
		vb_table_cell(t, "%.3f–%.3f", lo, hi);
	else
		vb_table_cell(t, "%s", "");
}

/* A level such as 0.99956 as "99.956": enough digits to show 1 - level to
 * two significant ones, none trailing ("99", "99.5"). */
static void level_text(char *buf, size_t len, double level)
{
	double rest = 100 * (1 - level);
	int dec = rest > 0 ? 1 - (int)floor(log10(rest)) : 1;

	snprintf(buf, len, "%.*g", 2 + (dec > 0 ? dec : 0), 100 * level);
}

/* "99.956% CI" (the heading of a column); with @why, the adjustment that
 * chose the level: "(FCR-adjusted, 23 phases, 1 selected)". */
static void ci_label(char *buf, size_t len, const struct vb_comparison *c, bool why)
{
	char lvl[32];

	level_text(lvl, sizeof(lvl), c->ci_level);
	if (why && c->tested > 1)
		snprintf(buf, len, "%s%% CI (FCR-adjusted, %zu phases, %zu selected)", lvl, c->tested,
			 c->selected);
	else
		snprintf(buf, len, "%s%% CI", lvl);
}

static const char *unit(const struct vb_phase_compare *pc)
{
	return pc->by_rounds ? "rounds" : "samples";
}

/* An inconclusive phase says what would likely decide it. */
static void verdict_cell(struct vb_table *t, const struct vb_phase_compare *pc)
{
	if (pc->verdict != VB_VERDICT_INCONCLUSIVE || !pc->needed)
		vb_table_cell(t, "%s", vb_verdict_name(pc->verdict));
	else if (pc->needed == VB_NEEDED_UNREACHABLE)
		vb_table_cell(t, "inconclusive (on the margin: more %s will not tell)", unit(pc));
	else
		vb_table_cell(t, "inconclusive (≈ %zu %s a side, estimate)", pc->needed, unit(pc));
}

static struct vb_table *phase_table(const struct vb_comparison *c)
{
	char ci[32], ci99[40];
	const char *const heads[] = { "n base", "n new",   "median base", "median new",
				      "ratio",  ci,        "p (BH)",      "verdict",
				      "p99 base", "p99 new", "p99 ratio",  ci99,
				      "p99" };
	struct vb_table *t = vb_table_new();

	if (!t)
		return NULL;
	ci_label(ci, sizeof(ci), c, false);
	snprintf(ci99, sizeof(ci99), "p99 %s", ci);
	vb_table_column(t, "phase (µs)", VB_ALIGN_LEFT, NULL);
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		vb_table_column(t, heads[i], i == 7 || i == 12 ? VB_ALIGN_LEFT : VB_ALIGN_RIGHT,
				NULL);
	for (size_t i = 0; i < c->nphases; i++) {
		const struct vb_phase_compare *pc = &c->phases[i];
		bool both = pc->n_base && pc->n_new;

		vb_table_row(t);
		vb_table_cell(t, "%s", vb_phase_name[pc->phase]);
		vb_table_cell(t, "%zu", pc->n_base);
		vb_table_cell(t, "%zu", pc->n_new);
		us_cell(t, pc->median_base, pc->n_base);
		us_cell(t, pc->median_new, pc->n_new);
		ratio_cells(t, pc->ratio, pc->ci_lo, pc->ci_hi, both);
		if (both && isfinite(pc->p_adj))
			vb_table_cell(t, "%.2g", pc->p_adj);
		else
			vb_table_cell(t, "%s", "");
		verdict_cell(t, pc);
		us_cell(t, pc->p99_base, pc->n_base);
		us_cell(t, pc->p99_new, pc->n_new);
		ratio_cells(t, pc->p99_ratio, pc->p99_lo, pc->p99_hi, both);
		vb_table_cell(t, "%s", pc->p99_flag == VB_VERDICT_NO_CHANGE || !both
					       ? "" : vb_verdict_name(pc->p99_flag));
	}
	return t;
}

static void describe_side(FILE *f, const char *side, const struct vb_rundata *d, bool md)
{
	char config[512], host[1024], warn[2048], *line, *save;

	vb_describe_config(d, config, sizeof(config));
	vb_describe_host(d, host, sizeof(host));
	vb_describe_warnings(d, warn, sizeof(warn));
	fprintf(f, md ? "**%s** `%s`: %s  \n" : "%-4s %s: %s\n", side, d->dir,
		*config ? config : "configuration unknown");
	if (*host)
		fprintf(f, md ? "host %s  \n" : "     host %s\n", host);
	for (line = strtok_r(warn, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(f, md ? "**warning: %s**  \n" : "     warning: %s\n", line);
}

static void write_diffs(FILE *f, const struct vb_comparison *c, bool md)
{
	size_t w = 0;

	fputs(md ? "\n## What differs (meta.json)\n\n" : "\nwhat differs (meta.json)\n", f);
	if (!c->ndiffs)
		fputs(md ? "Nothing: same host, kernel, KVM parameters and options.\n"
			 : "  nothing: same host, kernel, KVM parameters and options\n",
		      f);
	for (size_t i = 0; i < c->ndiffs; i++)
		w = strlen(c->diffs[i].key) > w ? strlen(c->diffs[i].key) : w;
	for (size_t i = 0; i < c->ndiffs; i++) {
		const struct vb_difference *d = &c->diffs[i];

		if (md)
			fprintf(f, "- `%s`: `%s` → `%s`\n", d->key, d->base, d->new_);
		else
			fprintf(f, "  %-*s  %s → %s\n", (int)w, d->key, d->base, d->new_);
	}
}

static void write_verdict(FILE *f, const struct vb_comparison *c, bool md)
{
	size_t n = 0;

	fputs(md ? "\n**Result:** " : "\nresult: ", f);
	if (c->slower)
		fprintf(f, "regression: %zu phase%s slower (", c->slower,
			c->slower == 1 ? "" : "s");
	else
		fputs(c->inconclusive ? "no regression shown, undecided" : "no regression", f);
	for (size_t i = 0; i < c->nphases; i++)
		if (c->phases[i].verdict == VB_VERDICT_SLOWER)
			fprintf(f, "%s%s", n++ ? ", " : "", vb_phase_name[c->phases[i].phase]);
	fprintf(f, "%s; %zu slower, %zu faster, %zu no change, %zu inconclusive\n",
		c->slower ? ")" : "", c->slower, c->faster, c->no_change, c->inconclusive);
}

/* The phase with the most rounds on each side, or NULL when no phase was
 * judged by rounds. */
static const struct vb_phase_compare *rounds_of(const struct vb_comparison *c)
{
	const struct vb_phase_compare *best = NULL;

	for (size_t i = 0; i < c->nphases; i++)
		if (c->phases[i].by_rounds &&
		    (!best || c->phases[i].rounds_base + c->phases[i].rounds_new >
				      best->rounds_base + best->rounds_new))
			best = &c->phases[i];
	return best;
}

/* The four verdicts' rules, as the README states them. */
static void write_rules(FILE *f, const struct vb_comparison *c, bool md)
{
	double t = c->opts.threshold;

	fprintf(f, md ? "slower/faster: the interval excludes 1 (adjusted p < %g) and the ratio is "
			"beyond 1 ± %g; no change: the interval inside [%g, %g]; inconclusive: "
			"neither (with the %s a side that would likely decide, an estimate from the "
			"observed spread).\n\n"
		      : "slower/faster: the interval excludes 1 (adjusted p < %g) and the ratio beyond "
			"1 ± %g;\nno change: the interval inside [%g, %g]; inconclusive: neither (with "
			"the %s a side\nthat would likely decide, an estimate)\n\n",
		c->opts.alpha, t, 1 - t, 1 + t, rounds_of(c) ? "rounds" : "samples");
}

/* The level of the intervals and why: alpha spread over the phases tested,
 * as many shares as phases were selected (compare.h). */
static void write_level(FILE *f, const struct vb_comparison *c, bool md)
{
	char ci[96], plain[32];

	ci_label(ci, sizeof(ci), c, true);
	level_text(plain, sizeof(plain), 1 - c->opts.alpha);
	fprintf(f, md ? "Intervals: %s, that is 1 − max(selected, 1) · %g / phases, so that "
			"each verdict agrees with its interval (unadjusted: %s%%).\n\n"
		      : "intervals: %s, 1 - max(selected, 1) * %g / phases,\n"
			"so that each verdict agrees with its interval (unadjusted: %s%%)\n",
		ci, c->opts.alpha, plain);
}

static void write_method(FILE *f, const struct vb_comparison *c, bool md)
{
	const struct vb_phase_compare *r = rounds_of(c);

	fprintf(f, md ? "\n**Metric:** %s.\n" : "\nmetric: %s\n",
		c->opts.oncpu ? "on-CPU time (oncpu_ns, --sched-stats): waits for a CPU left out"
			      : "wall time (duration_ns)");
	if (r)
		fprintf(f, md ? "\nRounds are the replicates (%zu BASE, %zu NEW): p from Welch's "
				"t-test on the log of each round's median, two-sided, adjusted for the "
				"%zu phases tested by Benjamini-Hochberg. Ratios are geometric means of "
				"the round medians NEW/BASE with the t intervals dual to p; medians and "
				"p99 are of the pooled samples.\n\n"
			      : "\nrounds are the replicates (%zu BASE, %zu NEW): p from Welch's t-test "
				"on log round medians, two-sided,\nadjusted for the %zu phases tested "
				"by Benjamini-Hochberg; ratios: geometric mean of round medians\n"
				"NEW/BASE, t intervals dual to p; medians and p99 of pooled samples\n",
			r->rounds_base, r->rounds_new, c->tested);
	else
		fprintf(f, md ? "\nRatios are of the medians NEW/BASE; p and interval both from the "
				"bootstrap standard error of the log ratio (normal), two-sided, p "
				"adjusted for the %zu phases tested by Benjamini-Hochberg. Both treat "
				"the samples of a run as independent: a host that changed between the "
				"runs (other load) shows as a change; repeat the runs alternately "
				"(tools/kernels) before trusting a small one.\n\n"
			      : "\nratios of medians NEW/BASE; p and interval from the bootstrap standard "
				"error of the log ratio\n(normal), two-sided, p adjusted for the %zu "
				"phases tested by Benjamini-Hochberg; both see a host\nthat changed "
				"between the runs as a change\n",
			c->tested);
	write_level(f, c, md);
	write_rules(f, c, md);
}

/* Phases whose change the clock's different cost may explain. */
static void write_clock_warning(FILE *f, const struct vb_comparison *c, bool md)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nphases; i++) {
		if (!c->phases[i].clock_suspect)
			continue;
		if (!n++)
			fprintf(f, md ? "\n**warning:** a clock read costs %" PRIu64 " ns in BASE and %"
					PRIu64 " ns in NEW; these phases changed by less than twice "
					"that difference, which the clock alone may explain: "
				      : "\nwarning: a clock read costs %" PRIu64 " ns in BASE and %" PRIu64
					" ns in NEW; these phases changed by less than twice that "
					"difference, which the clock alone may explain: ",
				c->clock_base, c->clock_new);
		fprintf(f, "%s%s", n > 1 ? ", " : "", vb_phase_name[c->phases[i].phase]);
	}
	if (n)
		fputc('\n', f);
}

static int write_text(const struct vb_comparison *c, const struct vb_rundata *base,
		      const struct vb_rundata *new_, FILE *f, bool md)
{
	struct vb_table *t = phase_table(c);
	int r;

	if (!t)
		return -ENOMEM;
	describe_side(f, "BASE", base, md);
	describe_side(f, "NEW", new_, md);
	write_method(f, c, md);
	r = md ? vb_table_write_md(t, f) : vb_table_write_text(t, f, "");
	vb_table_free(t);
	if (r)
		return r;
	write_clock_warning(f, c, md);
	write_diffs(f, c, md);
	write_verdict(f, c, md);
	return ferror(f) ? -EIO : 0;
}

/* A JSON number, or null for what JSON cannot hold (no ratio to a zero median). */
static json_t *num(double v, bool present)
{
	return present && isfinite(v) ? json_real(v) : json_null();
}

static json_t *interval(double lo, double hi, bool present)
{
	if (!present || !isfinite(lo) || !isfinite(hi))
		return json_null();
	return json_pack("[ff]", lo, hi);
}

/* Replicates a side that would likely decide an inconclusive phase: a
 * number, "unreachable", or null. */
static json_t *needed_json(const struct vb_phase_compare *pc)
{
	if (pc->verdict != VB_VERDICT_INCONCLUSIVE || !pc->needed)
		return json_null();
	if (pc->needed == VB_NEEDED_UNREACHABLE)
		return json_string("unreachable");
	return json_pack("{sI ss}", "per_side", (json_int_t)pc->needed, "of",
			 pc->by_rounds ? "rounds" : "samples");
}

static json_t *phase_json(const struct vb_phase_compare *pc)
{
	bool both = pc->n_base && pc->n_new;

	json_t *o = json_pack("{ss sI sI sI sI so so so ss sI sI so so ss}", "phase",
			 vb_phase_name[pc->phase], "n_base", (json_int_t)pc->n_base, "n_new",
			 (json_int_t)pc->n_new, "median_base_ns", (json_int_t)pc->median_base,
			 "median_new_ns", (json_int_t)pc->median_new, "ratio", num(pc->ratio, both),
			 "ratio_ci", interval(pc->ci_lo, pc->ci_hi, both), "p", num(pc->p, both),
			 "verdict", vb_verdict_name(pc->verdict),
			 "p99_base_ns", (json_int_t)pc->p99_base, "p99_new_ns",
			 (json_int_t)pc->p99_new, "p99_ratio", num(pc->p99_ratio, both),
			 "p99_ratio_ci", interval(pc->p99_lo, pc->p99_hi, both), "p99_flag",
			 vb_verdict_name(pc->p99_flag));

	if (o && json_object_update_new(o, json_pack("{so sb sI sI sb so}", "p_adjusted",
						      num(pc->p_adj, both), "by_rounds", pc->by_rounds,
						      "rounds_base", (json_int_t)pc->rounds_base,
						      "rounds_new", (json_int_t)pc->rounds_new,
						      "clock_suspect", pc->clock_suspect,
						      "needed", needed_json(pc)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *comparison_json(const struct vb_comparison *c, const struct vb_rundata *base,
				const struct vb_rundata *new_)
{
	json_t *phases = json_array(), *diffs = json_array();

	for (size_t i = 0; phases && i < c->nphases; i++)
		json_array_append_new(phases, phase_json(&c->phases[i]));
	for (size_t i = 0; diffs && i < c->ndiffs; i++)
		json_array_append_new(diffs, json_pack("{ss ss ss}", "key", c->diffs[i].key, "base",
						       c->diffs[i].base, "new", c->diffs[i].new_));
	json_t *o = json_pack("{ss ss ss sf sf sf so so sb sI sI sI sI sI sI}", "base", base->dir,
			 "new", new_->dir, "metric", c->opts.oncpu ? "oncpu" : "wall",
			 "alpha", c->opts.alpha, "ci_level", c->ci_level, "threshold",
			 c->opts.threshold, "phases", phases, "differences", diffs, "regression",
			 c->slower > 0, "slower", (json_int_t)c->slower, "faster",
			 (json_int_t)c->faster, "no_change", (json_int_t)c->no_change,
			 "inconclusive", (json_int_t)c->inconclusive, "clock_read_ns_base",
			 (json_int_t)c->clock_base, "clock_read_ns_new", (json_int_t)c->clock_new);

	/* The level every interval is drawn at, and what chose it. */
	if (o && json_object_update_new(o, json_pack("{sf sI sI}", "ci_level_unadjusted",
						      1 - c->opts.alpha, "fcr_selected",
						      (json_int_t)c->selected, "tested",
						      (json_int_t)c->tested))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int write_json(const struct vb_comparison *c, size_t n, const struct vb_report *rep,
		      FILE *f)
{
	json_t *doc = n == 1 ? comparison_json(c, &rep->runs[0].data, &rep->runs[1].data)
			     : json_array();
	int r;

	for (size_t i = 0; n > 1 && doc && i < n; i++)
		if (json_array_append_new(doc, comparison_json(&c[i], &rep->runs[0].data,
							       &rep->runs[i + 1].data))) {
			json_decref(doc);
			doc = NULL;
		}
	if (!doc)
		return -ENOMEM;
	r = json_dumpf(doc, f, JSON_INDENT(2));
	json_decref(doc);
	fputc('\n', f);
	return r || ferror(f) ? -EIO : 0;
}

struct html_args {
	const struct vb_comparison *c;
	size_t n;
	const struct vb_report *rep;
};

/* Text written by @fn (plain, not Markdown) as an escaped <pre> block. */
static int html_pre(FILE *f, void (*fn)(FILE *, const struct vb_comparison *, bool),
		    const struct vb_comparison *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return -ENOMEM;
	fn(m, c, false);
	if (fclose(m)) {
		free(buf);
		return -ENOMEM;
	}
	if (len) {
		fputs("<pre>", f);
		vb_html_escape(f, buf);
		fputs("</pre>\n", f);
	}
	free(buf);
	return 0;
}

/* One section per NEW: its verdicts before the report's runs and plots. */
static int html_sections(FILE *f, void *arg)
{
	const struct html_args *a = arg;
	int r = 0;

	for (size_t i = 0; !r && i < a->n; i++) {
		const struct vb_comparison *c = &a->c[i];
		struct vb_table *t = phase_table(c);

		if (!t)
			return -ENOMEM;
		fputs("<h2>", f);
		vb_html_escape(f, a->rep->runs[i + 1].label);
		fputs(" against ", f);
		vb_html_escape(f, a->rep->runs[0].label);
		fprintf(f, "</h2>\n<p class=\"%s\">", c->slower || c->inconclusive ? "warn" : "");
		write_verdict(f, c, false);
		fputs("</p>\n", f);
		r = html_pre(f, write_method, c);
		if (!r)
			r = vb_table_write_html(t, f);
		vb_table_free(t);
		if (!r)
			r = html_pre(f, write_clock_warning, c);
		if (!r)
			r = html_pre(f, write_diffs, c);
	}
	return r ? r : ferror(f) ? -EIO : 0;
}

int vb_compare_write(const struct vb_comparison *c, size_t n, const struct vb_report *rep,
		     enum vb_compare_format fmt, FILE *f, char *note, size_t notelen)
{
	struct html_args a = { .c = c, .n = n, .rep = rep };
	int r = 0;

	if (fmt == VB_COMPARE_JSON)
		return write_json(c, n, rep, f);
	if (fmt == VB_COMPARE_HTML)
		return vb_report_write_html_page(rep, f, "vcpubench compare", html_sections, &a,
						 note, notelen);
	if (fmt == VB_COMPARE_MD)
		fputs("# vcpubench compare\n\n", f);
	for (size_t i = 0; !r && i < n; i++) {
		if (i)
			fputs(fmt == VB_COMPARE_MD ? "\n---\n\n" : "\n\n", f);
		r = write_text(&c[i], &rep->runs[0].data, &rep->runs[i + 1].data, f,
			       fmt == VB_COMPARE_MD);
	}
	return r;
}
