#include "meta.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "host_info.h"
#include "sched_stats.h"
#include "results.h"

static json_t *utc(struct timespec ts)
{
	char buf[64];
	struct tm tm;

	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%06ldZ", ts.tv_nsec / 1000);
	return json_string(buf);
}

static json_t *config_json(const struct vb_run_config *c, const struct vb_guest *g)
{
	json_t *o = json_object(), *pin = json_array();

	for (size_t i = 0; i < c->npin; i++)
		json_array_append_new(pin, json_integer(c->pin[i]));
	json_object_set_new(o, "vms", json_integer(c->vms));
	json_object_set_new(o, "vcpus", json_integer(c->vcpus));
	json_object_set_new(o, "iterations", json_integer(c->iterations));
	json_object_set_new(o, "warmup", json_integer(c->warmup));
	/* --kernel: "kernel" whatever its file (the "kernel" section names
	 * it), so that compare takes guest kernel A against B. */
	json_object_set_new(o, "guest", json_string(c->kernel ? "kernel" : g->name));
	if (!c->kernel)
		json_object_set_new(o, "guest_bytes", json_integer((json_int_t)g->size));
	json_object_set_new(o, "exits", json_integer(c->exits));
	json_object_set_new(o, "mem_mib", json_integer(c->mem_mib));
	json_object_set_new(o, "jobs", c->jobs ? json_integer(c->jobs) : json_string("all"));
	json_object_set_new(o, "pin", pin);
	json_object_set_new(o, "hold", json_boolean(c->hold));
	json_object_set_new(o, "verify", json_boolean(c->verify));
	json_object_set_new(o, "trace", json_boolean(c->trace));
	json_object_set_new(o, "kvm_stats", json_boolean(c->kvm_stats));
	json_object_set_new(o, "sched_stats", json_boolean(c->sched_stats));
	json_object_set_new(o, "irqchip", json_string(c->irqchip));
	json_object_set_new(o, "pit", json_string(c->pit));
	json_object_set_new(o, "smp", json_string(c->smp));
	json_object_set_new(o, "timeout_s", json_real(c->timeout_ms / 1000.0));
	json_object_set_new(o, "tag", c->tag ? json_string(c->tag) : json_null());
	if (c->sweep.nvms || c->sweep.nvcpus) {
		json_t *sv = json_array(), *sc = json_array();

		for (size_t i = 0; i < c->sweep.nvms; i++)
			json_array_append_new(sv, json_integer(c->sweep.vms[i]));
		for (size_t i = 0; i < c->sweep.nvcpus; i++)
			json_array_append_new(sc, json_integer(c->sweep.vcpus[i]));
		json_object_set_new(o, "sweep", json_pack("{so so}", "vms", sv, "vcpus", sc));
	}
	return o;
}

json_t *vb_meta_summary_json(const struct vb_sink *s)
{
	json_t *o = json_object();

	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		const struct vb_summary *m = vb_sink_summary(s, p);

		if (m->n == 0)
			continue;
		json_object_set_new(o, vb_phase_name[p],
			json_pack("{sI sI sI sI sI sI sI sf sf}", "n", (json_int_t)m->n,
				  "min_ns", (json_int_t)m->min, "p50_ns", (json_int_t)m->p50,
				  "p90_ns", (json_int_t)m->p90, "p99_ns", (json_int_t)m->p99,
				  "p999_ns", (json_int_t)m->p999, "max_ns", (json_int_t)m->max,
				  "mean_ns", m->mean, "stddev_ns", m->stddev));
	}
	return o;
}

static const char *why_incomplete(const struct vb_meta *m)
{
	const struct vb_run_outcome *o = m->outcome;

	if (m->write_error)
		return m->write_error;
	if (o->interrupted)
		return o->signal == SIGTERM ? "interrupted by SIGTERM" : "interrupted by SIGINT";
	if (o->error[0])
		return o->error;
	if (!o->complete)
		return "not every iteration ran";
	return NULL;
}

/* Open file descriptors and resident memory now (after teardown): what a
 * sweep's points compare to see that nothing leaks from run to run. */
static long open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	long n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return d ? n - 3 : -1; /* ".", ".." and the directory's own fd */
}

static long rss_kib(void)
{
	long size, pages = -1;
	FILE *f = fopen("/proc/self/statm", "re");

	if (f && fscanf(f, "%ld %ld", &size, &pages) != 2)
		pages = -1;
	if (f)
		fclose(f);
	return pages < 0 ? -1 : pages * (sysconf(_SC_PAGESIZE) / 1024);
}

json_t *vb_meta_run_json(const struct vb_meta *m)
{
	const struct vb_run_outcome *o = m->outcome;
	const char *why = why_incomplete(m);
	double secs = o->wall_ns / 1e9;
	unsigned long vcpus = (unsigned long)m->cfg->vms * m->cfg->vcpus;
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return json_pack(
		"{sb ss? sI sI sI sf sf sI sI s{sI sI sI} sI sI sI sI sI}",
		"complete", why == NULL, "why_incomplete", why,
		"iterations_done", (json_int_t)o->iterations_done,
		"timed_out_vcpus", (json_int_t)o->timed_out,
		"wall_ns", (json_int_t)o->wall_ns,
		"vms_per_s", secs > 0 ? m->cfg->vms * (double)o->iterations_done / secs : 0.0,
		"vcpus_per_s", secs > 0 ? vcpus * (double)o->iterations_done / secs : 0.0,
		"rows", (json_int_t)vb_sink_rows(m->sink),
		"failed_rows", (json_int_t)vb_sink_failed_rows(m->sink),
		"tool_gap_ns", "p50", (json_int_t)o->gap_p50_ns, "p99", (json_int_t)o->gap_p99_ns,
		"max", (json_int_t)o->gap_max_ns,
		"peak_rss_kib", (json_int_t)ru.ru_maxrss,
		"peak_rss_per_vcpu_kib", (json_int_t)(ru.ru_maxrss / (long)(vcpus ? vcpus : 1)),
		"rlimit_nofile", (json_int_t)m->nofile_limit,
		"open_fds_after", (json_int_t)open_fds(),
		"rss_kib_after", (json_int_t)rss_kib());
}

/* --sched-stats: on or off, and what one read of each counter source costs
 * here (the chosen ones and perf's group read, for comparison). */
static json_t *sched_stats_json(const struct vb_run_config *c)
{
	struct vb_sched_costs k;

	if (!c->sched_stats)
		return json_pack("{sb}", "enabled", 0);
	vb_sched_costs_measure(1000, &k);
	return json_pack("{sb sI s{sf sf sf sf sf}}", "enabled", 1, "oncpu_step_ns",
			 (json_int_t)k.oncpu_step_ns, "read_ns", "schedstat_pread",
			 k.schedstat_ns, "thread_cputime_clock", k.thread_clock_ns,
			 "getrusage_thread", k.getrusage_ns, "sched_getcpu",
			 k.sched_getcpu_ns, "perf_sw_group_read", k.perf_group_ns);
}

static json_t *meta_json(struct vb_meta *m)
{
	json_t *o = json_object(), *argv = json_array();

	json_array_append_new(argv, json_string("vcpubench"));
	for (int i = 0; i < m->argc; i++)
		json_array_append_new(argv, json_string(m->argv[i]));
	json_object_set_new(o, "tool", json_pack("{ss ss ss}", "name", "vcpubench", "version",
						  VB_VERSION, "git", VB_GIT_HASH));
	json_object_set_new(o, "command_line", argv);
	json_object_set_new(o, "start_utc", utc(m->start));
	json_object_set_new(o, "end_utc", utc(m->end));
	json_object_set_new(o, "clock", json_string("CLOCK_MONOTONIC_RAW"));
	json_object_set_new(o, "config", config_json(m->cfg, m->guest));
	json_object_set(o, "host", vb_meta_host(m));
	json_object_set_new(o, "run", vb_meta_run_json(m));
	json_object_set_new(o, "complete", json_boolean(why_incomplete(m) == NULL));
	if (m->kernel)
		json_object_set(o, "kernel", m->kernel);
	if (m->tracing)
		json_object_set(o, "tracing", m->tracing);
	else
		json_object_set_new(o, "tracing", json_pack("{sb}", "enabled", 0));
	json_object_set_new(o, "sched_stats", sched_stats_json(m->cfg));
	/* Phases that do not apply here are recorded as such, not as failures. */
	if (m->cfg->irqchip_kernel && m->kvm && !m->kvm->vmx)
		json_object_set_new(o, "not_applicable",
				    json_pack("{ss ss}", "vm_tss_addr", "VMX only (kvm_intel)",
					      "vm_identity_map", "VMX only (kvm_intel)"));
	return o;
}

json_t *vb_meta_host(struct vb_meta *m)
{
	if (!m->host)
		m->host = vb_host_info_collect(m->kvm);
	return m->host;
}

static int write_json(const char *dir, json_t *o)
{
	struct vb_results_file rf;
	int r;

	if (!o)
		return -ENOMEM;
	r = vb_results_file_open(&rf, dir, "meta.json", 0);
	if (!r) {
		if (json_dumpf(o, rf.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 ||
		    fputc('\n', rf.f) == EOF) {
			vb_results_file_abort(&rf);
			r = -EIO;
		} else {
			r = vb_results_file_commit(&rf);
		}
	}
	json_decref(o);
	return r;
}

int vb_meta_write(const char *dir, struct vb_meta *m)
{
	return write_json(dir, meta_json(m));
}

int vb_meta_write_sweep(const char *dir, struct vb_meta *m, json_t *points, bool complete)
{
	json_t *o = json_object(), *argv = json_array(), *axes = json_array();

	json_array_append_new(argv, json_string("vcpubench"));
	for (int i = 0; i < m->argc; i++)
		json_array_append_new(argv, json_string(m->argv[i]));
	if (m->cfg->sweep.nvms)
		json_array_append_new(axes, json_string("vms"));
	if (m->cfg->sweep.nvcpus)
		json_array_append_new(axes, json_string("vcpus"));
	json_object_set_new(o, "tool", json_pack("{ss ss ss}", "name", "vcpubench", "version",
						  VB_VERSION, "git", VB_GIT_HASH));
	json_object_set_new(o, "command_line", argv);
	json_object_set_new(o, "start_utc", utc(m->start));
	json_object_set_new(o, "end_utc", utc(m->end));
	json_object_set_new(o, "config", config_json(m->cfg, m->guest));
	json_object_set(o, "host", vb_meta_host(m));
	json_object_set_new(o, "sweep",
			    json_pack("{so sO}", "axes", axes, "points", points));
	json_object_set_new(o, "complete", json_boolean(complete));
	return write_json(dir, o);
}
