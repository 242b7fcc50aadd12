/* --sched-stats end to end: the counters' columns in phases.csv, filled for
 * every measured phase and empty for derived ones; on-CPU time never more
 * than the window (plus the reads around it); the report's scheduler table,
 * its counts of slow samples (above 10x their median) recounted here from
 * phases.csv; compare --metric oncpu. At 1x64 on few CPUs some windows
 * must be seen preempted. How many of the slow setup ioctls are preempted,
 * slept, stolen or on the CPU is printed, not asserted: on a virtual
 * machine it depends on what its hypervisor does meanwhile (from all slow
 * samples preempted to two in three on the CPU, from one run to the next
 * here: results/README.md). Under QEMU TCG
 * (the test VM) the VM kernel's CPU accounting cannot tell these apart:
 * there the report's warning is checked too. */
#include "check.h"
#include "describe.h"
#include "e2e.h"

enum { C_PHASE = 5, C_DURATION = 7, C_STATUS = 8, C_ONCPU, C_RUNQ, C_NVCSW, C_NIVCSW, C_MINFLT,
       C_MAJFLT, C_MIGRATED, NCOLS };

/* The reads around a window are on-CPU too: a few µs, more under a
 * sanitizer or emulation. */
#define READS_SLACK_NS 500000u

struct tally {
	unsigned rows, with_sched, derived_empty, over_window, preempted_rows;
};

/* One phase's counted rows, for recounting its slow samples. */
struct slow {
	const char *phase;
	struct vb_u64vec dur, oncpu, kind; /* kind: 0 on CPU, 1 preempted, 2 slept, 3 stolen */
};

static bool derived(const char *phase)
{
	return !strcmp(phase, "vcpu_setup_total") || !strcmp(phase, "boot_total") ||
	       !strcmp(phase, "vm_boot") || !strcmp(phase, "gdt_write") ||
	       !strcmp(phase, "idt_write") || !strcmp(phase, "pagetable_write");
}

/* The report's classification (rundata.h vb_sched_tails), from the
 * columns themselves. */
static uint64_t kind_of(char **f, uint64_t dur, uint64_t oncpu, uint64_t step)
{
	if (strcmp(f[C_RUNQ], "0") || strcmp(f[C_NIVCSW], "0"))
		return 1;
	if (strcmp(f[C_NVCSW], "0"))
		return 2;
	return oncpu < dur && dur - oncpu > dur / 2 + step ? 3 : 0;
}

static void check_rows(const char *dir, struct tally *t, uint64_t step, struct slow *sl,
		       size_t nsl)
{
	char path[512];
	struct vb_csv_reader *rd;
	char **f;
	size_t n;
	int header = 1;

	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	rd = vb_csv_reader_open(path);
	CHECK(rd != NULL);
	*t = (struct tally){ 0 };
	while (rd && vb_csv_reader_next(rd, &f, &n) == 1) {
		if (header) {
			CHECK_EQ_U64(n, NCOLS);
			CHECK_EQ_STR(f[C_ONCPU], "oncpu_ns");
			CHECK_EQ_STR(f[C_MIGRATED], "migrated");
			header = 0;
			continue;
		}
		t->rows++;
		if (!*f[0] || strcmp(f[C_STATUS], "ok") != 0) /* process-wide phases: none */
			continue;
		if (derived(f[C_PHASE])) {
			t->derived_empty += !*f[C_ONCPU] && !*f[C_RUNQ];
			continue;
		}
		if (!*f[C_ONCPU])
			continue;
		t->with_sched++;
		if (strtoull(f[C_ONCPU], NULL, 10) >
		    strtoull(f[C_DURATION], NULL, 10) + READS_SLACK_NS + 2 * step) {
			fprintf(stderr, "%s: %s on-CPU %s ns in a %s ns window (minflt %s, majflt %s, "
				"migrated %s)\n", dir, f[C_PHASE], f[C_ONCPU], f[C_DURATION],
				f[C_MINFLT], f[C_MAJFLT], f[C_MIGRATED]);
			t->over_window++;
		}
		CHECK(!strcmp(f[C_MIGRATED], "0") || !strcmp(f[C_MIGRATED], "1"));
		t->preempted_rows += strcmp(f[C_RUNQ], "0") || strcmp(f[C_NIVCSW], "0");
		for (size_t i = 0; i < nsl; i++) {
			uint64_t dur = strtoull(f[C_DURATION], NULL, 10);
			uint64_t oncpu = strtoull(f[C_ONCPU], NULL, 10);

			if (strcmp(f[C_PHASE], sl[i].phase))
				continue;
			CHECK(!vb_u64vec_push(&sl[i].dur, dur) &&
			      !vb_u64vec_push(&sl[i].oncpu, oncpu) &&
			      !vb_u64vec_push(&sl[i].kind, kind_of(f, dur, oncpu, step)));
		}
	}
	vb_csv_reader_free(rd);
}

/* The report's JSON: runs[0].phases.<phase>.sched.<key>. */
static json_int_t sched_value(json_t *doc, const char *phase, const char *key)
{
	json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
	json_t *p = json_object_get(json_object_get(run, "phases"), phase);

	return json_integer_value(json_object_get(json_object_get(p, "sched"), key));
}

/* Recount @s's samples above 10x its median by kind, into @by_kind. */
static void recount(struct slow *s, unsigned by_kind[4], unsigned *over)
{
	struct vb_u64vec sorted = { 0 };
	uint64_t median;

	CHECK(!vb_u64vec_append(&sorted, &s->dur));
	median = vb_stats_median_of(&sorted);
	for (size_t i = 0; i < s->dur.n; i++)
		if (s->dur.v[i] > 10 * median) {
			(*over)++;
			by_kind[s->kind.v[i]]++;
		}
	vb_u64vec_release(&sorted);
	vb_u64vec_release(&s->dur);
	vb_u64vec_release(&s->oncpu);
	vb_u64vec_release(&s->kind);
}

static void test_sched_1x64(void)
{
	struct slow sl[] = { { .phase = "vcpu_fpu" }, { .phase = "vcpu_regs" },
			     { .phase = "vcpu_msrs" } };
	char dir[256];
	struct tally t;
	struct e2e r;
	json_t *m;
	unsigned k = 0, n = 0, slept = 0, stolen = 0;
	uint64_t step;
	bool tcg;

	e2e_tmpname(dir, sizeof(dir), "sched64");
	E2E_RUN(&r, "run", "--vms", "1", "--vcpus", "64", "--iterations", "20", "--sched-stats",
		"--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	m = e2e_meta(dir);
	step = (uint64_t)json_integer_value(json_object_get(json_object_get(m, "sched_stats"),
							    "oncpu_step_ns"));
	tcg = strcmp(json_string_value(json_object_get(json_object_get(json_object_get(m, "host"),
									 "vm"), "accel")) ?: "", "tcg") == 0;
	json_decref(m);
	check_rows(dir, &t, step, sl, 3);
	CHECK(t.with_sched >= 64 * 20 * 10);
	CHECK(t.preempted_rows > 0); /* 64 threads on this machine's few CPUs */
	CHECK(t.derived_empty >= 64 * 20 * 2);
	/* A bracketing bug would put rows over their window by the thousand.
	 * One in a thousand may be: once in a CI run (TSan, loaded host) a
	 * 98 µs vcpu_cpuid window read 1.04 ms on the CPU (most likely time
	 * the hypervisor took between the window's clock read and its on-CPU
	 * read, counted as the thread's; not reproduced on a quiet host). The
	 * reads' own time is outside the window by design. */
	if (!tcg)
		CHECK(t.over_window * 1000 <= t.with_sched);
	m = e2e_meta(dir);
	CHECK(json_is_true(json_object_get(json_object_get(m, "config"), "sched_stats")));
	CHECK(json_is_true(json_object_get(json_object_get(m, "sched_stats"), "enabled")));
	CHECK(json_real_value(json_object_get(json_object_get(json_object_get(m, "sched_stats"),
							      "read_ns"),
					      "schedstat_pread")) > 0);
	json_decref(m);

	E2E_RUN(&r, "report", dir);
	CHECK_EQ_U64(r.status, 0);
	CHECK(strstr(r.out, "scheduler (--sched-stats)") != NULL);
	CHECK((strstr(r.out, "on-CPU and run-queue times move in steps") != NULL) ==
	      (step > VB_SCHED_STEP_WARN_NS));
	CHECK((strstr(r.out, "--sched-stats under QEMU TCG") != NULL) == tcg);
	E2E_RUN(&r, "report", "--format", "json", dir);
	m = json_loads(r.out, 0, NULL);
	CHECK(m != NULL);
	for (size_t i = 0; i < 3; i++) {
		unsigned by_kind[4] = { 0 }, over = 0;

		recount(&sl[i], by_kind, &over);
		CHECK_EQ_U64(sched_value(m, sl[i].phase, "n"), 64 * 20);
		CHECK_EQ_U64(sched_value(m, sl[i].phase, "over_10x_median"), over);
		CHECK_EQ_U64(sched_value(m, sl[i].phase, "over_10x_preempted"), by_kind[1]);
		CHECK_EQ_U64(sched_value(m, sl[i].phase, "over_10x_slept"), by_kind[2]);
		CHECK_EQ_U64(sched_value(m, sl[i].phase, "over_10x_stolen"), by_kind[3]);
		n += over;
		k += by_kind[1];
		slept += by_kind[2];
		stolen += by_kind[3];
	}
	json_decref(m);
	fprintf(stderr,
		"1x64: fpu/regs/msrs samples above 10x their median: %u; preempted %u, slept %u, "
		"stolen %u\n",
		n, k, slept, stolen);
	if (step > VB_SCHED_STEP_WARN_NS || tcg)
		fprintf(stderr, "these kinds mean nothing here: %s\n",
			tcg ? "QEMU TCG (the report says why)" : "a tick-based thread CPU clock");

	/* The same run compared with itself on on-CPU time: never slower or faster. */
	E2E_RUN(&r, "compare", "--metric", "oncpu", dir, dir);
	CHECK(r.status == 0 || r.status == 5); /* never slower; small phases may be undecided */
	CHECK(strstr(r.out, "metric: on-CPU time") != NULL);
}

/* Without --sched-stats nothing changes: no columns, and --metric oncpu
 * says what is missing. */
static void test_off(void)
{
	char dir[256];
	struct e2e r;

	e2e_tmpname(dir, sizeof(dir), "plain");
	E2E_RUN(&r, "run", "--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	CHECK(e2e_count(dir, "phases.csv", 0, NULL) > 0);
	E2E_RUN(&r, "compare", "--metric", "oncpu", dir, dir);
	CHECK_EQ_U64(r.status, 1);
	CHECK(strstr(r.err, "has no on-CPU times (run it with --sched-stats)") != NULL);
	E2E_RUN(&r, "report", dir);
	CHECK(strstr(r.out, "scheduler (--sched-stats)") == NULL);
}

int main(void)
{
	e2e_need_kvm();
	test_sched_1x64();
	test_off();
	return vb_check_exit();
}
