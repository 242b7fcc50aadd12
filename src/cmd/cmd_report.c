/* vcpubench report: summarise results directories (or one sweep) as text,
 * Markdown, HTML, CSV, JSON or OpenMetrics, or push the metrics to a
 * Pushgateway. Malformed input is an error naming file, line and column
 * (exit 1); --out appears complete or not at all. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json_path.h"
#include "outfile.h"
#include "push.h"
#include "report.h"

static const struct vb_cmd_option options[] = {
	{ "format", 'f', "text|md|html|csv|json|openmetrics", "output format [text]" },
	{ "out", 'o', "FILE", "write to FILE (replaced whole) [stdout]" },
	{ "push", 'p', "URL",
	  "with --format openmetrics: PUT the metrics to\nthe Pushgateway at URL, as\n"
	  "URL/metrics/job/vcpubench/instance/<host>" },
	{ "help", 'h', NULL, "this text" },
};

const struct vb_cmd_option *vb_cmd_report_options(size_t *n)
{
	*n = sizeof(options) / sizeof(options[0]);
	return options;
}

static void usage(FILE *f)
{
	fputs("usage: vcpubench report DIR... [options]\n\n", f);
	vb_cmd_options_usage(f, options, sizeof(options) / sizeof(options[0]), 35);
	fputs("\nDIR is a results directory of 'vcpubench run', or one sweep directory.\n", f);
}

struct report_args {
	enum vb_report_format fmt;
	const char *out;
	const char *push;
};

/* 0, 1 for --help, 2 on a usage error (already said). */
static int parse(int argc, char **argv, struct report_args *a)
{
	struct option longopts[sizeof(options) / sizeof(options[0]) + 1];
	int c;

	*a = (struct report_args){ VB_REPORT_TEXT, NULL, NULL };
	vb_cmd_options_getopt(options, sizeof(options) / sizeof(options[0]), longopts);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == 'f' && vb_report_format_parse(optarg, &a->fmt)) {
			vb_error("report: --format: '%s' is not text, md, html, csv, json or openmetrics",
				 optarg);
			return 2;
		}
		if (c == 'o')
			a->out = optarg;
		if (c == 'p')
			a->push = optarg;
		if (c == '?') {
			vb_error("report: '%s': %s", argv[optind - 1],
				 optopt ? "missing value" : "unknown option");
			return 2;
		}
	}
	if (a->push && a->fmt != VB_REPORT_OPENMETRICS) {
		vb_error("report: --push needs --format openmetrics");
		return 2;
	}
	if (optind == argc) {
		vb_error("report: no results directory; see 'vcpubench report --help'");
		return 2;
	}
	return 0;
}

static int write_report(const struct vb_report *rep, const struct report_args *a)
{
	struct vb_outfile of = { 0 };
	char note[1024];
	int r = a->out ? vb_outfile_open(&of, a->out) : 0;

	if (r) {
		vb_error("report: cannot create '%s': %s", a->out, strerror(-r));
		return 1;
	}
	r = vb_report_write(rep, a->fmt, a->out ? of.f : stdout, note, sizeof(note));
	if (a->out && r)
		vb_outfile_abort(&of);
	else if (a->out)
		r = vb_outfile_commit(&of);
	else if (!r && fflush(stdout))
		r = -errno;
	if (r) {
		vb_error("report: cannot write '%s': %s", a->out ? a->out : "stdout", strerror(-r));
		return 1;
	}
	if (note[0])
		vb_error("report: %s", note);
	return 0;
}

/* The Pushgateway takes Prometheus' text format 0.0.4, not OpenMetrics
 * (1.5 parses both only because its text parser skips # UNIT and # EOF as
 * comments): the same samples are rendered in the older format. */
static int push_report(const struct vb_report *rep, const char *url)
{
	const char *host = vb_json_path_str(rep->runs[0].data.meta, "host.hostname", "");
	char *body = NULL, err[512] = "";
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	int r = f ? vb_report_write_openmetrics(rep, f, false) : -errno;

	if (f && fclose(f) && !r)
		r = -errno;
	if (r)
		snprintf(err, sizeof(err), "%s", strerror(-r));
	else /* a grouping key's value may not be empty */
		r = vb_push_metrics(url, *host ? host : "unknown", body, len, err, sizeof(err));
	free(body);
	if (r)
		vb_error("report: --push: '%s': %s", url, err);
	return r ? 1 : 0;
}

int vb_cmd_report(int argc, char **argv)
{
	struct report_args a;
	struct vb_report rep;
	char err[1024];
	int r = parse(argc, argv, &a);

	if (r == 1) {
		usage(stdout);
		return 0;
	}
	if (r)
		return r;
	r = vb_report_load(&rep, argv + optind, (size_t)(argc - optind), a.fmt == VB_REPORT_HTML,
			   err, sizeof(err));
	if (r) {
		vb_error("report: %s", err);
		return r == -E2BIG ? 2 : 1;
	}
	/* With --push, stdout stays quiet unless --out asks for a file too. */
	r = a.push ? push_report(&rep, a.push) : 0;
	if (!r && (!a.push || a.out))
		r = write_report(&rep, &a);
	vb_report_release(&rep);
	return r;
}
