/* vcpubench run end to end on the real /dev/kvm: row counts, statuses,
 * exit reasons, --verify, usage errors before anything is created, and
 * failures that keep what was measured. */
#include "e2e.h"
#include "phase.h"

/* phases.csv columns */
#define C_ITER 0
#define C_PHASE 5
#define C_DURATION 7
#define C_STATUS 8

/* The default (--irqchip kernel) phases; the VMX-only ones are not listed. */
static const enum vb_phase per_vcpu[] = {
	VB_PHASE_VCPU_CREATE, VB_PHASE_VCPU_MMAP,     VB_PHASE_VCPU_CPUID,
	VB_PHASE_VCPU_FPU,    VB_PHASE_VCPU_MSRS,     VB_PHASE_VCPU_REGS,
	VB_PHASE_VCPU_SREGS,  VB_PHASE_VCPU_LAPIC,    VB_PHASE_VCPU_MP_STATE,
	VB_PHASE_FIRST_RUN,   VB_PHASE_EXIT,          VB_PHASE_VCPU_CLOSE,
	VB_PHASE_VCPU_SETUP_TOTAL, VB_PHASE_BOOT_TOTAL,
};
static const enum vb_phase per_vm[] = {
	VB_PHASE_VM_CREATE,  VB_PHASE_VM_MEMORY, VB_PHASE_VM_IRQCHIP, VB_PHASE_VM_PIT,
	VB_PHASE_GUEST_LOAD, VB_PHASE_GDT_WRITE, VB_PHASE_IDT_WRITE,  VB_PHASE_PAGETABLE_WRITE,
	VB_PHASE_VM_TEARDOWN, VB_PHASE_VM_BOOT,
};

static int meta_complete(const char *dir)
{
	json_t *m = e2e_meta(dir);
	int c = m && json_is_true(json_object_get(m, "complete"));

	json_decref(m);
	return c;
}

/* Every first_run and boot_total duration is positive. */
static void check_positive(const char *dir)
{
	char path[1024];
	struct vb_csv_reader *rd;
	char **f;
	size_t n;

	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	rd = vb_csv_reader_open(path);
	CHECK(rd != NULL);
	while (rd && vb_csv_reader_next(rd, &f, &n) == 1) {
		uint64_t d;

		if (n < 9 || strcmp(f[C_PHASE], "first_run") != 0)
			continue;
		CHECK(vb_csv_parse_u64(f[C_DURATION], &d) == 0 && d > 0);
	}
	vb_csv_reader_free(rd);
}

/* The CSV contract: each file's header is the golden one, byte for byte. */
static void check_golden_headers(const char *dir)
{
	FILE *g = fopen(VB_GOLDEN_DIR "/headers.txt", "r");
	char line[1024], name[64], want[960];
	int files = 0;

	CHECK(g != NULL);
	while (g && fgets(line, sizeof(line), g)) {
		char path[1200], got[1024] = "", only[16] = "";
		FILE *f;

		/* A third word "--kernel": a file only runs with --kernel write. */
		if (sscanf(line, "%63s %959s %15s", name, want, only) < 2 || only[0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		f = fopen(path, "r");
		CHECK(f != NULL);
		if (f && fgets(got, sizeof(got), f))
			got[strcspn(got, "\n")] = '\0';
		if (f)
			fclose(f);
		CHECK_EQ_STR(got, want);
		files++;
	}
	if (g)
		fclose(g);
	CHECK(files >= 3);
}

static void test_4x2x3(void)
{
	struct e2e r;
	char dir[256];

	e2e_tmpname(dir, sizeof(dir), "run");
	E2E_RUN(&r, "run", "--vms", "4", "--vcpus", "2", "--iterations", "3", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	if (r.status)
		fprintf(stderr, "stderr: %s\n", r.err);
	for (size_t i = 0; i < sizeof(per_vcpu) / sizeof(per_vcpu[0]); i++) {
		long n = e2e_count(dir, "phases.csv", C_PHASE, vb_phase_name[per_vcpu[i]]);

		if (n != 4 * 2 * 3)
			fprintf(stderr, "phase %s: %ld rows\n", vb_phase_name[per_vcpu[i]], n);
		CHECK(n == 4 * 2 * 3);
	}
	for (size_t i = 0; i < sizeof(per_vm) / sizeof(per_vm[0]); i++)
		CHECK(e2e_count(dir, "phases.csv", C_PHASE, vb_phase_name[per_vm[i]]) == 4 * 3);
	CHECK(e2e_count(dir, "phases.csv", C_PHASE, "kvm_open") == 1);
	CHECK(e2e_count(dir, "phases.csv", C_STATUS, "ok") == e2e_count(dir, "phases.csv", 0, NULL));
	CHECK(e2e_count(dir, "exits.csv", 3, "0") == 24);     /* seq 0: the first exit */
	CHECK(e2e_count(dir, "exits.csv", 4, "io") == 48);    /* exit-loop: outs only */
	CHECK(e2e_count(dir, "summary.csv", 0, "first_run") == 1);
	check_positive(dir);
	check_golden_headers(dir);
	CHECK(meta_complete(dir));
	CHECK(strstr(r.out, "first_run") != NULL); /* the summary table */
	CHECK(strstr(r.out, dir) != NULL);         /* and where the results went */
}

static void test_guest_exits(void)
{
	static const struct {
		const char *guest, *first_exit;
	} guests[] = {
		{ "pio", "io" }, { "hlt", "hlt" }, { "mmio", "mmio" },
		{ "cpuid", "io" }, { "exit-loop", "io" }, { "selfcheck", "io" },
	};

	for (size_t i = 0; i < sizeof(guests) / sizeof(guests[0]); i++) {
		struct e2e r;
		char dir[256], reason[32] = "";

		e2e_tmpname(dir, sizeof(dir), guests[i].guest);
		/* hlt reaches the VMM only without an in-kernel APIC. */
		E2E_RUN(&r, "run", "--guest", guests[i].guest, "--irqchip", "none", "--exits", "3",
			"--quiet", "--out", dir);
		CHECK_EQ_U64(r.status, 0);
		if (r.status)
			fprintf(stderr, "%s: %s\n", guests[i].guest, r.err);
		/* One vCPU: data row 0 of exits.csv is seq 0, the first exit. */
		CHECK(e2e_cell(dir, "exits.csv", 0, 3, reason, sizeof(reason)) == 0);
		CHECK_EQ_STR(reason, "0");
		CHECK(e2e_cell(dir, "exits.csv", 0, 4, reason, sizeof(reason)) == 0);
		CHECK_EQ_STR(reason, guests[i].first_exit);
		CHECK(e2e_count(dir, "exits.csv", 0, NULL) == 4);
	}
}

/* 8 vCPUs per VM and several iterations: their reports must not mix. With
 * --irqchip kernel the guest also reads its APIC's id and LINT0/LINT1
 * entries; under --irqchip none, CPUID's APIC id. */
static void test_verify(const char *irqchip)
{
	struct e2e r;
	char dir[256];

	e2e_tmpname(dir, sizeof(dir), "verify");
	E2E_RUN(&r, "run", "--verify", "--irqchip", irqchip, "--vms", "2", "--vcpus", "8",
		"--iterations", "4", "--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	if (r.status)
		fprintf(stderr, "verify --irqchip %s: %s\n", irqchip, r.err);
	CHECK(meta_complete(dir));
}

/* Results on a file system that refuses RENAME_NOREPLACE (9p, NFS, many
 * FUSE ones), as tests/no_renameat2.c makes every one look: every file is
 * still published whole, nothing is left half-written. With @where NULL,
 * in the current directory (the build tree: 9p inside the test VM). */
static void test_publish_without_noreplace(const char *where)
{
	static const char *const files[] = { "meta.json", "phases.csv", "exits.csv",
					     "summary.csv", "events.csv", "kvm_stats.csv" };
	char dir[256], cmd[1024], path[512];
	int st;

	if (where)
		e2e_tmpname(dir, sizeof(dir), "publish");
	else
		snprintf(dir, sizeof(dir), "vb-e2e-publish-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "%s%s run --vms 2 --vcpus 2 --iterations 2 --trace --kvm-stats "
		 "--quiet --out %s", where ? VB_NO_RENAMEAT2 " " : "", VB_BINARY, dir);
	st = system(cmd);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (!e2e_exists(path))
			fprintf(stderr, "%s: not written\n", path);
		CHECK(e2e_exists(path));
	}
	CHECK(e2e_count(dir, "phases.csv", C_PHASE, "first_run") == 2 * 2 * 2);
	CHECK(meta_complete(dir));
	if (!where) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		CHECK(system(cmd) == 0);
	}
}

int main(void)
{
	e2e_need_kvm();
	test_4x2x3();
	test_guest_exits();
	test_verify("kernel");
	test_verify("none");
	test_publish_without_noreplace("tmp");
	test_publish_without_noreplace(NULL);
	return vb_check_exit();
}
