/* vcpubench run: check everything that can be known up front (exit 2 before
 * anything is created), then create the results directory, run, and always
 * write what was measured: partial runs say so in meta.json and exit 1. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "cmd.h"
#include "guest.h"
#include "guest_files.h"
#include "kernel.h"
#include "host_info.h"
#include "kernel_cache.h"
#include "kvm.h"
#include "kvm_stats.h"
#include "meta.h"
#include "options.h"
#include "results.h"
#include "runner.h"
#include "sink.h"
#include "trace.h"
#include "trace_results.h"

#define KVM_PATH "/dev/kvm"

struct run_job {
	struct vb_run_config cfg;
	struct vb_guest file_guest;
	struct vb_kernel kernel; /* --kernel */
	char linux_path[4096];   /* --linux: the cached kernel's file */
	const struct vb_guest *guest;
	struct vb_kvm kvm;
	uint64_t kvm_open_start, kvm_open_end;
	unsigned long nofile;
	char dir[4096];
	struct vb_meta meta;
	struct vb_trace *trace;
	json_t *tracing;
	json_t *point;        /* --sweep: the finished point's run and phases */
	bool trace_kept;      /* --sweep --trace: a point follows, the instance stays */
};

/* The run's trace, for the second-signal path (which must not leave the
 * tracefs instance behind). Set once before the runner starts. */
static struct vb_trace *volatile live_trace;

static void list_guests(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < vb_guest_builtin_count() && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
				      vb_guest_builtin(i)->name);
}

/* A built-in by name, else a flat binary file that fits above the entry. */
static int resolve_guest(struct run_job *job)
{
	size_t room = ((size_t)job->cfg.mem_mib << 20) - 0x100000;
	char names[256];
	int r;

	job->guest = vb_guest_find(job->cfg.guest);
	if (job->guest)
		return 0;
	r = vb_guest_load_file(&job->file_guest, job->cfg.guest, room);
	if (r == 0) {
		job->guest = &job->file_guest;
		return 0;
	}
	list_guests(names, sizeof(names));
	if (r == -ENOENT && !strchr(job->cfg.guest, '/'))
		vb_error("--guest: '%s' is neither a built-in guest (%s) nor a file", job->cfg.guest,
			 names);
	else if (r == -EFBIG)
		vb_error("--guest: '%s' is larger than the %zu bytes above the entry point with --mem %u",
			 job->cfg.guest, room, job->cfg.mem_mib);
	else if (r == -ENODATA)
		vb_error("--guest: '%s' is empty", job->cfg.guest);
	else
		vb_error("--guest: cannot load '%s': %s", job->cfg.guest, strerror(-r));
	return 2;
}

/* --kernel (and --initrd, --cmdline): read and checked up front. */
static int resolve_kernel(struct run_job *job)
{
	const struct vb_run_config *cfg = &job->cfg;
	enum vb_kernel_error what;
	int r;

	if (cfg->default_kernel) {
		char where[4096];

		r = vb_kernel_cache_default(job->linux_path, sizeof(job->linux_path), where,
					    sizeof(where));
		if (r) {
			vb_error("--linux: no %s in '%s' (fetch it once: tools/vm --prepare, "
				 "installed vcpubench-vm --prepare)", VB_KERNEL_CACHE_DEFAULT, where);
			return 2;
		}
		job->cfg.kernel = job->linux_path;
	}
	if (!cfg->kernel)
		return 0;
	r = vb_kernel_load(&job->kernel, cfg->kernel, vb_run_initrd_file(cfg),
			   cfg->initrd ? NULL : vb_guest_initramfs(), cfg->cmdline,
			   (uint64_t)cfg->mem_mib << 20, &what);
	switch (what) {
	case VB_KERNEL_ERR_NONE:
		return 0;
	case VB_KERNEL_ERR_KERNEL_FILE:
	case VB_KERNEL_ERR_INITRD_FILE:
		vb_error("--%s: cannot read '%s': %s", what == VB_KERNEL_ERR_KERNEL_FILE ? "kernel" : "initrd",
			 what == VB_KERNEL_ERR_KERNEL_FILE ? cfg->kernel : cfg->initrd,
			 r == -ENODATA ? "empty file" : strerror(-r));
		break;
	case VB_KERNEL_ERR_BZIMAGE:
		vb_error("--kernel: '%s' is not a usable bzImage: %s", cfg->kernel,
			 vb_bzimage_fault_str(job->kernel.fault));
		break;
	case VB_KERNEL_ERR_CMDLINE:
		vb_error("--cmdline: %zu bytes is longer than the kernel allows (%u)",
			 strlen(cfg->cmdline), job->kernel.bz.cmdline_size);
		break;
	case VB_KERNEL_ERR_MEM:
		vb_error("--mem: %u MiB is too small for kernel + initrd", cfg->mem_mib);
		break;
	}
	return 2;
}

/* Everything checked against this host before anything is created. */
static int check_host(struct run_job *job)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	int r;

	job->kvm_open_start = vb_clock_now();
	r = vb_kvm_open(&job->kvm, KVM_PATH);
	job->kvm_open_end = vb_clock_now();
	if (r) {
		vb_error("cannot open '%s': %s%s", KVM_PATH,
			 r == -EPROTO ? "unexpected KVM API version" : strerror(-r),
			 r == -ENOENT ? " (is the kvm module loaded?)"
			 : r == -EACCES || r == -EPERM ? " (add the user to group 'kvm' or run as root)"
			 : "");
		return 1;
	}
	if ((int)job->cfg.vcpus > job->kvm.max_vcpus) {
		vb_error("--vcpus: %u is more than this host's KVM_CAP_MAX_VCPUS (%d)",
			 job->cfg.vcpus, job->kvm.max_vcpus);
		return 2;
	}
	for (size_t i = 0; i < job->cfg.npin; i++)
		if ((long)job->cfg.pin[i] >= cpus) {
			vb_error("--pin: CPU %u does not exist (this host has %ld)", job->cfg.pin[i],
				 cpus);
			return 2;
		}
	if (job->cfg.kvm_stats && !job->kvm.has_stats_fd) {
		vb_error("--kvm-stats: this kernel has no KVM_CAP_BINARY_STATS_FD");
		return 1;
	}
	return 0;
}

/* The kernel grows a process's fd table (64 fds at first) by doubling it,
 * and while threads share the table each growth waits for an RCU grace
 * period (20-50 ms here) with every thread that opens an fd meanwhile: in
 * the middle of the vCPU threads' phases, once per doubling. Grown to @n
 * now, while the process is one thread, it waits for none. Best effort. */
static void reserve_fds(unsigned long n)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), hi;

	if (fd < 0)
		return;
	hi = n > 1 && n <= INT_MAX ? fcntl(fd, F_DUPFD_CLOEXEC, (int)(n - 1)) : -1;
	if (hi >= 0)
		close(hi);
	close(fd);
}

/* Every VM and vCPU is an fd (and with --sched-stats each vCPU thread's
 * counters one more), all alive at once during an iteration: raise
 * RLIMIT_NOFILE to what the run needs (as KVM selftests do before creating
 * many vCPUs), up to the hard limit, which root may raise too. */
static int raise_nofile(struct run_job *job)
{
	unsigned long per_vm = 1 + job->cfg.vcpus;
	unsigned long own = job->cfg.vms * per_vm * (job->cfg.kvm_stats ? 2 : 1) +
			    (job->cfg.sched_stats ? (unsigned long)job->cfg.vms * job->cfg.vcpus : 0);
	unsigned long need = own + 256;
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < need) {
		struct rlimit want = { need, rl.rlim_max > need ? rl.rlim_max : need };

		if (setrlimit(RLIMIT_NOFILE, &want) < 0) {
			vb_error("the run needs %lu file descriptors, RLIMIT_NOFILE allows %lu "
				 "and cannot be raised: %s", need, (unsigned long)rl.rlim_cur,
				 strerror(errno));
			return 1;
		}
		rl = want;
	}
	job->nofile = rl.rlim_cur;
	if (own > 32) /* with the tool's own ~20 fds, past the first 64 */
		reserve_fds(need);
	return 0;
}

/* Per-CPU trace buffer: room for a few KiB of events per vCPU cycle of the
 * whole run, as if the reader never ran (it streams, so this only matters
 * when it is starved), within 1..64 MiB per CPU. */
static size_t trace_buffer_kib(const struct vb_run_config *c)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t kib = (uint64_t)c->vms * c->vcpus * (c->iterations + c->warmup) * 4 /
		       (uint64_t)(cpus > 0 ? cpus : 1);

	return kib < 1024 ? 1024 : kib > 65536 ? 65536 : (size_t)kib;
}

static int start_trace(struct run_job *job)
{
	char err[512];

	if (!job->cfg.trace)
		return 0;
	job->trace = vb_trace_start(job->cfg.trace_events, trace_buffer_kib(&job->cfg), err,
				    sizeof(err));
	if (!job->trace) {
		vb_error("%s", err);
		return errno == ENOENT ? 2 : 1; /* a bad --trace value is a usage error */
	}
	if (vb_trace_skipped(job->trace))
		vb_error("warning: --trace: not on this host, skipped: %s",
			 vb_trace_skipped(job->trace));
	live_trace = job->trace;
	return 0;
}

static int make_dir(struct run_job *job)
{
	int r = vb_results_dir_create(job->cfg.out, "results", job->cfg.tag, job->dir,
				      sizeof(job->dir));

	if (r == 0)
		return 0;
	if (r == -EEXIST && job->cfg.out) {
		struct stat st;

		if (lstat(job->cfg.out, &st) == 0 && S_ISLNK(st.st_mode))
			vb_error("--out: '%s' is a symbolic link; results are written to a new "
				 "directory, never through a link", job->cfg.out);
		else
			vb_error("--out: '%s' exists; results are never overwritten", job->cfg.out);
		return 2;
	}
	vb_error("cannot create results directory '%s': %s",
		 job->cfg.out ? job->cfg.out : "results/...", strerror(-r));
	return 1;
}

static void print_table(FILE *f, const struct vb_sink *s)
{
	int w = 5;

	for (int p = 0; p < VB_PHASE_COUNT; p++)
		if (vb_sink_summary(s, p)->n && (int)strlen(vb_phase_name[p]) > w)
			w = (int)strlen(vb_phase_name[p]);
	/* "µs" is two bytes for one column: widths of its headers are one more. */
	fprintf(f, "%-*s %8s %13s %13s %13s\n", w, "phase", "n", "median µs", "p99 µs", "max µs");
	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		const struct vb_summary *m = vb_sink_summary(s, p);

		if (m->n)
			fprintf(f, "%-*s %8zu %12.2f %12.2f %12.2f\n", w, vb_phase_name[p], m->n,
				m->p50 / 1e3, m->p99 / 1e3, m->max / 1e3);
	}
}

/* After the table: per phase, the events that fire and how many per
 * instance; for first_run, the gap from the previous event. */
static void print_trace_summary(FILE *f, json_t *tracing)
{
	json_t *rows = json_object_get(tracing, "summary"), *row;
	size_t i;

	if (!json_array_size(rows))
		return;
	fprintf(f, "\n%-20s %-34s %12s %14s %13s\n", "phase", "event", "per instance",
		"gap p50 µs", "gap p99 µs");
	json_array_foreach(rows, i, row) {
		char event[128];
		json_t *per = json_object_get(row, "per_instance");
		json_t *p50 = json_object_get(row, "gap_p50_ns"), *p99 = json_object_get(row, "gap_p99_ns");

		snprintf(event, sizeof(event), "%s:%s", json_string_value(json_object_get(row, "system")),
			 json_string_value(json_object_get(row, "event")));
		fprintf(f, "%-20s %-34s ", json_string_value(json_object_get(row, "phase")), event);
		if (per)
			fprintf(f, "%12.2f", json_real_value(per));
		else
			fprintf(f, "%12" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(row, "count")));
		if (p50)
			fprintf(f, " %13.2f %12.2f", json_integer_value(p50) / 1e3,
				json_integer_value(p99) / 1e3);
		fputc('\n', f);
	}
}

static void print_result(const struct run_job *job, const struct vb_sink *s)
{
	const struct vb_run_outcome *o = job->meta.outcome;
	json_t *run = vb_meta_run_json(&job->meta);

	if (job->point) { /* --sweep: one line per point, the index is the table */
		if (!job->cfg.quiet)
			printf("vms %5u  vcpus %5u  wall %10.3f ms  %9.1f VMs/s  %9.1f vCPUs/s  %s\n",
			       job->cfg.vms, job->cfg.vcpus, o->wall_ns / 1e6,
			       json_real_value(json_object_get(run, "vms_per_s")),
			       json_real_value(json_object_get(run, "vcpus_per_s")), job->dir);
		json_object_set(job->point, "run", run);
		json_object_set_new(job->point, "phases", vb_meta_summary_json(s));
	} else if (job->cfg.json) {
		json_t *out = json_pack("{ss sO so}", "results", job->dir, "run", run, "phases",
					vb_meta_summary_json(s));

		if (job->tracing)
			json_object_set(out, "tracing", job->tracing);
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(out);
	} else if (!job->cfg.quiet) {
		print_table(stdout, s);
		if (job->tracing)
			print_trace_summary(stdout, job->tracing);
		printf("\n%u x %u vCPUs, %u iteration(s): wall %.3f ms, %.1f VMs/s, %.1f vCPUs/s\n",
		       job->cfg.vms, job->cfg.vcpus, o->iterations_done, o->wall_ns / 1e6,
		       json_real_value(json_object_get(run, "vms_per_s")),
		       json_real_value(json_object_get(run, "vcpus_per_s")));
		printf("results: %s\n", job->dir);
	}
	json_decref(run);
}

/* A progress line on a terminal only (never in a pipe or a file), and only
 * for runs long enough to show it at all: the first call is after 100 ms. */
static bool progress_shown;

static void show_progress(unsigned done, unsigned total)
{
	fprintf(stderr, "\r%u/%u iterations", done, total);
	progress_shown = true;
}

static void clear_progress(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
}

static void second_signal(int sig)
{
	/* The user insists: leave now. VM and vCPU fds close themselves at
	 * exit; the tracefs instance would not, so it goes first. */
	(void)sig;
	vb_trace_emergency(live_trace);
	_exit(1);
}

/* --trace: stop, attribute, write events.csv and trace_summary.csv, then
 * phases.csv with kernel_ns. Returns 0 or -errno of a write. */
static int finish_trace(struct run_job *job, struct vb_sink *sink)
{
	const struct vb_tool_thread tools[] = {
		{ vb_sink_writer_tid(sink), "vb-writer" },
		{ vb_trace_reader_tid(job->trace), "vb-trace" },
	};
	size_t n;
	const struct vb_record *rows;
	uint64_t *kernel_ns;
	int r = job->trace_kept ? vb_trace_pause(job->trace) : vb_trace_stop(job->trace), wr;

	vb_sink_drain(sink);
	rows = vb_sink_kept(sink, &n);
	kernel_ns = malloc((n ? n : 1) * sizeof(*kernel_ns));
	json_decref(job->tracing); /* --sweep: the previous point's */
	job->tracing = vb_trace_json(job->trace);
	if (!kernel_ns)
		r = -ENOMEM;
	if (!r)
		r = vb_trace_results_write(job->trace, job->dir, rows, n, tools, 2, kernel_ns,
					   job->tracing);
	if (r)
		vb_error("trace: %s; events.csv not written", strerror(-r));
	wr = vb_sink_close(sink, r ? NULL : kernel_ns);
	free(kernel_ns);
	if (vb_trace_lost(job->trace))
		vb_error("warning: trace: %llu events lost (buffer overrun); see meta.json",
			 (unsigned long long)vb_trace_lost(job->trace));
	/* The instance is being removed on a thread (grace periods, 80 ms
	 * or more): meta.json and the table do not wait for it; the run is
	 * freed, and the removal waited for, at the very end. */
	return wr ? wr : r;
}

/* A --kernel failure on a KVM that runs no stock kernel says so. */
static const char *stock_hint(const struct run_job *job)
{
	static char hint[160];
	bool stock = true;
	const char *backend = job->cfg.kernel ? vb_host_kvm_backend(&stock) : NULL;

	if (!backend || stock)
		return "";
	snprintf(hint, sizeof(hint), " (this host's KVM, %s, runs only guest kernels made for "
		 "it: see vcpubench info)", backend);
	return hint;
}

/* meta.json's "kernel": the image, its command line and initrd, and what
 * each VM's guest reached (@guests, from guest_files; stolen). */
static json_t *kernel_json(const struct run_job *job, json_t *guests)
{
	const struct vb_kernel *k = &job->kernel;
	json_t *o = json_pack("{sssIs{sisi}sssIsIso}", "path", job->cfg.kernel, "size",
			      (json_int_t)k->image.size, "protocol", "major", k->bz.version >> 8,
			      "minor", k->bz.version & 0xff, "cmdline", job->cfg.cmdline,
			      "initrd_size", (json_int_t)k->initrd.size, "initrd_addr",
			      (json_int_t)k->initrd_addr, "guests", guests ? guests : json_null());

	if (o)
		json_object_set_new(o, "initrd", json_string(job->cfg.initrd ? job->cfg.initrd
							     : k->initrd.name));
	return o;
}

static int run_and_write(struct run_job *job)
{
	struct vb_guest_files gf;
	json_t *guests = NULL;
	struct vb_run_outcome out;
	struct vb_runner_params p = { .cfg = &job->cfg, .kvm = &job->kvm, .guest = job->guest,
				      .ap_guest = job->cfg.smp_sipi ? vb_guest_find("sipi-ap") : NULL,
				      .kernel = job->cfg.kernel ? &job->kernel : NULL,
				      .on_second_signal = second_signal };
	struct vb_sink *sink = vb_sink_open(job->dir, (job->trace ? VB_SINK_KEEP : 0) |
							  (job->cfg.sched_stats ? VB_SINK_SCHED : 0));
	int r, wr = 0, sr = 0;

	if (!sink) {
		vb_error("cannot write results in '%s': %s", job->dir, strerror(errno));
		return 1;
	}
	if (job->cfg.kvm_stats && !(p.kvm_stats = vb_kvm_stats_file_open(job->dir))) {
		vb_error("cannot write results in '%s': %s", job->dir, strerror(errno));
		vb_sink_close(sink, NULL);
		vb_sink_free(sink);
		return 1;
	}
	if (job->cfg.kernel && (sr = vb_guest_files_open(&gf, job->dir))) {
		vb_error("cannot write results in '%s': %s", job->dir, strerror(-sr));
		vb_kvm_stats_file_close(p.kvm_stats);
		vb_sink_close(sink, NULL);
		vb_sink_free(sink);
		return 1;
	}
	if (job->cfg.kernel) {
		p.on_vm_end = vb_guest_files_vm_end;
		p.on_vm_end_arg = &gf;
	}
	p.sink = sink;
	p.kvm_open_start = job->kvm_open_start;
	p.kvm_open_end = job->kvm_open_end;
	if (!job->cfg.quiet && !job->cfg.json && isatty(STDERR_FILENO))
		p.on_progress = show_progress;
	r = vb_runner_run(&p, &out);
	clear_progress();
	if (job->trace)
		wr = finish_trace(job, sink);
	else
		wr = vb_sink_close(sink, NULL);
	sr = vb_kvm_stats_file_close(p.kvm_stats);
	if (!wr)
		wr = sr;
	if (job->cfg.kernel) {
		sr = vb_guest_files_close(&gf, &guests);
		if (!wr)
			wr = sr;
		job->meta.kernel = kernel_json(job, guests);
	}
	clock_gettime(CLOCK_REALTIME, &job->meta.end);
	job->meta.outcome = &out;
	job->meta.sink = sink;
	job->meta.tracing = job->tracing;
	if (wr)
		job->meta.write_error = strerror(-wr);
	if (vb_meta_write(job->dir, &job->meta) && !wr)
		wr = -errno;
	json_decref(job->meta.kernel);
	job->meta.kernel = NULL;
	if (r)
		vb_error("cannot run: %s", strerror(-r));
	else if (out.error[0])
		vb_error("%s%s", out.error, stock_hint(job));
	else if (out.interrupted)
		vb_error("interrupted by %s; partial results kept", strsignal(out.signal));
	if (wr)
		vb_error("cannot write results in '%s': %s", job->dir, strerror(-wr));
	print_result(job, sink);
	vb_sink_free(sink);
	return r || wr || !out.complete ? 1 : 0;
}

/* The host checks must hold for the largest point of a sweep. */
static void sweep_max(struct vb_run_config *c)
{
	if (c->sweep.nvms)
		c->vms = c->sweep.vms[c->sweep.nvms - 1];
	if (c->sweep.nvcpus)
		c->vcpus = c->sweep.vcpus[c->sweep.nvcpus - 1];
}

/* --sweep --trace: every point after the first continues the paused trace. */
static int resume_trace(struct run_job *job, bool paused)
{
	char err[512];

	if (!job->trace || !paused)
		return 0;
	if (vb_trace_resume(job->trace, err, sizeof(err))) {
		vb_error("%s", err);
		return 1;
	}
	return 0;
}

/* --sweep: the points one after another, each a complete results directory
 * "vms-<N>-vcpus-<M>" inside the run's directory, which gets an index
 * meta.json. Stops at the first failed or interrupted point. With --trace
 * every point records into the instance the first one set up (paused in
 * between), so the clock switch, buffer sizing, pid list and removal
 * (grace periods) are paid once per sweep, not once per point. */
static int run_sweep(struct run_job *job)
{
	const struct vb_sweep sw = job->cfg.sweep;
	size_t nv = sw.nvms ? sw.nvms : 1, nc = sw.nvcpus ? sw.nvcpus : 1;
	unsigned vms = job->cfg.vms, vcpus = job->cfg.vcpus;
	json_t *points = json_array();
	char top[sizeof(job->dir)];
	int r = 0;

	snprintf(top, sizeof(top), "%s", job->dir);
	for (size_t i = 0; i < nv && !r; i++)
		for (size_t k = 0; k < nc && !r; k++) {
			struct vb_meta base = job->meta;
			char name[64];

			if (resume_trace(job, i + k > 0)) {
				r = 1;
				break;
			}
			job->trace_kept = i + 1 < nv || k + 1 < nc;
			job->cfg.vms = sw.nvms ? sw.vms[i] : vms;
			job->cfg.vcpus = sw.nvcpus ? sw.vcpus[k] : vcpus;
			snprintf(name, sizeof(name), "vms-%u-vcpus-%u", job->cfg.vms, job->cfg.vcpus);
			if (snprintf(job->dir, sizeof(job->dir), "%s/%s", top, name) >= (int)sizeof(job->dir) ||
			    mkdir(job->dir, 0755) < 0) {
				vb_error("cannot create '%s/%s': %s", top, name, strerror(errno));
				r = 1;
				break;
			}
			job->point = json_pack("{ss sI sI}", "dir", name, "vms", (json_int_t)job->cfg.vms,
					       "vcpus", (json_int_t)job->cfg.vcpus);
			clock_gettime(CLOCK_REALTIME, &job->meta.start);
			r = run_and_write(job);
			json_object_set_new(job->point, "complete", json_boolean(r == 0));
			json_array_append_new(points, job->point);
			job->point = NULL;
			base.host = job->meta.host; /* collected once, kept for every point */
			job->meta = base;
		}
	snprintf(job->dir, sizeof(job->dir), "%s", top);
	clock_gettime(CLOCK_REALTIME, &job->meta.end);
	if (vb_meta_write_sweep(top, &job->meta, points, r == 0)) {
		vb_error("cannot write '%s/meta.json': %s", top, strerror(errno));
		r = 1;
	}
	json_decref(points);
	if (!job->cfg.quiet)
		printf("results: %s\n", top);
	return r;
}

int vb_cmd_run(int argc, char **argv)
{
	static struct run_job job; /* large (pin list, paths): not on the stack */
	char err[512];
	int r;

	/* Before anything: a SIGINT from now on stops the run cleanly. */
	vb_runner_block_signals();
	job.kvm.fd = -1;
	clock_gettime(CLOCK_REALTIME, &job.meta.start);
	r = vb_run_options_parse(&job.cfg, argc, argv, err, sizeof(err));
	if (r == 1) {
		vb_run_options_usage(stdout);
		return 0;
	}
	if (r) {
		vb_error("%s", err);
		return 2;
	}
	/* A --db that cannot work fails now, not after the measurement. */
	if (job.cfg.db && (r = vb_cmd_db_check_url(job.cfg.db)))
		return r;
	r = resolve_guest(&job);
	if (!r)
		r = resolve_kernel(&job);
	sweep_max(&job.cfg);
	if (!r)
		r = check_host(&job);
	if (!r)
		r = raise_nofile(&job);
	if (!r)
		r = start_trace(&job);
	if (!r)
		r = make_dir(&job);
	if (!r) {
		job.meta = (struct vb_meta){ .argc = argc, .argv = argv, .cfg = &job.cfg,
			.kvm = &job.kvm, .guest = job.guest, .nofile_limit = job.nofile,
			.start = job.meta.start };
		r = job.cfg.sweep.nvms || job.cfg.sweep.nvcpus ? run_sweep(&job) : run_and_write(&job);
		/* Whatever the run's outcome, what it published goes in (a run
		 * records whether it is complete). */
		if (job.cfg.db && vb_cmd_db_import_run(job.cfg.db, job.dir) && !r)
			r = 1;
	}
	live_trace = NULL;
	vb_trace_free(job.trace);
	json_decref(job.tracing);
	json_decref(job.meta.host);
	vb_kvm_release(&job.kvm);
	vb_guest_release(&job.file_guest);
	vb_kernel_release(&job.kernel);
	return r;
}
