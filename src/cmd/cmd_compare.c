/* vcpubench compare BASE NEW...: per-phase verdicts of each NEW against
 * BASE; exit 3 when any phase got slower, 5 when none did but some phase is
 * inconclusive (a CI gate may rerun with more rounds), 2 when the runs measured
 * different things (unless --force), 1 on unreadable or malformed results.
 * Each argument is a results directory or a set of rounds (rundata.h). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare.h"
#include "compare_render.h"
#include "report.h"

static const struct vb_cmd_option options[] = {
	{ "threshold", 't', "PCT", "smallest change of a median that counts, in % [5]" },
	{ "alpha", 'a', "P", "significance level [0.01]" },
	{ "pooled", 'P', NULL, "pool the samples of all rounds (per-sample tests)" },
	{ "metric", 'm', "wall|oncpu",
	  "compare wall time [wall] or on-CPU time (runs made\n"
	  "with --sched-stats): a busy host's waits left out" },
	{ "format", 'f', "text|md|json|html", "output format [text]" },
	{ "force", 'F', NULL, "compare runs of different phases, guests or\naccelerators anyway" },
	{ "help", 'h', NULL, "this text" },
};

const struct vb_cmd_option *vb_cmd_compare_options(size_t *n)
{
	*n = sizeof(options) / sizeof(options[0]);
	return options;
}

static void usage(FILE *f)
{
	fputs("usage: vcpubench compare BASE NEW... [options]\n\n"
	      "BASE and each NEW: a results directory, or a directory of rounds (results\n"
	      "directories of one configuration, as tools/kernels writes): rounds are then\n"
	      "the replicates. Each NEW is compared with BASE.\n\n",
	      f);
	vb_cmd_options_usage(f, options, sizeof(options) / sizeof(options[0]), 30);
	fputs("\nVerdicts, read from the interval: slower/faster when it excludes 1 (the\n"
	      "adjusted p < alpha) and the ratio is beyond 1 ± threshold; no change when it\n"
	      "lies inside [1 - threshold, 1 + threshold]; inconclusive otherwise. The\n"
	      "interval's level is 1 - max(R, 1) alpha / m, R of the m phases tested\n"
	      "selected by Benjamini-Hochberg (FCR-adjusted), so the two never disagree.\n\n"
	      "Exit status: 0 every phase decided and none slower, 3 a phase is slower,\n"
	      "5 none slower but some inconclusive, 1 unreadable results, 2 usage.\n",
	      f);
}

struct compare_args {
	struct vb_compare_opts opts;
	enum vb_compare_format fmt;
	bool force;
	char **dirs; /* BASE, then each NEW */
	size_t ndirs;
};

/* A whole-string decimal number within [lo, hi] (a trailing % allowed when @pct). */
static int parse_number(const char *opt, const char *s, double lo, double hi, bool pct,
			double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (pct && *end == '%')
		end++;
	if (errno || end == s || *end || !isfinite(*out) || *out < lo || *out > hi) {
		vb_error("compare: --%s: '%s' is not a number from %g to %g", opt, s, lo, hi);
		return 2;
	}
	return 0;
}

static int parse_option(int c, struct compare_args *a, char **argv)
{
	double pct;

	switch (c) {
	case 't':
		if (parse_number("threshold", optarg, 0, 1000, true, &pct))
			return 2;
		a->opts.threshold = pct / 100;
		return 0;
	case 'a':
		return parse_number("alpha", optarg, 1e-12, 0.5, false, &a->opts.alpha);
	case 'f':
		if (!vb_compare_format_parse(optarg, &a->fmt))
			return 0;
		vb_error("compare: --format: '%s' is not text, md, json or html", optarg);
		return 2;
	case 'F':
		a->force = true;
		return 0;
	case 'P':
		a->opts.pooled = true;
		return 0;
	case 'm':
		if (strcmp(optarg, "wall") == 0 || strcmp(optarg, "oncpu") == 0) {
			a->opts.oncpu = optarg[0] == 'o';
			return 0;
		}
		vb_error("compare: --metric: '%s' is not wall or oncpu", optarg);
		return 2;
	default:
		vb_error("compare: '%s': %s", argv[optind - 1],
			 optopt ? "missing value" : "unknown option");
		return 2;
	}
}

/* 0, 1 for --help, 2 on a usage error (already said). */
static int parse(int argc, char **argv, struct compare_args *a)
{
	struct option longopts[sizeof(options) / sizeof(options[0]) + 1];
	int c;

	*a = (struct compare_args){ .opts = { .alpha = 0.01, .threshold = 0.05 } };
	vb_cmd_options_getopt(options, sizeof(options) / sizeof(options[0]), longopts);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (parse_option(c, a, argv))
			return 2;
	}
	if (argc - optind < 2) {
		vb_error("compare: needs two or more results directories, BASE and NEW; "
			 "see 'vcpubench compare --help'");
		return 2;
	}
	a->dirs = argv + optind;
	a->ndirs = (size_t)(argc - optind);
	return 0;
}

/* 0, or 2 when a NEW measured something else than BASE and no --force. */
static int check(const struct compare_args *a, const struct vb_report *rep)
{
	char why[1200];

	for (size_t i = 1; i < rep->nruns; i++) {
		if (!vb_compare_check(&rep->runs[0].data, &rep->runs[i].data, why, sizeof(why)))
			continue;
		if (!a->force) {
			vb_error("compare: %s; --force compares them anyway", why);
			return 2;
		}
		vb_error("compare: warning: %s", why);
	}
	return 0;
}

static int compare(const struct compare_args *a, const struct vb_report *rep)
{
	size_t n = rep->nruns > 1 ? rep->nruns - 1 : 0, slower = 0, undecided = 0, done = 0;
	struct vb_comparison *c = n ? calloc(n, sizeof(*c)) : NULL;
	char note[1024] = "";
	int r = c ? 0 : n ? -ENOMEM : -EINVAL;

	for (; !r && done < n; done++) {
		r = vb_compare_runs(&rep->runs[0].data, &rep->runs[done + 1].data, &a->opts,
				    &c[done]);
		slower += c[done].slower;
		undecided += c[done].inconclusive;
	}
	if (!r)
		r = vb_compare_write(c, n, rep, a->fmt, stdout, note, sizeof(note));
	if (!r && fflush(stdout))
		r = -errno;
	for (size_t i = 0; c && i < done; i++)
		vb_comparison_release(&c[i]);
	free(c);
	if (r) {
		vb_error("compare: %s", strerror(-r));
		return 1;
	}
	if (note[0])
		vb_error("compare: %s", note);
	return slower ? 3 : undecided ? 5 : 0;
}

/* --metric oncpu: every run's samples become its on-CPU times. 0, or 1
 * when a run has none. */
static int use_oncpu(struct vb_report *rep)
{
	for (size_t i = 0; i < rep->nruns; i++)
		if (vb_rundata_use_oncpu(&rep->runs[i].data)) {
			vb_error("compare: --metric oncpu: '%s' has no on-CPU times (run it with "
				 "--sched-stats)", rep->runs[i].data.dir);
			return 1;
		}
	return 0;
}

int vb_cmd_compare(int argc, char **argv)
{
	struct vb_report rep;
	struct compare_args a;
	char err[1024];
	int r = parse(argc, argv, &a);

	if (r == 1) {
		usage(stdout);
		return 0;
	}
	if (r)
		return r;
	if (vb_report_load(&rep, a.dirs, a.ndirs, a.fmt == VB_COMPARE_HTML, err, sizeof(err))) {
		vb_error("compare: %s", err);
		return 1;
	}
	r = a.opts.oncpu ? use_oncpu(&rep) : 0;
	if (!r)
		r = check(&a, &rep);
	if (!r)
		r = compare(&a, &rep);
	vb_report_release(&rep);
	return r;
}
