/* --irqchip kernel and --smp sipi end to end, on a real KVM:
 *  - direct boot with the in-kernel irqchip: every VM and vCPU set-up phase
 *    a VMM issues recorded once per VM or vCPU and iteration, ok; the
 *    VMX-only ones either measured (kvm_intel) or listed as not applicable;
 *  - --pit none: the same without vm_pit;
 *  - INIT-SIPI: 2 VMs x 8 vCPUs with --verify: every AP woken (ap_wake for
 *    7 APs x 2 VMs x iterations, all ok, each APIC id checked), one
 *    sipi_send per VM and iteration, vm_boot per VM;
 *  - --irqchip none: the phases and exits of runs made before the in-kernel
 *    irqchip, and compare reads such runs against one of them (tests/data/aa);
 *    the default refuses that comparison with a reason;
 *  - bad combinations: one line, exit 2, nothing created. */
#include "check.h"
#include "e2e.h"

enum { C_PHASE = 5, C_STATUS = 8 };

static long rows(const char *dir, const char *phase)
{
	return e2e_count(dir, "phases.csv", C_PHASE, phase);
}

static long not_ok(const char *dir)
{
	return e2e_count(dir, "phases.csv", C_STATUS, NULL) - e2e_count(dir, "phases.csv", C_STATUS,
									  "ok");
}

static void test_direct_irqchip(void)
{
	char dir[256];
	struct e2e r;
	json_t *m;
	bool vmx;

	e2e_tmpname(dir, sizeof(dir), "irqchip");
	/* The default: --irqchip kernel, guest exit-loop. */
	E2E_RUN(&r, "run", "--exits", "2", "--vms", "2", "--vcpus", "3", "--iterations", "2",
		"--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	CHECK_EQ_U64(not_ok(dir), 0);
	CHECK_EQ_U64(rows(dir, "vm_irqchip"), 2 * 2);
	CHECK_EQ_U64(rows(dir, "vm_pit"), 2 * 2);
	CHECK_EQ_U64(rows(dir, "vcpu_lapic"), 2 * 3 * 2);
	CHECK_EQ_U64(rows(dir, "vcpu_mp_state"), 2 * 3 * 2);
	CHECK_EQ_U64(rows(dir, "exit"), 2 * 3 * 2 * 2);
	m = e2e_meta(dir);
	vmx = json_object_get(m, "not_applicable") == NULL;
	CHECK_EQ_U64(rows(dir, "vm_tss_addr"), vmx ? 2 * 2 : 0);
	CHECK_EQ_U64(rows(dir, "vm_identity_map"), vmx ? 2 * 2 : 0);
	if (!vmx)
		CHECK(json_object_get(json_object_get(m, "not_applicable"), "vm_tss_addr") != NULL);
	CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(m, "config"), "irqchip")),
		     "kernel");
	CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(m, "config"), "guest")),
		     "exit-loop");
	json_decref(m);
}

/* --pit none: the irqchip without the PIT (as VMMs without a legacy timer
 * set a VM up): no vm_pit, everything else as by default. */
static void test_no_pit(void)
{
	char dir[256];
	struct e2e r;
	json_t *m;

	e2e_tmpname(dir, sizeof(dir), "nopit");
	E2E_RUN(&r, "run", "--pit", "none", "--vcpus", "2", "--iterations", "2", "--quiet", "--out",
		dir);
	CHECK_EQ_U64(r.status, 0);
	CHECK_EQ_U64(not_ok(dir), 0);
	CHECK_EQ_U64(rows(dir, "vm_pit"), 0);
	CHECK_EQ_U64(rows(dir, "vm_irqchip"), 2);
	CHECK_EQ_U64(rows(dir, "vcpu_lapic"), 2 * 2);
	m = e2e_meta(dir);
	CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(m, "config"), "pit")), "none");
	json_decref(m);
}

/* The phases.csv rows check_one_clock needs. */
enum { MAX_ROWS = 4096 };
struct row {
	long it, vm, vcpu;
	char phase[24];
	uint64_t start, dur;
};

/* ap_wake on one clock with the phases it spans: per VM and iteration it
 * starts where vCPU 0's sipi_send starts (read just before that KVM_RUN's
 * window opens: a few µs earlier), and ends exactly where the AP's
 * first_run ends. Returns the number of ap_wake rows checked. */
static long check_one_clock(const char *dir)
{
	static struct row rows_[MAX_ROWS];
	char path[300], **f;
	struct vb_csv_reader *rd;
	size_t n, nrows = 0;
	long checked = 0;

	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	rd = vb_csv_reader_open(path);
	CHECK(rd != NULL);
	while (rd && vb_csv_reader_next(rd, &f, &n) == 1 && nrows < MAX_ROWS) {
		struct row *w = &rows_[nrows];

		if (n < 9 || (strcmp(f[5], "ap_wake") && strcmp(f[5], "sipi_send") &&
			      strcmp(f[5], "first_run")))
			continue;
		w->it = atol(f[0]);
		w->vm = atol(f[1]);
		w->vcpu = atol(f[2]);
		snprintf(w->phase, sizeof(w->phase), "%s", f[5]);
		CHECK(vb_csv_parse_u64(f[6], &w->start) == 0 && vb_csv_parse_u64(f[7], &w->dur) == 0);
		nrows++;
	}
	vb_csv_reader_free(rd);
	for (size_t i = 0; i < nrows; i++) {
		const struct row *a = &rows_[i], *send = NULL, *first = NULL;

		if (strcmp(a->phase, "ap_wake"))
			continue;
		for (size_t j = 0; j < nrows; j++) {
			const struct row *b = &rows_[j];

			if (b->it != a->it || b->vm != a->vm)
				continue;
			if (!strcmp(b->phase, "sipi_send") && b->vcpu == 0)
				send = b;
			if (!strcmp(b->phase, "first_run") && b->vcpu == a->vcpu)
				first = b;
		}
		CHECK(send && first);
		if (!send || !first)
			continue;
		/* Bounded loosely: a preemption there under TCG lasts ticks. */
		CHECK(a->start <= send->start && send->start - a->start < 50000000);
		CHECK_EQ_U64(a->start + a->dur, first->start + first->dur);
		checked++;
	}
	return checked;
}

static void test_sipi(void)
{
	const long it = 3;
	char dir[256];
	struct e2e r;

	e2e_tmpname(dir, sizeof(dir), "sipi");
	E2E_RUN(&r, "run", "--smp", "sipi", "--vms", "2", "--vcpus", "8", "--iterations", "3",
		"--verify", "--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	CHECK_EQ_U64(not_ok(dir), 0);
	CHECK_EQ_U64(rows(dir, "ap_wake"), 7 * 2 * it);
	CHECK_EQ_U64(check_one_clock(dir), 7 * 2 * it);
	CHECK_EQ_U64(rows(dir, "sipi_send"), 2 * it);
	CHECK_EQ_U64(rows(dir, "first_run"), 8 * 2 * it);
	CHECK_EQ_U64(rows(dir, "vm_boot"), 2 * it);
	CHECK_EQ_U64(rows(dir, "vcpu_mp_state"), 0); /* the APs wait for INIT-SIPI */
	CHECK_EQ_U64(rows(dir, "exit"), 0);
	/* exits.csv: every vCPU's first exit, and vCPU 0's sipi_send (seq 1). */
	CHECK_EQ_U64(e2e_count(dir, "exits.csv", 3, "1"), 2 * it);
	if (r.status)
		fprintf(stderr, "%s", r.err);
}

/* Traced, where tracing is possible and the host has kvm_apic_ipi: each
 * INIT and STARTUP vCPU 0 sends is in its sipi_send, each AP's first port
 * write (kvm_pio) in that AP's first_run. */
static void test_sipi_traced(void)
{
	char dir[256], path[300], line[4096];
	struct e2e r;
	long ipi = 0, pio_ap = 0;
	FILE *f;

	e2e_tmpname(dir, sizeof(dir), "sipitrace");
	E2E_RUN(&r, "run", "--smp", "sipi", "--vcpus", "4", "--iterations", "2", "--trace",
		"--quiet", "--out", dir);
	if (r.status == 2 && strstr(r.err, "--trace")) {
		fprintf(stderr, "note: no tracing here (%s): traced SIPI case not run\n", r.err);
		return;
	}
	CHECK_EQ_U64(r.status, 0);
	snprintf(path, sizeof(path), "%s/events.csv", dir);
	f = fopen(path, "r");
	CHECK(f != NULL);
	while (f && fgets(line, sizeof(line), f)) {
		/* ts_ns,cpu,tid,vm,vcpu,iteration,phase,system,event,fields */
		char vcpu[16] = "", phase[64] = "", event[64] = "";

		if (sscanf(line, "%*[^,],%*[^,],%*[^,],%*[^,],%15[^,],%*[^,],%63[^,],%*[^,],%63[^,],",
			   vcpu, phase, event) != 3)
			continue;
		ipi += !strcmp(event, "kvm_apic_ipi") && !strcmp(phase, "sipi_send") &&
		       !strcmp(vcpu, "0");
		pio_ap += !strcmp(event, "kvm_pio") && !strcmp(phase, "first_run") &&
			  strcmp(vcpu, "0") != 0;
	}
	if (f)
		fclose(f);
	if (ipi)
		CHECK_EQ_U64(ipi, 2 * 3 * 2); /* INIT + STARTUP, 3 APs, 2 iterations */
	else
		fprintf(stderr, "note: no kvm_apic_ipi event on this host\n");
	CHECK_EQ_U64(pio_ap, 3 * 2);
}

/* @old (tests/data/aa: made before --irqchip existed) with @run's host.vm,
 * so that only what the runs measured can tell them apart. */
static void copy_old_run(const char *to, const char *run)
{
	char cmd[1024], path[512];
	json_t *m, *now = e2e_meta(run), *vm;

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s/phases.csv' '%s/'", to,
		 VB_GOLDEN_DIR "/../data/aa", to);
	CHECK(system(cmd) == 0);
	m = e2e_meta(VB_GOLDEN_DIR "/../data/aa");
	vm = json_object_get(json_object_get(now, "host"), "vm");
	if (vm)
		json_object_set(json_object_get(m, "host"), "vm", vm);
	snprintf(path, sizeof(path), "%s/meta.json", to);
	CHECK(json_dump_file(m, path, JSON_INDENT(2)) == 0);
	json_decref(m);
	json_decref(now);
}

/* --irqchip none: no new phase, pio's out then hlt as before the irqchip
 * existed, and compare reads the run against one made then. */
static void test_irqchip_none(void)
{
	static const char *const irqchip_phases[] = { "vm_tss_addr", "vm_identity_map",
						      "vm_irqchip",  "vm_pit",
						      "vcpu_lapic",  "vcpu_mp_state",
						      "sipi_send",   "ap_wake" };
	char dir[256], old[256], dflt[256];
	struct e2e r;

	e2e_tmpname(dir, sizeof(dir), "none");
	E2E_RUN(&r, "run", "--irqchip", "none", "--vcpus", "2", "--iterations", "6", "--quiet",
		"--out", dir);
	CHECK_EQ_U64(r.status, 0);
	for (size_t i = 0; i < sizeof(irqchip_phases) / sizeof(irqchip_phases[0]); i++)
		CHECK_EQ_U64(rows(dir, irqchip_phases[i]), 0);
	CHECK_EQ_U64(e2e_count(dir, "exits.csv", 4, "io"), 2 * 6);
	CHECK_EQ_U64(e2e_count(dir, "exits.csv", 4, "hlt"), 2 * 6);
	e2e_tmpname(old, sizeof(old), "old");
	copy_old_run(old, dir);
	E2E_RUN(&r, "compare", old, dir);
	CHECK(r.status == 0 || r.status == 3 || r.status == 5); /* the hosts differ: any verdict */
	CHECK(strstr(r.out, "first_run") != NULL && strstr(r.out, "vm_teardown") != NULL);
	if (r.status != 0 && r.status != 3 && r.status != 5)
		fprintf(stderr, "compare: %s", r.err);
	e2e_tmpname(dflt, sizeof(dflt), "dflt");
	E2E_RUN(&r, "run", "--vcpus", "2", "--quiet", "--out", dflt);
	CHECK_EQ_U64(r.status, 0);
	E2E_RUN(&r, "compare", old, dflt);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "config.irqchip") != NULL && strstr(r.err, "--irqchip none") != NULL);
}

static void test_usage(void)
{
	char dir[256];
	struct e2e r;

	e2e_tmpname(dir, sizeof(dir), "usage");
	E2E_RUN(&r, "run", "--smp", "sipi", "--vcpus", "1", "--out", dir);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "--smp sipi: needs 2 or more vCPUs per VM") != NULL);
	CHECK(!e2e_exists(dir));
	E2E_RUN(&r, "run", "--guest", "pio", "--out", dir);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "--exits: the 'pio' guest halts") != NULL);
	CHECK(!e2e_exists(dir));
}

int main(void)
{
	e2e_need_kvm();
	test_direct_irqchip();
	test_no_pit();
	test_sipi();
	test_sipi_traced();
	test_irqchip_none();
	test_usage();
	return vb_check_exit();
}
