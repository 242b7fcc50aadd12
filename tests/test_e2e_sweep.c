/* --sweep and --hold end to end: one complete results directory per point
 * with the right row counts, an index meta.json; with --hold every VM of an
 * iteration is alive at once. Also --json's summary. */
#include "check.h"
#include "e2e.h"

enum { C_ITER, C_VM, C_VCPU, C_TID, C_CPU, C_PHASE, C_START, C_DURATION, C_STATUS };

static void test_sweep_grid(void)
{
	static const unsigned vms[] = { 1, 3 }, vcpus[] = { 1, 2 };
	char dir[256], point[512];
	struct e2e r;
	json_t *m, *points;

	e2e_tmpname(dir, sizeof(dir), "sweep");
	E2E_RUN(&r, "run", "--sweep", "vms=1,3;vcpus=1,2", "--iterations", "2", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	m = e2e_meta(dir);
	points = json_object_get(json_object_get(m, "sweep"), "points");
	CHECK_EQ_U64(json_array_size(points), 4);
	CHECK(json_is_true(json_object_get(m, "complete")));
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 2; k++) {
			json_t *p = json_array_get(points, i * 2 + k);

			snprintf(point, sizeof(point), "%s/vms-%u-vcpus-%u", dir, vms[i], vcpus[k]);
			CHECK(e2e_count(point, "phases.csv", C_PHASE, "first_run") == vms[i] * vcpus[k] * 2);
			CHECK(e2e_count(point, "phases.csv", C_PHASE, "vm_create") == vms[i] * 2);
			CHECK(json_integer_value(json_object_get(p, "vms")) == vms[i]);
			CHECK(json_integer_value(json_object_get(p, "vcpus")) == vcpus[k]);
			CHECK(json_is_true(json_object_get(p, "complete")));
			CHECK(json_integer_value(json_object_get(json_object_get(json_object_get(
				      p, "phases"), "first_run"), "n")) == vms[i] * vcpus[k] * 2);
			CHECK(strstr(r.out, point) != NULL); /* one line per point */
		}
	json_decref(m);
}

/* With --hold, no VM of an iteration is torn down before the last one of
 * that iteration is created: the peak of live VMs is every VM requested. */
static long peak_live_vms(const char *dir, long iteration)
{
	char path[1024];
	struct vb_csv_reader *rd;
	char **f;
	size_t n;
	uint64_t last_create_end = 0, first_teardown = UINT64_MAX;
	long live = 0;
	uint64_t create_end[64] = { 0 };
	long ncreate = 0;

	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	rd = vb_csv_reader_open(path);
	while (rd && vb_csv_reader_next(rd, &f, &n) == 1) {
		uint64_t start, dur;
		long it;

		if (n < 9 || vb_csv_parse_u64(f[C_START], &start) ||
		    vb_csv_parse_u64(f[C_DURATION], &dur) || sscanf(f[C_ITER], "%ld", &it) != 1 ||
		    it != iteration)
			continue;
		if (strcmp(f[C_PHASE], "vm_create") == 0 && ncreate < 64) {
			create_end[ncreate++] = start + dur;
			if (start + dur > last_create_end)
				last_create_end = start + dur;
		}
		if (strcmp(f[C_PHASE], "vm_teardown") == 0 && start < first_teardown)
			first_teardown = start;
	}
	vb_csv_reader_free(rd);
	/* VMs created and not yet torn down when the last one was created. */
	for (long i = 0; i < ncreate; i++)
		live += create_end[i] <= last_create_end && first_teardown >= last_create_end;
	return live;
}

static void test_hold(void)
{
	char dir[256];
	struct e2e r;

	e2e_tmpname(dir, sizeof(dir), "hold");
	E2E_RUN(&r, "run", "--hold", "--vms", "16", "--iterations", "2", "--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	CHECK_EQ_U64(peak_live_vms(dir, 0), 16);
	CHECK_EQ_U64(peak_live_vms(dir, 1), 16);
}

/* --jobs 1 bounds VM setup too: no two vm_create windows overlap. */
static void test_jobs_serialize_vms(void)
{
	char dir[256], path[300];
	struct vb_csv_reader *rd;
	char **f;
	size_t n;
	uint64_t win[32][2];
	int nw = 0, overlaps = 0;
	struct e2e r;

	e2e_tmpname(dir, sizeof(dir), "jobs");
	E2E_RUN(&r, "run", "--jobs", "1", "--hold", "--vms", "12", "--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	rd = vb_csv_reader_open(path);
	while (rd && vb_csv_reader_next(rd, &f, &n) == 1 && nw < 32) {
		uint64_t s, d;

		if (n >= 9 && strcmp(f[C_PHASE], "vm_create") == 0 &&
		    !vb_csv_parse_u64(f[C_START], &s) && !vb_csv_parse_u64(f[C_DURATION], &d)) {
			win[nw][0] = s;
			win[nw++][1] = s + d;
		}
	}
	vb_csv_reader_free(rd);
	CHECK_EQ_U64(nw, 12);
	for (int i = 0; i < nw; i++)
		for (int k = i + 1; k < nw; k++)
			overlaps += win[i][0] < win[k][1] && win[k][0] < win[i][1];
	CHECK_EQ_U64(overlaps, 0);
}

static void test_json(void)
{
	char dir[256];
	struct e2e r;
	json_t *j;
	json_error_t e;

	e2e_tmpname(dir, sizeof(dir), "json");
	E2E_RUN(&r, "run", "--json", "--vcpus", "2", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	j = json_loads(r.out, 0, &e);
	CHECK(j != NULL);
	CHECK_EQ_STR(json_string_value(json_object_get(j, "results")), dir);
	CHECK(json_is_true(json_object_get(json_object_get(j, "run"), "complete")));
	CHECK(json_integer_value(json_object_get(json_object_get(json_object_get(j, "phases"),
								 "first_run"), "n")) == 2);
	json_decref(j);
}

int main(void)
{
	e2e_need_kvm();
	test_sweep_grid();
	test_hold();
	test_jobs_serialize_vms();
	test_json();
	return vb_check_exit();
}
