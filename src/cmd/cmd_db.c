/* vcpubench db import|history: the results database (src/history/).
 * Exit 0 success, 1 a directory or the database failed, 2 usage. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changepoint.h"
#include "cmd.h"
#include "history.h"
#include "import.h"
#include "schema.h"

static void usage(FILE *f)
{
	fputs("usage: vcpubench db import [--db URL] DIR...\n"
	      "       vcpubench db history [--db URL] [--phase P]... [--host H] [--kernel K]\n"
	      "                            [--where KEY=VALUE]... [--alpha A] [--min-change F]\n"
	      "                            [--format text|md|csv|json|html]\n\n"
	      "URL: postgresql://... (or postgres://...), sqlite:PATH or a file path\n"
	      "[" VB_DB_DEFAULT_URL "].\n"
	      "import: each DIR is a results directory, or a directory of them (a sweep, a\n"
	      "tools/kernels output): each results directory is one run, imported whole or\n"
	      "not at all; a run already in the database is skipped.\n"
	      "history: per phase, each run's p50 and p99 in start-time order, and the\n"
	      "change points of the p50 series (E-Divisive means): --alpha is their\n"
	      "significance level [0.01], --min-change the least relative change of the\n"
	      "medians either side [0.05]. --where KEY=VALUE keeps the runs whose\n"
	      "config (meta.json's \"config\") has that value: a string as itself\n"
	      "(guest=pio), anything else as JSON (vms=4, trace=true, timeout_s=10.0).\n\n"
	      "Exit status: 0 done, 1 a directory or the database failed, 2 usage.\n",
	      f);
}

/* Open and migrate; 0, or 1 with the one-line error printed after @who
 * ("db import", "run") and before @tail. */
static int open_db(const char *who, const char *url, struct vb_db **db, const char *tail)
{
	char err[512];
	int rc = vb_db_open(db, url, err, sizeof(err));

	if (rc < 0) {
		vb_error("%s: --db: %s%s", who, err, tail);
		return 1;
	}
	rc = vb_schema_open(*db);
	if (rc < 0) {
		vb_error("%s: %s: %s%s", who, url, (*db)->err, tail);
		vb_db_close(*db);
		*db = NULL;
		return 1;
	}
	return 0;
}

/* Every item but @aborted (reported by the caller: the database failed
 * while importing it), then the summary. */
static int report_import(const struct vb_import *imp, const struct vb_import_item *aborted)
{
	for (size_t i = 0; i < imp->n; i++) {
		const struct vb_import_item *it = &imp->items[i];

		if (it->status == VB_IMPORT_ADDED)
			printf("imported %s: run %s, %llu samples\n", it->dir, it->run_id,
			       (unsigned long long)it->samples);
		else if (it->status == VB_IMPORT_SKIPPED)
			printf("skipped %s: run %s already in the database\n", it->dir,
			       it->run_id);
		else if (it != aborted)
			vb_error("db import: %s: %s (nothing of it imported)", it->dir, it->err);
	}
	printf("%zu imported, %zu already present, %zu failed (%llu samples)\n", imp->added,
	       imp->skipped, imp->failed, (unsigned long long)imp->samples);
	return imp->failed ? 1 : 0;
}

int vb_cmd_db_check_url(const char *url)
{
	char err[512];
	int rc = vb_db_check_url(url, err, sizeof(err));

	if (rc < 0)
		vb_error("--db: %s", err);
	return rc == 0 ? 0 : rc == -EINVAL ? 2 : 1;
}

int vb_cmd_db_import_run(const char *url, const char *dir)
{
	struct vb_import imp = { 0 };
	struct vb_db *db;
	char kept[4200];
	int rc;

	snprintf(kept, sizeof(kept), "; results kept in %s", dir);
	if (open_db("run", url, &db, kept))
		return 1;
	rc = vb_import_path(db, dir, &imp);
	if (rc < 0)
		vb_error("run: --db: %s: %s; results kept in %s", url,
			 rc == -ENOMEM ? "out of memory" : db->err, dir);
	for (size_t i = 0; rc == 0 && i < imp.n; i++)
		if (imp.items[i].status == VB_IMPORT_FAILED) {
			vb_error("run: --db: %s: %s; results kept", imp.items[i].dir,
				 imp.items[i].err);
			rc = -EINVAL;
		}
	vb_import_release(&imp);
	vb_db_close(db);
	return rc < 0;
}

static int do_import(const char *url, int ndirs, char **dirs)
{
	struct vb_import imp = { 0 };
	const struct vb_import_item *aborted = NULL;
	struct vb_db *db;
	int rc = 0;

	if (ndirs == 0) {
		vb_error("db import: no results directory given");
		return 2;
	}
	if (open_db("db import", url, &db, ""))
		return 1;
	for (int i = 0; i < ndirs && rc == 0; i++) {
		size_t before = imp.n;

		rc = vb_import_path(db, dirs[i], &imp);
		/* The database failed (a lost server, a full disk): one line
		 * naming it, the run it was importing, and what is in. */
		if (rc < 0 && imp.n > before && imp.items[imp.n - 1].status == VB_IMPORT_FAILED) {
			aborted = &imp.items[imp.n - 1];
			vb_error("db import: %s: %s (importing %s: nothing of it imported; %zu runs "
				 "imported before it, the rest not tried)",
				 url, rc == -ENOMEM ? "out of memory" : db->err, aborted->dir,
				 imp.added);
		} else if (rc < 0) {
			vb_error("db import: %s: %s (importing %s)", url,
				 rc == -ENOMEM ? "out of memory" : db->err, dirs[i]);
		}
	}
	vb_db_close(db);
	rc = report_import(&imp, aborted) || rc < 0;
	vb_import_release(&imp);
	return rc;
}

static int parse_format(const char *s, enum vb_history_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = VB_HISTORY_TEXT;
	else if (strcmp(s, "csv") == 0)
		*f = VB_HISTORY_CSV;
	else if (strcmp(s, "json") == 0)
		*f = VB_HISTORY_JSON;
	else if (strcmp(s, "md") == 0)
		*f = VB_HISTORY_MD;
	else if (strcmp(s, "html") == 0)
		*f = VB_HISTORY_HTML;
	else
		return -EINVAL;
	return 0;
}

/* A whole-string number in (lo, hi) (open at lo when @open_lo), else 2 with one line. */
static int parse_fraction(const char *opt, const char *s, double lo, double hi, int open_lo,
			  double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(*out) || *out >= hi ||
	    (open_lo ? *out <= lo : *out < lo)) {
		vb_error("db history: --%s: '%s' is not a number in %c%g, %g)", opt, s,
			 open_lo ? '(' : '[', lo, hi);
		return 2;
	}
	return 0;
}

static int do_history(const char *url, struct vb_history_filter *f,
		      enum vb_history_format fmt, const struct vb_cp_options *cpo)
{
	struct vb_history h;
	struct vb_db *db;
	int rc;

	if (open_db("db history", url, &db, ""))
		return 1;
	rc = vb_history_load(db, f, &h);
	if (rc == -ENOENT)
		vb_error("db history: --where: %s", db->err);
	else if (rc < 0)
		vb_error("db history: %s: %s", url, rc == -ENOMEM ? "out of memory" : db->err);
	vb_db_close(db);
	if (rc < 0)
		return rc == -ENOENT ? 2 : 1;
	rc = vb_history_detect(&h, cpo);
	if (rc < 0) {
		vb_error("db history: change points: %s", strerror(-rc));
		vb_history_release(&h);
		return 1;
	}
	rc = vb_history_write(stdout, &h, fmt);
	vb_history_release(&h);
	if (rc == 0 && fflush(stdout) != 0)
		rc = -EIO;
	if (rc < 0)
		vb_error("db history: cannot write the output");
	return rc < 0;
}

static const struct vb_cmd_option options[] = {
	{ "db", 'd', "URL", "the database [" VB_DB_DEFAULT_URL "]" },
	{ "phase", 'p', "P", "history: only phase P (repeatable)" },
	{ "host", 'H', "H", "history: only runs on host H" },
	{ "kernel", 'k', "K", "history: only runs on kernel release K" },
	{ "where", 'w', "KEY=VALUE",
	  "history: only runs whose config has KEY=VALUE (vms=4, irqchip=none;\n"
	  "repeatable: all of them hold)" },
	{ "format", 'f', "text|md|csv|json|html", "history: output format [text]" },
	{ "alpha", 'a', "P", "history: significance level of a change point [0.01]" },
	{ "min-change", 'm', "F", "history: least relative change of a change point [0.05]" },
	{ "help", 'h', NULL, "this text" },
};

const struct vb_cmd_option *vb_cmd_db_options(size_t *n)
{
	*n = sizeof(options) / sizeof(options[0]);
	return options;
}

/* What db history's options fill. */
struct history_args {
	struct vb_history_filter filt;
	const char *phases[64];
	struct vb_history_where where[VB_HISTORY_MAX_WHERE];
	enum vb_history_format fmt;
	struct vb_cp_options cpo;
};

/* --where KEY=VALUE: the key split off in place (optarg is argv's). */
static int parse_where(char *arg, struct history_args *a)
{
	char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : 0;

	if (!eq || klen == 0 || strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789_") != klen) {
		vb_error("db history: --where: '%s' is not KEY=VALUE", arg);
		return 2;
	}
	if (a->filt.nwhere == VB_HISTORY_MAX_WHERE) {
		vb_error("db history: --where: more than %d given", VB_HISTORY_MAX_WHERE);
		return 2;
	}
	*eq = 0;
	a->where[a->filt.nwhere++] = (struct vb_history_where){ arg, eq + 1 };
	a->filt.where = a->where;
	return 0;
}

/* One option of db history (not --db or --help): 0, or 2 with one line. */
static int history_option(int c, struct history_args *a)
{
	struct vb_history_filter *filt = &a->filt;

	switch (c) {
	case 'p':
		if (vb_phase_from_name(optarg) == VB_PHASE_COUNT) {
			vb_error("db history: --phase: '%s' is not a phase", optarg);
			return 2;
		}
		if (filt->nphases == 64) {
			vb_error("db history: --phase: more than 64 given");
			return 2;
		}
		a->phases[filt->nphases++] = optarg;
		filt->phases = a->phases;
		return 0;
	case 'H':
		filt->host = optarg;
		return 0;
	case 'k':
		filt->kernel = optarg;
		return 0;
	case 'w':
		return parse_where(optarg, a);
	case 'a':
		return parse_fraction("alpha", optarg, 0, 1, 1, &a->cpo.alpha_sig);
	case 'm':
		return parse_fraction("min-change", optarg, 0, 1e6, 0, &a->cpo.min_magnitude);
	default:
		if (parse_format(optarg, &a->fmt) < 0) {
			vb_error("db history: --format: '%s' is not text, md, csv, json or html",
				 optarg);
			return 2;
		}
		return 0;
	}
}

int vb_cmd_db(int argc, char **argv)
{
	static struct history_args a; /* zeroed: no filter, text */
	const char *url = VB_DB_DEFAULT_URL;
	struct option long_opts[sizeof(options) / sizeof(options[0]) + 1];
	int c, history;

	vb_cp_options_default(&a.cpo);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	history = strcmp(argv[1], "history") == 0;
	if (!history && strcmp(argv[1], "import") != 0) {
		vb_error("db: '%s' is not import or history", argv[1]);
		return 2;
	}
	argc--;
	argv++;
	vb_cmd_options_getopt(options, sizeof(options) / sizeof(options[0]), long_opts);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+", long_opts, NULL)) != -1) {
		if (c == 'd') {
			url = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else if (!history || c == '?') {
			if (c != '?')
				vb_error("db import: %s is an option of db history", argv[optind - 1]);
			return 2;
		} else if (history_option(c, &a)) {
			return 2;
		}
	}
	if (!history)
		return do_import(url, argc - optind, argv + optind);
	if (optind < argc) {
		vb_error("db history: unexpected argument '%s'", argv[optind]);
		return 2;
	}
	return do_history(url, &a.filt, a.fmt, &a.cpo);
}
