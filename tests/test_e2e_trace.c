/* --trace and --kvm-stats end to end, on the real tracefs and /dev/kvm:
 * attribution of events to the phase and vCPU that caused them, kernel_ns,
 * no lost events, and no tracefs instance left behind on any exit path. */
#include <signal.h>
#include <time.h>

#include "check.h"
#include "e2e.h"

#define TRACEFS "/sys/kernel/tracing"

enum { E_TS, E_CPU, E_TID, E_VM, E_VCPU, E_ITER, E_PHASE, E_SYSTEM, E_EVENT, E_FIELDS };

/* tracefs must be usable: mounted or mountable, writable (root). */
static void need_tracefs(void)
{
	if (access(TRACEFS "/instances", W_OK) == 0)
		return;
	if (geteuid() != 0)
		VB_SKIP("tracing needs root (tracefs instances are not writable)");
	if (system("mount -t tracefs nodev " TRACEFS " 2>/dev/null") != 0 ||
	    access(TRACEFS "/instances", W_OK) != 0)
		VB_SKIP("tracefs cannot be mounted here");
}

/* events.csv rows with this vm, vcpu, phase and event (and @field_part in
 * fields when not NULL). */
static long count_events(const char *dir, int vm, int vcpu, const char *phase, const char *event,
			 const char *field_part)
{
	char path[1024], v[16], c[16];
	struct vb_csv_reader *rd;
	char **f;
	size_t n;
	long rows = 0;

	snprintf(path, sizeof(path), "%s/events.csv", dir);
	snprintf(v, sizeof(v), "%d", vm);
	snprintf(c, sizeof(c), "%d", vcpu);
	rd = vb_csv_reader_open(path);
	if (!rd)
		return -1;
	while (vb_csv_reader_next(rd, &f, &n) == 1)
		rows += n == 10 && strcmp(f[E_VM], v) == 0 && strcmp(f[E_VCPU], c) == 0 &&
			strcmp(f[E_PHASE], phase) == 0 && strcmp(f[E_EVENT], event) == 0 &&
			(!field_part || strstr(f[E_FIELDS], field_part));
	vb_csv_reader_free(rd);
	return rows;
}

/* Every phase row with kernel_ns has kernel_ns <= duration_ns; returns how
 * many rows had one, -1 on a violation. */
static long check_kernel_ns(const char *dir)
{
	char path[1024];
	struct vb_csv_reader *rd;
	char **f;
	size_t n;
	long with = 0, bad = 0;
	int first = 1;

	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	rd = vb_csv_reader_open(path);
	while (rd && vb_csv_reader_next(rd, &f, &n) == 1) {
		uint64_t d, k;

		if (first) {
			CHECK(n == 10 && strcmp(f[9], "kernel_ns") == 0);
			first = 0;
			continue;
		}
		if (n < 10 || !f[9][0])
			continue;
		with++;
		if (vb_csv_parse_u64(f[7], &d) || vb_csv_parse_u64(f[9], &k) || k > d) {
			fprintf(stderr, "phase %s: kernel_ns %s > duration_ns %s\n", f[5], f[9], f[7]);
			bad++;
		}
	}
	vb_csv_reader_free(rd);
	return bad ? -1 : with;
}

static void test_traced_2x2(void)
{
	char dir[256];
	struct e2e r;
	json_t *m, *t;

	e2e_tmpname(dir, sizeof(dir), "trace");
	E2E_RUN(&r, "run", "--trace", "--vms", "2", "--vcpus", "2", "--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	if (r.status)
		fprintf(stderr, "%s", r.err);
	for (int vm = 0; vm < 2; vm++)
		for (int vcpu = 0; vcpu < 2; vcpu++) {
			CHECK(count_events(dir, vm, vcpu, "first_run", "kvm_userspace_exit", NULL) == 1);
			CHECK(count_events(dir, vm, vcpu, "first_run", "kvm_pio", "port=0xe9") == 1);
			CHECK(count_events(dir, vm, vcpu, "vcpu_create", "sys_enter_ioctl", NULL) == 1);
		}
	CHECK(check_kernel_ns(dir) >= 2 * 2 * 8); /* at least the vCPU ioctl phases */
	m = e2e_meta(dir);
	t = json_object_get(m, "tracing");
	CHECK(json_real_value(json_object_get(json_object_get(t, "attribution"),
					      "attributed_fraction")) >= 0.99);
	CHECK(json_is_integer(json_object_get(t, "events_lost")) &&
	      json_integer_value(json_object_get(t, "events_lost")) == 0);
	CHECK(json_integer_value(json_object_get(json_object_get(t, "clock_check"),
						 "kernel_longer_than_user")) == 0);
	json_decref(m);
	CHECK(e2e_count(dir, "trace_summary.csv", 0, "first_run") > 0);
	CHECK_EQ_U64(e2e_instances(), 0);
}

/* --sweep --trace: one instance for every point, paused in between; each
 * point's events.csv holds its own events only, lost events are counted
 * per point, and nothing is left behind. */
static void test_traced_sweep(void)
{
	char dir[256], point[512];
	const char *instance = NULL;
	json_t *first = NULL;
	struct e2e r;

	e2e_tmpname(dir, sizeof(dir), "tsweep");
	E2E_RUN(&r, "run", "--trace", "--sweep", "vcpus=1,2,3", "--iterations", "2", "--quiet",
		"--out", dir);
	CHECK_EQ_U64(r.status, 0);
	if (r.status)
		fprintf(stderr, "%s", r.err);
	for (int vcpus = 1; vcpus <= 3; vcpus++) {
		json_t *m, *t;

		snprintf(point, sizeof(point), "%s/vms-1-vcpus-%d", dir, vcpus);
		for (int vcpu = 0; vcpu < 3; vcpu++) /* 2 iterations: 2 first exits */
			CHECK(count_events(point, 0, vcpu, "first_run", "kvm_userspace_exit", NULL) ==
			      (vcpu < vcpus ? 2 : 0));
		CHECK(check_kernel_ns(point) >= vcpus * 2 * 8);
		m = e2e_meta(point);
		t = json_object_get(m, "tracing");
		CHECK(json_is_true(json_object_get(t, "enabled")));
		CHECK(json_boolean_value(json_object_get(t, "instance_reused")) == (vcpus > 1));
		CHECK(json_is_integer(json_object_get(t, "events_lost")) &&
		      json_integer_value(json_object_get(t, "events_lost")) == 0);
		CHECK(json_real_value(json_object_get(json_object_get(t, "attribution"),
						      "attributed_fraction")) >= 0.99);
		if (!first) {
			first = m;
			instance = json_string_value(json_object_get(t, "instance"));
			CHECK(instance != NULL);
			continue;
		}
		CHECK(instance && json_string_value(json_object_get(t, "instance")) &&
		      strcmp(instance, json_string_value(json_object_get(t, "instance"))) == 0);
		json_decref(m);
	}
	json_decref(first);
	CHECK_EQ_U64(e2e_instances(), 0);
}

/* Events are restricted to this process: another process doing KVM work
 * at the same time (an untraced vcpubench) contributes no event. */
static void test_foreign_process(void)
{
	char dir[256], other[256], buf[256];
	int ofd, efd;
	struct e2e r;
	json_t *m;
	pid_t pid;

	e2e_tmpname(other, sizeof(other), "other");
	pid = e2e_spawn((const char *const[]){ "run", "--vcpus", "4", "--iterations", "400", "--quiet",
					       "--out", other, NULL },
			NULL, &ofd, &efd);
	usleep(50000);
	e2e_tmpname(dir, sizeof(dir), "mine");
	E2E_RUN(&r, "run", "--trace", "--vcpus", "2", "--iterations", "5", "--quiet", "--out", dir);
	CHECK_EQ_U64(e2e_wait(pid), 0);
	e2e_slurp(efd, buf, sizeof(buf));
	close(ofd);
	close(efd);
	CHECK_EQ_U64(r.status, 0);
	m = e2e_meta(dir);
	CHECK_EQ_U64(json_integer_value(json_object_get(
			     json_object_get(json_object_get(m, "tracing"), "attribution"), "unattributed")),
		     0);
	json_decref(m);
	/* The other run was busy throughout: 5 of our iterations, 2 vCPUs. */
	CHECK(e2e_count(dir, "events.csv", E_EVENT, "kvm_userspace_exit") == 2 * 5 * 2);
}

/* A failing traced run (a guest that never exits, bounded by --timeout)
 * still writes its trace and removes its instance. */
static void test_failing_run(void)
{
	static const unsigned char code[] = { 0xeb, 0xfe }; /* jmp . */
	char dir[256], file[300];
	struct e2e r;

	e2e_guest_file(dir, sizeof(dir), file, sizeof(file), "tfail", code, sizeof(code));
	E2E_RUN(&r, "run", "--trace", "--guest", file, "--timeout", "0.2", "--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 1);
	CHECK(e2e_count(dir, "phases.csv", 8, "ETIMEDOUT") == 1);
	CHECK(e2e_count(dir, "events.csv", 0, NULL) > 0);
	CHECK_EQ_U64(e2e_instances(), 0);
}

/* SIGINT (and a second one) in the middle of a 64-vCPU traced run. */
static void interrupt(int signals)
{
	char dir[256], buf[4096];
	int ofd, efd, status;
	pid_t pid;

	e2e_tmpname(dir, sizeof(dir), "tint");
	pid = e2e_spawn((const char *const[]){ "run", "--trace", "--vcpus", "64", "--iterations",
					       "100000", "--quiet", "--out", dir, NULL },
			NULL, &ofd, &efd);
	CHECK(e2e_wait_started(dir)); /* made once tracing has started */
	CHECK(e2e_instances() >= 1);
	usleep(500000); /* events flow */
	kill(pid, SIGINT);
	if (signals > 1) {
		usleep(1000);
		kill(pid, SIGINT);
	}
	status = e2e_wait(pid);
	e2e_slurp(efd, buf, sizeof(buf));
	close(ofd);
	close(efd);
	CHECK_EQ_U64(status, 1);
	CHECK_EQ_U64(e2e_instances(), 0);
	if (signals == 1)
		CHECK(e2e_count(dir, "events.csv", 0, NULL) > 0);
}

static void test_bad_events(void)
{
	char dir[256];
	struct e2e r;

	e2e_tmpname(dir, sizeof(dir), "tbad");
	E2E_RUN(&r, "run", "--trace=nosuch:event", "--out", dir);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "--trace: none of 'nosuch:event' is an event on this host") != NULL);
	CHECK(!e2e_exists(dir));
	/* One missing event among present ones: a warning, the run goes on. */
	E2E_RUN(&r, "run", "--trace=kvm:kvm_pio,nosuch:event", "--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 0);
	CHECK(strstr(r.err, "skipped: nosuch:event") != NULL);
	/* exit-loop: one out in first_run, one in the exit. */
	CHECK(e2e_count(dir, "events.csv", E_EVENT, "kvm_pio") == 2);
	CHECK(e2e_count(dir, "events.csv", 0, NULL) == 2);
	CHECK_EQ_U64(e2e_instances(), 0);
}

/* --kvm-stats reads the binary stats fds: rows for the VM and each vCPU,
 * and it needs no tracefs (hidden here in a private mount namespace). */
static void test_kvm_stats(void)
{
	char dir[256], cmd[1024];
	int status;

	e2e_tmpname(dir, sizeof(dir), "kstats");
	snprintf(cmd, sizeof(cmd),
		 "unshare -m sh -c 'mount -t tmpfs none " TRACEFS " && mount -t tmpfs none "
		 "/sys/kernel/debug; exec %s run --kvm-stats --vcpus 2 --iterations 2 --quiet "
		 "--out %s'",
		 VB_BINARY, dir);
	status = system(cmd);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(e2e_count(dir, "kvm_stats.csv", 3, "exits") == 2 * 2); /* per vCPU and iteration */
	CHECK(e2e_count(dir, "kvm_stats.csv", 3, "remote_tlb_flush") == 2); /* per VM */
	CHECK(e2e_count(dir, "kvm_stats.csv", 2, "") > 0);       /* VM rows: no vcpu */
}

int main(void)
{
	e2e_need_kvm();
	need_tracefs();
	test_traced_2x2();
	test_traced_sweep();
	test_foreign_process();
	test_failing_run();
	interrupt(1);
	interrupt(2);
	test_bad_events();
	test_kvm_stats();
	return vb_check_exit();
}
