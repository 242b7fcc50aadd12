/* vcpubench report through the real binary, on committed results
 * (tests/data): text and Markdown pinned by golden files, CSV and JSON read
 * back, HTML with and without gnuplot, and every malformed input an error
 * naming file, line and column, exit 1, with no --out file left behind.
 * VB_UPDATE_GOLDEN=1 rewrites the golden files from the current output. */
#include <dirent.h>

#include "e2e.h"

#define DATA VB_GOLDEN_DIR "/../data"

static struct e2e r;

static void run_in(const char *cwd, const char *const *args)
{
	struct e2e_opts o = { .rlimit = -1, .cwd = cwd };

	e2e_run_opts(&r, &o, args);
}

static void golden(const char *name, const char *const *args)
{
	char path[512], want[1 << 16] = "";
	FILE *f;
	size_t n;

	run_in(DATA, args);
	CHECK_EQ_U64(r.status, 0);
	snprintf(path, sizeof(path), "%s/%s", VB_GOLDEN_DIR, name);
	if (getenv("VB_UPDATE_GOLDEN")) {
		f = fopen(path, "w");
		fputs(r.out, f);
		fclose(f);
	}
	f = fopen(path, "r");
	CHECK(f != NULL);
	n = f ? fread(want, 1, sizeof(want) - 1, f) : 0;
	want[n] = '\0';
	if (f)
		fclose(f);
	if (strcmp(r.out, want) != 0)
		fprintf(stderr, "%s differs; got:\n%s\n", name, r.out);
	CHECK(strcmp(r.out, want) == 0);
}

static void test_golden(void)
{
	golden("report_small.txt", (const char *const[]){ "report", "small", NULL });
	golden("report_small.md", (const char *const[]){ "report", "--format", "md", "small", NULL });
	golden("report_two.txt", (const char *const[]){ "report", "small", "partial", NULL });
	golden("report_sweep.txt", (const char *const[]){ "report", "sweep", NULL });
	/* summary.csv of small lies (vm_create n 1); the report never reads it. */
	CHECK(strstr(r.out, "summary") == NULL);
}

/* The sweep as the brief first described it: "axis" instead of "axes";
 * points are subdirectories (here symbolic links to the committed ones). */
static void test_sweep_axis(void)
{
	char dir[256], path[400];
	FILE *f;

	e2e_tmpname(dir, sizeof(dir), "axis");
	mkdir(dir, 0755);
	for (int v = 1; v <= 4; v *= 2) {
		char target[300];

		snprintf(target, sizeof(target), "%s/sweep/vms-%d", DATA, v);
		snprintf(path, sizeof(path), "%s/p%d", dir, v);
		CHECK(symlink(target, path) == 0);
	}
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	f = fopen(path, "w");
	fputs("{\"sweep\": {\"axis\": \"grid\", \"points\": [{\"dir\": \"p1\", \"vms\": 1, "
	      "\"vcpus\": 1}, {\"dir\": \"p2\", \"vms\": 2, \"vcpus\": 1}, {\"dir\": \"p4\", "
	      "\"vms\": 4, \"vcpus\": 1}]}}\n", f);
	fclose(f);
	E2E_RUN(&r, "report", dir);
	CHECK_EQ_U64(r.status, 0);
	CHECK(strstr(r.out, "median µs by VMs × vCPUs") != NULL);
	CHECK(strstr(r.out, "1×1      2×1      4×1") != NULL);
	f = fopen(path, "w");
	fputs("{\"sweep\": {\"axis\": \"grid\", \"points\": [{\"dir\": \"../p1\"}]}}\n", f);
	fclose(f);
	E2E_RUN(&r, "report", dir);
	CHECK_EQ_U64(r.status, 1);
	CHECK(strstr(r.err, "sweep.points[0].dir must name a subdirectory") != NULL);
}

static void test_csv_json(void)
{
	char tmp[256], path[300], cell[64];
	json_t *j;

	e2e_tmpname(tmp, sizeof(tmp), "csv");
	mkdir(tmp, 0755);
	snprintf(path, sizeof(path), "%s/r.csv", tmp);
	E2E_RUN(&r, "report", "--format", "csv", "--out", path, DATA "/small");
	CHECK_EQ_U64(r.status, 0);
	CHECK(e2e_cell(tmp, "r.csv", -1, 3, cell, sizeof(cell)) == 0);
	CHECK_EQ_STR(cell, "phase");
	CHECK_EQ_U64(e2e_count(tmp, "r.csv", 3, "vm_create"), 1);
	CHECK(e2e_cell(tmp, "r.csv", 3, 4, cell, sizeof(cell)) == 0); /* vm_create's n */
	CHECK_EQ_STR(cell, "3");
	E2E_RUN(&r, "report", "--format", "json", DATA "/small", DATA "/partial");
	CHECK_EQ_U64(r.status, 0);
	j = json_loads(r.out, 0, NULL);
	CHECK(j != NULL);
	CHECK_EQ_U64(json_integer_value(json_object_get(json_object_get(json_object_get(
		json_array_get(json_object_get(j, "runs"), 1), "phases"), "vcpu_cpuid"), "failed")), 1);
	json_decref(j);
}

/* Files in @dir (to see that no temporary was left). */
static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	if (d)
		closedir(d);
	return n;
}

/* A results directory whose phases.csv is @text; checks the error. */
static void malformed(const char *text, const char *where)
{
	char dir[256], path[300], out[300], want[400];
	FILE *f;

	e2e_tmpname(dir, sizeof(dir), "bad");
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	snprintf(out, sizeof(out), "%s/report.html", dir);
	E2E_RUN(&r, "report", "--format", "html", "--out", out, dir);
	CHECK_EQ_U64(r.status, 1);
	snprintf(want, sizeof(want), "vcpubench: report: %s:%s", path, where);
	if (strncmp(r.err, want, strlen(want)) != 0)
		fprintf(stderr, "stderr '%s' does not start with '%s'\n", r.err, want);
	CHECK(strncmp(r.err, want, strlen(want)) == 0);
	CHECK(!e2e_exists(out));
	CHECK_EQ_U64(count_files(dir), 1); /* phases.csv only: no temporary left */
}

#define HDR "iteration,vm,vcpu,tid,cpu,phase,start_ns,duration_ns,status\n"
#define ROW "0,0,0,7,0,vcpu_create,100,2000,ok\n"

static void test_malformed(void)
{
	malformed("", "1:1: empty file");
	malformed(HDR ROW "0,0,0,7,0,vcpu_create,100\n", "3:8: record has 7 fields, the header 9");
	malformed(HDR ROW "0,0,0,7,0,vcpu_create,100,12µs,ok\n",
		  "3:8: duration_ns '12µs' is not a non-negative integer");
	malformed("iteration,vm,vcpu,tid,cpu,phase,start_ns,status\n" ROW,
		  "1:9: missing column 'duration_ns'");
	malformed(HDR ROW "0,0,0,7,0,\"vcpu_create,100,2000,ok\n",
		  "3:6: unterminated quoted field");
}

static void test_usage(void)
{
	E2E_RUN(&r, "report");
	CHECK_EQ_U64(r.status, 2);
	E2E_RUN(&r, "report", "--format", "pdf", DATA "/small");
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "--format: 'pdf' is not text, md, html, csv, json or openmetrics") != NULL);
	E2E_RUN(&r, "report", DATA "/sweep", DATA "/small");
	CHECK_EQ_U64(r.status, 2);
	E2E_RUN(&r, "report", "/nonexistent/results");
	CHECK_EQ_U64(r.status, 1);
	CHECK(strstr(r.err, "cannot open '/nonexistent/results/phases.csv'") != NULL);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The whole of @path (a static buffer; HTML is too big for a pipe read). */
static const char *slurp(const char *path)
{
	static char buf[1 << 21];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static void test_html(void)
{
	char tmp[256], out[300];
	const char *html;

	e2e_tmpname(tmp, sizeof(tmp), "html");
	mkdir(tmp, 0755);
	snprintf(out, sizeof(out), "%s/r.html", tmp);
	/* No gnuplot: tables, a note saying so, exit 0. */
	setenv("VB_GNUPLOT", "/nonexistent/gnuplot", 1);
	E2E_RUN(&r, "report", "--format", "html", "--out", out, DATA "/small");
	unsetenv("VB_GNUPLOT");
	CHECK_EQ_U64(r.status, 0);
	CHECK(strstr(r.err, "gnuplot is not installed") != NULL);
	html = slurp(out);
	CHECK(strstr(html, "gnuplot is not installed") != NULL);
	CHECK(strstr(html, "<td>vm_create</td>") != NULL);
	CHECK_EQ_U64(count(html, "<svg"), 0);
	if (system("gnuplot --version >/dev/null 2>&1") != 0)
		return; /* the browser test says more, and skips */
	/* An existing report is replaced whole. */
	E2E_RUN(&r, "report", "--format", "html", "--out", out, DATA "/small");
	CHECK_EQ_U64(r.status, 0);
	CHECK_EQ_STR(r.err, "");
	html = slurp(out);
	/* Distribution, CDF, timeline and first-KVM_RUN events. */
	CHECK_EQ_U64(count(html, "<svg"), 4);
	CHECK_EQ_U64(count(html, "<script"), 0);
	CHECK_EQ_U64(count_files(tmp), 1);
	E2E_RUN(&r, "report", "--format", "html", "--out", out, DATA "/sweep");
	CHECK_EQ_U64(r.status, 0);
	/* Scaling, distribution, CDF, the last point's timeline. */
	CHECK_EQ_U64(count(slurp(out), "<svg"), 4);
}

int main(void)
{
	test_golden();
	test_sweep_axis();
	test_csv_json();
	test_malformed();
	test_usage();
	test_html();
	return vb_check_exit();
}
