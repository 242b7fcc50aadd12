/* vcpubench compare BASE NEW: per-phase verdicts; exit 3 when any phase got
 * slower, 2 when the runs measured different things (unless --force), 1 on
 * unreadable or malformed results. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare.h"
#include "compare_render.h"
#include "rundata.h"

static void usage(FILE *f)
{
	fputs("usage: vcpubench compare BASE NEW [options]\n\n"
	      "  --threshold PCT        smallest change of a median that counts, in % [5]\n"
	      "  --alpha P              significance level of the Mann-Whitney U test [0.01]\n"
	      "  --format text|md|json  output format [text]\n"
	      "  --force                compare runs of different phases or guests anyway\n"
	      "  --help                 this text\n\n"
	      "Exit status: 0 no regression, 3 a phase is slower, 1 unreadable results, 2 usage.\n",
	      f);
}

struct compare_args {
	struct vb_compare_opts opts;
	enum vb_compare_format fmt;
	bool force;
	const char *base, *new_;
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
		vb_error("compare: --format: '%s' is not text, md or json", optarg);
		return 2;
	case 'F':
		a->force = true;
		return 0;
	default:
		vb_error("compare: '%s': %s", argv[optind - 1],
			 optopt ? "missing value" : "unknown option");
		return 2;
	}
}

/* 0, 1 for --help, 2 on a usage error (already said). */
static int parse(int argc, char **argv, struct compare_args *a)
{
	static const struct option longopts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*a = (struct compare_args){ .opts = { .alpha = 0.01, .threshold = 0.05 } };
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (parse_option(c, a, argv))
			return 2;
	}
	if (argc - optind != 2) {
		vb_error("compare: needs two results directories, BASE and NEW; "
			 "see 'vcpubench compare --help'");
		return 2;
	}
	a->base = argv[optind];
	a->new_ = argv[optind + 1];
	return 0;
}

static int compare(const struct compare_args *a, const struct vb_rundata *base,
		   const struct vb_rundata *new_)
{
	struct vb_comparison c;
	char why[1200];
	int r;

	if (vb_compare_check(base, new_, why, sizeof(why))) {
		if (!a->force) {
			vb_error("compare: %s; --force compares them anyway", why);
			return 2;
		}
		vb_error("compare: warning: %s", why);
	}
	r = vb_compare_runs(base, new_, &a->opts, &c);
	if (!r)
		r = vb_compare_write(&c, base, new_, a->fmt, stdout);
	if (!r && fflush(stdout))
		r = -errno;
	if (r) {
		vb_comparison_release(&c);
		vb_error("compare: %s", strerror(-r));
		return 1;
	}
	r = c.slower ? 3 : 0;
	vb_comparison_release(&c);
	return r;
}

int vb_cmd_compare(int argc, char **argv)
{
	struct vb_rundata base, new_;
	struct compare_args a;
	char err[1024];
	int r = parse(argc, argv, &a);

	if (r == 1) {
		usage(stdout);
		return 0;
	}
	if (r)
		return r;
	if (vb_rundata_load(&base, a.base, err, sizeof(err))) {
		vb_error("compare: %s", err);
		return 1;
	}
	if (vb_rundata_load(&new_, a.new_, err, sizeof(err))) {
		vb_error("compare: %s", err);
		vb_rundata_release(&base);
		return 1;
	}
	r = compare(&a, &base, &new_);
	vb_rundata_release(&base);
	vb_rundata_release(&new_);
	return r;
}
