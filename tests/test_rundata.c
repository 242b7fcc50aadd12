/* Loading results: durations of ok rows only, columns found by name
 * (extra columns such as kernel_ns tolerated), and malformed files
 * rejected with "path:line:col: what". A set of rounds: samples pooled,
 * each round's median kept in round order, rounds that are not replicates
 * of one configuration rejected. The --sched-stats tails: slow samples
 * told apart as preempted, slept, stolen or on the CPU. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "json_path.h"
#include "rundata.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* Load @phases as phases.csv; the error message, or "" on success. */
static const char *load(const char *phases, struct vb_rundata *rd)
{
	static char err[512];

	err[0] = '\0';
	write_file("phases.csv", phases);
	if (vb_rundata_load(rd, dir, err, sizeof(err)) == 0)
		return "";
	return err;
}

#define HEADER "iteration,vm,vcpu,tid,cpu,phase,start_ns,duration_ns,status\n"

static void test_good(void)
{
	struct vb_rundata rd;

	CHECK_EQ_STR(load("cpu,phase,status,duration_ns,start_ns,iteration,extra,kernel_ns\n"
			  "0,vm_create,ok,300,1000,0,x,\n"
			  "0,vm_create,ok,100,5000,1,\"q,uoted\",7\n"
			  "0,vm_create,EINVAL,999,9000,1,,\n"
			  "0,vm_teardown,ok,50,8000,1,,\n"
			  "0,vm_teardown,ok,5000,2000,0,,\n",
			  &rd),
		     "");
	CHECK_EQ_U64(rd.rows, 5);
	CHECK_EQ_U64(rd.summary[VB_PHASE_VM_CREATE].n, 2);
	CHECK_EQ_U64(rd.samples[VB_PHASE_VM_CREATE].v[0], 100); /* sorted */
	CHECK_EQ_U64(rd.failed[VB_PHASE_VM_CREATE], 1);
	CHECK(rd.meta == NULL); /* no meta.json: older results are fine */
	/* Spans: iteration 0 from 1000 to 7000, iteration 1 from 5000 to 8050. */
	CHECK(rd.has_typical_iteration);
	CHECK_EQ_U64(rd.typical_iteration, 1);
	vb_rundata_release(&rd);
}

static void test_malformed(void)
{
	struct vb_rundata rd;
	char want[256];

#define BAD(text, msg)                                                       \
	do {                                                                 \
		snprintf(want, sizeof(want), "%s/phases.csv:%s", dir, msg);  \
		CHECK_EQ_STR(load(text, &rd), want);                         \
	} while (0)
	BAD("", "1:1: empty file, expected a header line");
	BAD("iteration,vm,vcpu,tid,cpu,phase,start_ns,status\n",
	    "1:9: missing column 'duration_ns' in the header");
	BAD(HEADER "0,0,,1,0,vm_create,10,20,ok\n0,0,,1,0,vm_create,10\n",
	    "3:8: record has 7 fields, the header 9");
	BAD(HEADER "0,0,,1,0,vm_create,10,2x0,ok\n",
	    "2:8: duration_ns '2x0' is not a non-negative integer");
	BAD(HEADER "0,0,,1,0,vm_create,10,-5,ok\n",
	    "2:8: duration_ns '-5' is not a non-negative integer");
	BAD(HEADER "0,0,,1,0,vm_crate,10,5,ok\n", "2:6: unknown phase 'vm_crate'");
	BAD(HEADER "0,0,,1,0,vm_create,10,5,ok,extra\n",
	    "2:10: record has 10 fields, the header 9");
	BAD(HEADER "0,0,,1,0,\"vm_create,10,5,ok\n", "2:6: unterminated quoted field");
	BAD(HEADER "x,0,,1,0,vm_create,10,5,ok\n",
	    "2:1: iteration 'x' is not a non-negative integer");
#undef BAD
	write_file("phases.csv", HEADER);
	write_file("meta.json", "{\"tool\": {\"name\": \n");
	CHECK(vb_rundata_load(&rd, dir, want, sizeof(want)) == -EINVAL);
	CHECK(strstr(want, "/meta.json:2:") != NULL);
	unlink(strcat(strcpy(want, dir), "/meta.json"));
}

/* @dir/@round as a results directory with @phases and a meta.json of
 * kernel @release. */
static void write_round(const char *round, const char *phases, const char *release)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, round);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/phases.csv", dir, round);
	f = fopen(path, "w");
	fputs(phases, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s/meta.json", dir, round);
	f = fopen(path, "w");
	fprintf(f, "{\"config\": {\"vms\": 1}, \"host\": {\"kernel_release\": \"%s\"}}\n",
		release);
	fclose(f);
}

static void remove_round(const char *round)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s/phases.csv", dir, round);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s/meta.json", dir, round);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", dir, round);
	rmdir(path);
}

static void test_set(void)
{
	struct vb_rundata rd;
	char err[512];

	/* round-10 sorts after round-2: its median comes last. */
	write_round("round-2", HEADER "0,0,,1,0,vm_create,10,200,ok\n0,0,,1,0,vm_create,50,400,ok\n"
				      "1,0,,1,0,vm_create,90,300,ok\n", "6.1");
	write_round("round-1", HEADER "0,0,,1,0,vm_create,10,100,ok\n0,0,,1,0,vm_create,50,9,EINTR\n",
		    "6.1");
	write_round("round-10", HEADER "0,0,,1,0,vm_create,10,1000,ok\n0,0,,1,0,vm_teardown,9,7,ok\n",
		    "6.1");
	CHECK(vb_rundata_load(&rd, dir, err, sizeof(err)) == 0);
	CHECK_EQ_U64(rd.nrounds, 3);
	CHECK_EQ_U64(rd.rows, 7);
	CHECK_EQ_U64(rd.summary[VB_PHASE_VM_CREATE].n, 5); /* pooled */
	CHECK_EQ_U64(rd.failed[VB_PHASE_VM_CREATE], 1);
	CHECK_EQ_U64(rd.round_medians[VB_PHASE_VM_CREATE].n, 3);
	CHECK_EQ_U64(rd.round_medians[VB_PHASE_VM_CREATE].v[0], 100);
	CHECK_EQ_U64(rd.round_medians[VB_PHASE_VM_CREATE].v[1], 300);
	CHECK_EQ_U64(rd.round_medians[VB_PHASE_VM_CREATE].v[2], 1000);
	CHECK_EQ_U64(rd.round_medians[VB_PHASE_VM_TEARDOWN].n, 1); /* one round measured it */
	CHECK(strstr(rd.iteration_dir, "/round-1") != NULL);
	CHECK_EQ_STR(vb_json_path_str(rd.meta, "host.kernel_release", ""), "6.1");
	vb_rundata_release(&rd);

	/* A round of another kernel is no replicate. */
	write_round("round-3", HEADER "0,0,,1,0,vm_create,10,100,ok\n", "6.12");
	CHECK(vb_rundata_load(&rd, dir, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "round-3' are rounds of one set but differ in host.kernel_release") !=
	      NULL);
	remove_round("round-1");
	remove_round("round-2");
	remove_round("round-3");
	remove_round("round-10");
	/* No rounds at all: the missing phases.csv is the error. */
	CHECK(vb_rundata_load(&rd, dir, err, sizeof(err)) == -ENOENT);
	CHECK(strstr(err, "/phases.csv': No such file or directory") != NULL);
}

/* Twenty 1 µs samples and six slow ones (50 µs, above 10x the median),
 * one of each kind; a tick-based on-CPU clock (meta.json's step) makes
 * the stolen one an on-CPU one, as its on-CPU 0 then means nothing. */
static void test_tails(void)
{
	static const char *const slow[] = {
		"50000,ok,50000,100,0,0\n",   /* run-queue time: preempted */
		"50000,ok,50000,0,0,1\n",     /* involuntary switch: preempted */
		"50000,ok,2000,0,1,0\n",      /* voluntary switch only: slept */
		"50000,ok,10000,0,0,0\n",     /* 40 µs off the CPU, no switch: stolen */
		"50000,ok,40000,0,0,0\n",     /* on the CPU for most of it */
		"50000,ok,50400,0,0,0\n",     /* on the CPU, reads around included */
	};
	char csv[4096] = "phase,duration_ns,status,oncpu_ns,runq_ns,nvcsw,nivcsw\n";
	struct vb_sched_tails t;
	struct vb_rundata rd;

	for (int i = 0; i < 20; i++)
		strcat(csv, "vcpu_fpu,1000,ok,1000,0,0,0\n");
	for (size_t i = 0; i < sizeof(slow) / sizeof(slow[0]); i++)
		strcat(strcat(csv, "vcpu_fpu,"), slow[i]);
	strcat(csv, "vcpu_fpu,90000,EINTR,0,0,0,0\n"); /* failed rows are not samples */
	CHECK_EQ_STR(load(csv, &rd), "");
	CHECK(rd.has_sched);
	vb_rundata_tails(&rd, VB_PHASE_VCPU_FPU, &t);
	CHECK_EQ_U64(t.n, 26);
	CHECK_EQ_U64(t.any_runq, 1);
	CHECK_EQ_U64(t.over2, 6);
	CHECK_EQ_U64(t.over10, 6);
	CHECK_EQ_U64(t.over10_preempted, 2);
	CHECK_EQ_U64(t.over10_slept, 1);
	CHECK_EQ_U64(t.over10_stolen, 1);
	CHECK_EQ_U64(t.over2_stolen, 1);
	vb_rundata_release(&rd);

	write_file("meta.json", "{\"sched_stats\": {\"enabled\": true, \"oncpu_step_ns\": 4000000}}");
	CHECK_EQ_STR(load(csv, &rd), "");
	vb_rundata_tails(&rd, VB_PHASE_VCPU_FPU, &t);
	CHECK_EQ_U64(t.over10_preempted, 2);
	CHECK_EQ_U64(t.over10_stolen, 0);
	vb_rundata_release(&rd);
	unlink(strcat(strcpy((char[96]){ 0 }, dir), "/meta.json"));
}

int main(void)
{
	strcpy(dir, "/tmp/vb-rundata-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_good();
	test_malformed();
	unlink(strcat(strcpy((char[96]){ 0 }, dir), "/phases.csv"));
	test_set();
	test_tails();
	unlink(strcat(strcpy((char[96]){ 0 }, dir), "/phases.csv"));
	rmdir(dir);
	return vb_check_exit();
}
