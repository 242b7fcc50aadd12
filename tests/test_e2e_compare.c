/* vcpubench compare through the real binary, on one real run (tests/data/aa,
 * 1 VM x 2 vCPUs x 40 iterations on the development host) split in two by
 * iteration: even iterations against odd ones, so a slow drift of the host
 * during the run weighs on both halves alike. A/A must never say slower or
 * faster (no change where the interval is narrow, inconclusive where 20
 * iterations cannot tell; exit 5 then); a 20 % slowdown injected into one
 * phase must be found there and nowhere else, exit 3. Different phases, guests or accelerators: exit
 * 2 unless --force; malformed input: exit 1 naming file, line and column.
 * The same data split into rounds (every sixth iteration) for sets. */
#include "e2e.h"

#define AA VB_GOLDEN_DIR "/../data/aa"

static struct e2e r;

/* Per row of @from's phases.csv: keep it (and scale its duration by
 * @scale when its phase is @phase) when @keep says so. */
typedef bool (*keep_fn)(const char *iteration, const char *phase);

static void write_row(FILE *f, char **fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		vb_csv_write_field(f, fields[i]);
	}
	fputc('\n', f);
}

static void copy_meta(const char *to, const char *key, const char *value)
{
	char path[512];
	json_t *m = e2e_meta(AA);

	if (key)
		json_object_set_new(json_object_get(m, key[0] == 'h' ? "host" : "config"),
				    strchr(key, '.') + 1, json_string(value));
	snprintf(path, sizeof(path), "%s/meta.json", to);
	CHECK(json_dump_file(m, path, JSON_INDENT(2)) == 0);
	json_decref(m);
}

/* The results directory @dir (created here) of the rows of aa that @keep
 * selects. */
static void fill_dir(const char *dir, keep_fn keep, const char *slow_phase)
{
	struct vb_csv_reader *rd = vb_csv_reader_open(AA "/phases.csv");
	char path[512];
	char **f;
	size_t n, header = 1;
	FILE *out;

	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	out = fopen(path, "w");
	CHECK(rd && out);
	while (rd && vb_csv_reader_next(rd, &f, &n) == 1) {
		char scaled[32];

		if (!header && !keep(f[0], f[5]))
			continue;
		if (!header && slow_phase && strcmp(f[5], slow_phase) == 0) {
			snprintf(scaled, sizeof(scaled), "%llu", strtoull(f[7], NULL, 10) * 12 / 10);
			f[7] = scaled;
		}
		write_row(out, f, n);
		header = 0;
	}
	vb_csv_reader_free(rd);
	fclose(out);
	copy_meta(dir, NULL, NULL);
}

/* A results directory of the rows of aa that @keep selects. */
static void make_dir(char *dir, size_t len, const char *name, keep_fn keep,
		     const char *slow_phase)
{
	e2e_tmpname(dir, len, name);
	fill_dir(dir, keep, slow_phase);
}

/* Set the dotted @path of @dir's meta.json to the JSON @value. */
static void set_meta(const char *dir, const char *path, const char *value)
{
	char file[512], key[128];
	json_t *m, *o;
	const char *p = path, *dot;

	snprintf(file, sizeof(file), "%s/meta.json", dir);
	m = json_load_file(file, 0, NULL);
	CHECK(m != NULL);
	for (o = m; (dot = strchr(p, '.')); p = dot + 1) {
		json_t *next;

		snprintf(key, sizeof(key), "%.*s", (int)(dot - p), p);
		next = json_object_get(o, key);
		if (!json_is_object(next)) {
			next = json_object();
			json_object_set_new(o, key, next);
		}
		o = next;
	}
	json_object_set_new(o, p, json_loads(value, JSON_DECODE_ANY, NULL));
	CHECK(json_dump_file(m, file, JSON_INDENT(2)) == 0);
	json_decref(m);
}

/* Process-wide phases (no iteration) go to both halves. */
static bool even(const char *it, const char *phase)
{
	(void)phase;
	return !*it || atoi(it) % 2 == 0;
}

static bool odd(const char *it, const char *phase)
{
	(void)phase;
	return !*it || atoi(it) % 2 == 1;
}

static bool odd_no_exit(const char *it, const char *phase)
{
	return odd(it, phase) && strcmp(phase, "exit") != 0;
}

/* The verdict of @phase in JSON output. */
static const char *verdict(json_t *doc, const char *phase)
{
	size_t i;
	json_t *p;

	json_array_foreach(json_object_get(doc, "phases"), i, p)
		if (strcmp(json_string_value(json_object_get(p, "phase")), phase) == 0)
			return json_string_value(json_object_get(p, "verdict"));
	return "(missing)";
}

static double num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* The intervals' level, FCR-adjusted (1 - max(R, 1) alpha / m), and that
 * every tested phase's interval excludes 1 exactly when its adjusted p <
 * alpha, its verdict read from the interval. */
static void check_levels(json_t *doc)
{
	double alpha = num(doc, "alpha");
	json_int_t m = json_integer_value(json_object_get(doc, "tested")), tested = 0;
	json_int_t sel = json_integer_value(json_object_get(doc, "fcr_selected")), in = 0;
	size_t i;
	json_t *p;

	CHECK(m > 0 && sel >= 0 && sel <= m);
	CHECK_NEAR(num(doc, "ci_level_unadjusted"), 1 - alpha, 1e-12);
	CHECK_NEAR(num(doc, "ci_level"), 1 - (double)(sel ? sel : 1) * alpha / (double)m, 1e-12);
	json_array_foreach(json_object_get(doc, "phases"), i, p) {
		json_t *ci = json_object_get(p, "ratio_ci");
		const char *v = json_string_value(json_object_get(p, "verdict"));
		double lo = json_number_value(json_array_get(ci, 0));
		double hi = json_number_value(json_array_get(ci, 1)), ratio = num(p, "ratio");
		bool out = lo > 1 || hi < 1, changed = num(p, "p_adjusted") < alpha;

		if (json_is_null(json_object_get(p, "p_adjusted"))) {
			CHECK(json_is_null(ci));
			continue;
		}
		tested++;
		in += changed;
		CHECK(json_array_size(ci) == 2 && out == changed);
		if (!out)
			CHECK(strcmp(v, "slower") != 0 && strcmp(v, "faster") != 0);
		if (strcmp(v, "slower") == 0)
			CHECK(lo > 1 && ratio > 1.05);
		if (strcmp(v, "no change") == 0)
			CHECK(lo >= 0.95 && hi <= 1.05);
	}
	CHECK_EQ_U64(tested, m);
	CHECK_EQ_U64(in, sel);
}

static json_t *compare_json(const char *a, const char *b, const char *extra)
{
	if (extra)
		E2E_RUN(&r, "compare", "--format", "json", extra, a, b);
	else
		E2E_RUN(&r, "compare", "--format", "json", a, b);
	return json_loads(r.out, 0, NULL);
}

/* Neither slower nor faster anywhere; the counts add up; the exit status
 * says whether every phase was decided. Returns the phases no change. */
static size_t check_aa(json_t *doc)
{
	size_t i, phases = 0, same = 0, open = 0;
	json_t *p;

	CHECK(doc != NULL);
	check_levels(doc);
	json_array_foreach(json_object_get(doc, "phases"), i, p) {
		const char *v = json_string_value(json_object_get(p, "verdict"));

		if (strcmp(v, "no change") != 0 && strcmp(v, "inconclusive") != 0)
			fprintf(stderr, "A/A: %s is %s\n",
				json_string_value(json_object_get(p, "phase")), v);
		same += strcmp(v, "no change") == 0;
		open += strcmp(v, "inconclusive") == 0;
		/* An undecided phase with a spread says what would decide it. */
		if (strcmp(v, "inconclusive") == 0 &&
		    json_integer_value(json_object_get(p, "n_base")) > 1)
			CHECK(!json_is_null(json_object_get(p, "needed")));
		phases++;
	}
	CHECK_EQ_U64(phases, 23);
	CHECK_EQ_U64(same + open, phases);
	CHECK_EQ_U64(json_integer_value(json_object_get(doc, "no_change")), same);
	CHECK_EQ_U64(json_integer_value(json_object_get(doc, "inconclusive")), open);
	CHECK_EQ_U64(r.status, open ? 5 : 0);
	return same;
}

static void test_aa_and_slowdown(const char *a, const char *b, const char *slow)
{
	json_t *doc = compare_json(a, b, NULL), *p;
	size_t i;

	/* 40 samples a side: the µs ioctls are narrow enough to show equivalence. */
	CHECK(check_aa(doc) > 0);
	CHECK_EQ_U64(json_array_size(json_object_get(doc, "differences")), 0);
	json_decref(doc);

	doc = compare_json(a, slow, NULL);
	CHECK_EQ_U64(r.status, 3);
	check_levels(doc);
	/* 20 phases with a spread (three are measured once a run), one selected. */
	CHECK_EQ_U64(json_integer_value(json_object_get(doc, "tested")), 20);
	CHECK_EQ_U64(json_integer_value(json_object_get(doc, "fcr_selected")), 1);
	json_array_foreach(json_object_get(doc, "phases"), i, p) {
		const char *name = json_string_value(json_object_get(p, "phase"));
		const char *v = verdict(doc, name);

		if (strcmp(name, "vcpu_cpuid") == 0)
			CHECK_EQ_STR(v, "slower");
		else
			CHECK(strcmp(v, "no change") == 0 || strcmp(v, "inconclusive") == 0);
	}
	CHECK_EQ_U64(json_integer_value(json_object_get(doc, "slower")), 1);
	json_decref(doc);
	/* The text says the same, and names what differs in meta.json. */
	E2E_RUN(&r, "compare", a, slow);
	CHECK_EQ_U64(r.status, 3);
	CHECK(strstr(r.out, "result: regression: 1 phase slower (vcpu_cpuid); 1 slower, 0 faster, ")
	      != NULL);
	/* The interval at its level, 1 - 0.01 / 20, and what chose it. */
	CHECK(strstr(r.out, "99.95% CI (FCR-adjusted, 20 phases, 1 selected)") != NULL);
	CHECK(strstr(r.out, "(unadjusted: 99%)") != NULL);
	E2E_RUN(&r, "compare", "--alpha", "0.05", a, slow);
	CHECK(strstr(r.out, "99.75% CI (FCR-adjusted, 20 phases, 1 selected)") != NULL);
	CHECK(strstr(r.out, "(unadjusted: 95%)") != NULL && strstr(r.out, "99.95% CI") == NULL);
	CHECK(strstr(r.out, "host.kernel_release  6.18.44-fc-v669 → 6.19.0-test") != NULL);
}

static void test_mismatch(const char *a, const char *no_exit, const char *other_guest,
			  const char *irqchip)
{
	json_t *doc;

	E2E_RUN(&r, "compare", a, no_exit);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "the runs measured different phases: only in BASE: exit") != NULL);
	doc = compare_json(a, no_exit, "--force");
	CHECK_EQ_U64(r.status, 5); /* one-sample phases cannot be decided */
	CHECK_EQ_STR(verdict(doc, "exit"), "one run only");
	json_decref(doc);
	E2E_RUN(&r, "compare", a, other_guest);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "different guests: 'pio' and 'hlt'") != NULL);
	/* a (tests/data/aa) predates --irqchip: it counts as none. */
	E2E_RUN(&r, "compare", a, irqchip);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "--irqchip none and --irqchip kernel (config.irqchip") != NULL);
}

static void test_errors(const char *a)
{
	char bad[256], path[300];
	FILE *f;

	E2E_RUN(&r, "compare", a);
	CHECK_EQ_U64(r.status, 2);
	E2E_RUN(&r, "compare", "--alpha", "2", a, a);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "--alpha: '2' is not a number") != NULL);
	E2E_RUN(&r, "compare", "--threshold", "five", a, a);
	CHECK_EQ_U64(r.status, 2);
	E2E_RUN(&r, "compare", "--threshold", "5%", a, a);
	CHECK_EQ_U64(r.status, 5);
	e2e_tmpname(bad, sizeof(bad), "bad");
	mkdir(bad, 0755);
	snprintf(path, sizeof(path), "%s/phases.csv", bad);
	f = fopen(path, "w");
	fputs("iteration,vm,vcpu,tid,cpu,phase,start_ns,duration_ns,status\n0,0,0,1,0,exit,5,x,ok\n",
	      f);
	fclose(f);
	E2E_RUN(&r, "compare", a, bad);
	CHECK_EQ_U64(r.status, 1);
	CHECK(strstr(r.err, "phases.csv:2:8: duration_ns 'x' is not a non-negative integer") !=
	      NULL);
}

/* Rounds: iterations taken mod 6, three residues a side, so each round
 * holds every sixth iteration. */
static int residue;

static bool mod6(const char *it, const char *phase)
{
	(void)phase;
	return !*it || atoi(it) % 6 == residue;
}

/* A set of three rounds, residues @first, @first + 2, @first + 4. */
static void make_set(char *dir, size_t len, const char *name, int first, const char *slow)
{
	char round[300];

	e2e_tmpname(dir, len, name);
	mkdir(dir, 0755);
	for (int i = 0; i < 3; i++) {
		residue = first + 2 * i;
		snprintf(round, sizeof(round), "%s/round-%d", dir, i + 1);
		fill_dir(round, mod6, slow);
	}
}

/* Rounds as replicates: an A/A says no change everywhere and judges by
 * rounds; 20 % slower vcpu_cpuid in every NEW round is found; --pooled
 * goes back to the per-sample tests; several NEW give one comparison
 * each. */
static void test_rounds(const char *single)
{
	char base[256], same[256], slow[256];
	json_t *doc, *p;
	size_t i, by_rounds = 0;

	make_set(base, sizeof(base), "base", 0, NULL);
	make_set(same, sizeof(same), "same", 1, NULL);
	make_set(slow, sizeof(slow), "slow", 1, "vcpu_cpuid");
	doc = compare_json(base, same, NULL);
	check_aa(doc);
	json_array_foreach(json_object_get(doc, "phases"), i, p) {
		by_rounds += json_is_true(json_object_get(p, "by_rounds"));
		CHECK_EQ_U64(json_integer_value(json_object_get(p, "rounds_base")), 3);
	}
	CHECK_EQ_U64(by_rounds, 23);
	json_decref(doc);

	doc = compare_json(base, slow, NULL);
	CHECK_EQ_U64(r.status, 3);
	check_levels(doc);
	CHECK_EQ_STR(verdict(doc, "vcpu_cpuid"), "slower");
	CHECK_EQ_U64(json_integer_value(json_object_get(doc, "slower")), 1);
	json_decref(doc);
	doc = compare_json(base, slow, "--pooled");
	check_levels(doc);
	CHECK_EQ_STR(verdict(doc, "vcpu_cpuid"), "slower");
	json_array_foreach(json_object_get(doc, "phases"), i, p)
		CHECK(json_is_false(json_object_get(p, "by_rounds")));
	json_decref(doc);

	/* A set against one run: the one run has a single round, pooled tests. */
	E2E_RUN(&r, "compare", "--format", "json", single, same, slow);
	CHECK_EQ_U64(r.status, 3);
	doc = json_loads(r.out, 0, NULL);
	CHECK(json_is_array(doc) && json_array_size(doc) == 2);
	CHECK_EQ_STR(verdict(json_array_get(doc, 1), "vcpu_cpuid"), "slower");
	json_decref(doc);
	E2E_RUN(&r, "compare", base, same);
	CHECK(strstr(r.out, "rounds are the replicates (3 BASE, 3 NEW)") != NULL);
	CHECK(strstr(r.out, "3 rounds (samples pooled)") != NULL);
	E2E_RUN(&r, "compare", "--format", "html", base, same, slow);
	CHECK_EQ_U64(r.status, 3);
	CHECK(strstr(r.out, "<h2>slow") != NULL && strstr(r.out, "<table") != NULL);
}

/* Different accelerators are not comparable without --force; a clock that
 * costs more in NEW flags the phases whose change it could explain. */
static void test_accel_and_clock(const char *a, const char *b)
{
	char tcg[256], clock[256];
	json_t *doc, *p;
	size_t i, suspects = 0;

	make_dir(tcg, sizeof(tcg), "tcg", odd, NULL);
	set_meta(tcg, "host.vm", "{\"accel\": \"tcg\", \"kernel\": \"linux-image-6.1\"}");
	E2E_RUN(&r, "compare", a, tcg);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "different accelerators, 'none' and 'tcg'") != NULL);
	E2E_RUN(&r, "compare", "--force", a, tcg);
	CHECK_EQ_U64(r.status, 5);
	CHECK(strstr(r.out, "host.vm") != NULL && strstr(r.out, "tcg") != NULL);

	make_dir(clock, sizeof(clock), "clock", odd, NULL);
	set_meta(clock, "host.clock_read_ns", "1310");
	doc = compare_json(a, clock, NULL);
	json_array_foreach(json_object_get(doc, "phases"), i, p)
		suspects += json_is_true(json_object_get(p, "clock_suspect"));
	CHECK(suspects > 0);
	CHECK_EQ_U64(json_integer_value(json_object_get(doc, "clock_read_ns_new")), 1310);
	json_decref(doc);
	E2E_RUN(&r, "compare", a, clock);
	CHECK(strstr(r.out, "warning: a clock read costs 20 ns in BASE and 1310 ns in NEW") != NULL);
	doc = compare_json(a, b, NULL);
	json_array_foreach(json_object_get(doc, "phases"), i, p)
		CHECK(json_is_false(json_object_get(p, "clock_suspect")));
	json_decref(doc);
}

int main(void)
{
	char a[256], b[256], slow[256], no_exit[256], guest[256], irqchip[256];

	make_dir(a, sizeof(a), "even", even, NULL);
	make_dir(b, sizeof(b), "odd", odd, NULL);
	make_dir(slow, sizeof(slow), "slow", odd, "vcpu_cpuid");
	copy_meta(slow, "host.kernel_release", "6.19.0-test");
	make_dir(no_exit, sizeof(no_exit), "noexit", odd_no_exit, NULL);
	make_dir(guest, sizeof(guest), "guest", odd, NULL);
	copy_meta(guest, "config.guest", "hlt");
	make_dir(irqchip, sizeof(irqchip), "irqchip", odd, NULL);
	copy_meta(irqchip, "config.irqchip", "kernel");
	test_aa_and_slowdown(a, b, slow);
	test_mismatch(a, no_exit, guest, irqchip);
	test_errors(a);
	test_rounds(a);
	test_accel_and_clock(a, b);
	return vb_check_exit();
}
