/* One-line descriptions of a results directory for people, from its
 * meta.json (any version: what is missing is left out) and its phases. */
#include "describe.h"

#include <string.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "json_path.h"

/* Append to @buf, which already holds *@n bytes, with @sep before the
 * part unless it is the first. */
static void add(char *buf, size_t len, size_t *n, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add(char *buf, size_t len, size_t *n, const char *sep, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*n && *n < len) {
		r = snprintf(buf + *n, len - *n, "%s", sep);
		*n += r > 0 ? (size_t)r : 0;
	}
	if (*n >= len)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	*n += r > 0 ? (size_t)r : 0;
}

void vb_describe_config(const struct vb_rundata *d, char *buf, size_t len)
{
	json_t *m = d->meta;
	double vms, vcpus, it, warm;
	size_t n = 0;

	buf[0] = '\0';
	if (vb_json_path_num(m, "config.vms", &vms) && vb_json_path_num(m, "config.vcpus", &vcpus))
		add(buf, len, &n, ", ", "%.0f VM%s × %.0f vCPU%s", vms, vms == 1 ? "" : "s", vcpus,
		    vcpus == 1 ? "" : "s");
	if (vb_json_path_num(m, "config.iterations", &it))
		add(buf, len, &n, ", ", "%.0f iteration%s", it, it == 1 ? "" : "s");
	if (vb_json_path_num(m, "config.warmup", &warm) && warm > 0)
		add(buf, len, &n, ", ", "%.0f warmup", warm);
	if (d->nrounds > 1)
		add(buf, len, &n, ", ", "%zu rounds (samples pooled)", d->nrounds);
	if (vb_json_path_str(m, "kernel.path", NULL)) {
		const char *k = vb_json_path_str(m, "kernel.path", NULL), *slash = strrchr(k, '/');

		add(buf, len, &n, ", ", "kernel %s", slash ? slash + 1 : k);
	} else if (vb_json_path_str(m, "config.guest", NULL))
		add(buf, len, &n, ", ", "guest %s", vb_json_path_str(m, "config.guest", NULL));
	if (json_is_true(vb_json_path(m, "config.hold")))
		add(buf, len, &n, ", ", "--hold");
	if (json_is_true(vb_json_path(m, "tracing.enabled")))
		add(buf, len, &n, ", ", "traced");
	if (vb_json_path_str(m, "start_utc", NULL))
		add(buf, len, &n, ", ", "started %s", vb_json_path_str(m, "start_utc", NULL));
}

void vb_describe_host(const struct vb_rundata *d, char *buf, size_t len)
{
	json_t *m = d->meta;
	const char *s;
	double cpus;
	size_t n = 0;

	buf[0] = '\0';
	if (!m)
		return;
	add(buf, len, &n, "", "%s:", vb_json_path_str(m, "host.hostname", "host"));
	/* The first part follows the colon with a space, not a comma. */
	if ((s = vb_json_path_str(m, "host.kernel_release", NULL)))
		add(buf, len, &n, " ", "Linux %s", s);
	if ((s = vb_json_path_str(m, "host.cpu_model", NULL)))
		add(buf, len, &n, ", ", "%s", s);
	if ((s = vb_json_path_str(m, "host.microcode", NULL)))
		add(buf, len, &n, ", ", "microcode %s", s);
	if (vb_json_path_num(m, "host.cpus_online", &cpus))
		add(buf, len, &n, ", ", "%.0f CPU%s", cpus, cpus == 1 ? "" : "s");
	if ((s = vb_json_path_str(m, "host.clocksource", NULL)))
		add(buf, len, &n, ", ", "clocksource %s", s);
}

void vb_describe_outcome(const struct vb_rundata *d, char *buf, size_t len)
{
	json_t *m = d->meta;
	double v;
	size_t n = 0;

	buf[0] = '\0';
	/* A set's meta.json is its first round's. */
	if (d->nrounds > 1 && vb_json_path(m, "run"))
		add(buf, len, &n, ", ", "round 1:");
	if (vb_json_path_num(m, "run.wall_ns", &v))
		add(buf, len, &n, " ", "wall %.2f ms", v / 1e6);
	if (vb_json_path_num(m, "run.vms_per_s", &v))
		add(buf, len, &n, ", ", "%.1f VMs/s", v);
	if (vb_json_path_num(m, "run.vcpus_per_s", &v))
		add(buf, len, &n, ", ", "%.1f vCPUs/s", v);
}

static bool run_complete(json_t *m)
{
	json_t *c = vb_json_path(m, "complete");

	if (!c)
		c = vb_json_path(m, "run.complete");
	return !json_is_false(c);
}

static void warn_failed(const struct vb_rundata *d, char *buf, size_t len, size_t *n)
{
	uint64_t total = 0;

	for (int p = 0; p < VB_PHASE_COUNT; p++)
		total += d->failed[p];
	if (!total)
		return;
	add(buf, len, n, "\n", "%" PRIu64 " row%s not ok, left out:", total,
	    total == 1 ? "" : "s");
	for (int p = 0; p < VB_PHASE_COUNT; p++)
		if (d->failed[p])
			add(buf, len, n, " ", "%s %" PRIu64, vb_phase_name[p], d->failed[p]);
}

void vb_describe_warnings(const struct vb_rundata *d, char *buf, size_t len)
{
	json_t *m = d->meta;
	double lost, done, it, step;
	size_t n = 0;

	buf[0] = '\0';
	if (!m)
		add(buf, len, &n, "\n", "no meta.json: host and configuration unknown");
	if (m && !run_complete(m)) {
		add(buf, len, &n, "\n", "partial run: %s",
		    vb_json_path_str(m, "run.why_incomplete", "reason not recorded"));
		if (vb_json_path_num(m, "run.iterations_done", &done) &&
		    vb_json_path_num(m, "config.iterations", &it))
			add(buf, len, &n, " ", "(%.0f of %.0f iterations)", done, it);
	}
	if (vb_json_path_num(m, "tracing.events_lost", &lost) && lost > 0)
		add(buf, len, &n, "\n", "%.0f trace events lost", lost);
	if (json_is_true(vb_json_path(m, "sched_stats.enabled")) &&
	    strcmp(vb_json_path_str(m, "host.vm.accel", ""), "tcg") == 0)
		add(buf, len, &n, "\n", "--sched-stats under QEMU TCG: the VM's kernel counts as "
		    "on-CPU the time QEMU spends running its other CPUs, and its CPUs' clocks "
		    "disagree: slow samples cannot be told apart there");
	if (vb_json_path_num(m, "sched_stats.oncpu_step_ns", &step) && step > VB_SCHED_STEP_WARN_NS)
		add(buf, len, &n, "\n", "on-CPU and run-queue times move in steps of %.0f µs on this "
		    "host (its sched_clock is tick-based): --sched-stats figures of shorter "
		    "phases mean nothing", step / 1000);
	warn_failed(d, buf, len, &n);
}

