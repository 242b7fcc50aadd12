/* Loading what a report shows, and what every format says the same way
 * (report.h). */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_path.h"

/* The last path component of @dir, ignoring trailing slashes; for "." and
 * ".." the name of the directory they stand for. */
static char *dir_label(const char *dir)
{
	char buf[PATH_MAX], *end, *base;

	snprintf(buf, sizeof(buf), "%s", dir);
	end = buf + strlen(buf);
	while (end > buf + 1 && end[-1] == '/')
		*--end = '\0';
	base = strrchr(buf, '/');
	base = base && base[1] ? base + 1 : buf;
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		char *real = realpath(dir, NULL);

		if (real) {
			char *label = strdup(strrchr(real, '/') ? strrchr(real, '/') + 1 : real);

			free(real);
			return label;
		}
	}
	return strdup(base);
}

static unsigned config_uint(json_t *meta, const char *path)
{
	double v;

	return vb_json_path_num(meta, path, &v) && v >= 0 && v <= UINT_MAX ? (unsigned)v : 0;
}

static int load_run(struct vb_report_run *run, const char *dir, const char *label,
		    char *err, size_t errlen)
{
	int r = vb_rundata_load(&run->data, dir, err, errlen);

	if (r)
		return r;
	run->label = label ? strdup(label) : dir_label(dir);
	if (!run->label) {
		vb_rundata_release(&run->data);
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	run->vms = config_uint(run->data.meta, "config.vms");
	run->vcpus = config_uint(run->data.meta, "config.vcpus");
	return 0;
}

static int sweep_fail(char *err, size_t errlen, const char *dir, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int sweep_fail(char *err, size_t errlen, const char *dir, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s/meta.json: ", dir);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int load_point(struct vb_report *rep, const char *dir, size_t i, char *err,
		      size_t errlen)
{
	json_t *pt = json_array_get(vb_json_path(rep->sweep_meta, "sweep.points"), i);
	const char *name = vb_json_path_str(pt, "dir", NULL);
	struct vb_report_run *run = &rep->runs[i];
	char path[PATH_MAX];
	int r;

	/* A point is a subdirectory: never a path out of the sweep. */
	if (!name || !*name || name[0] == '/' || strstr(name, ".."))
		return sweep_fail(err, errlen, dir,
				  "sweep.points[%zu].dir must name a subdirectory", i);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	r = load_run(run, path, name, err, errlen);
	if (r)
		return r;
	rep->nruns++;
	if (config_uint(pt, "vms"))
		run->vms = config_uint(pt, "vms");
	if (config_uint(pt, "vcpus"))
		run->vcpus = config_uint(pt, "vcpus");
	return 0;
}

/* "axis": "vms" | "vcpus" | "grid" (the brief), or "axes": ["vms"],
 * ["vcpus"] or both (what run --sweep writes). */
static enum vb_sweep_axis sweep_axis(json_t *sweep)
{
	const char *axis = vb_json_path_str(sweep, "axis", NULL);
	json_t *axes = vb_json_path(sweep, "axes"), *a;
	bool vms = false, vcpus = false;
	size_t i;

	if (axis)
		return strcmp(axis, "vms") == 0     ? VB_SWEEP_VMS
		       : strcmp(axis, "vcpus") == 0 ? VB_SWEEP_VCPUS
		       : strcmp(axis, "grid") == 0  ? VB_SWEEP_GRID
						    : VB_SWEEP_NONE;
	json_array_foreach(axes, i, a) {
		vms |= json_is_string(a) && strcmp(json_string_value(a), "vms") == 0;
		vcpus |= json_is_string(a) && strcmp(json_string_value(a), "vcpus") == 0;
	}
	if (vms != vcpus)
		return vms ? VB_SWEEP_VMS : VB_SWEEP_VCPUS;
	return vms ? VB_SWEEP_GRID : VB_SWEEP_NONE;
}

static int load_sweep(struct vb_report *rep, const char *dir, char *err, size_t errlen)
{
	json_t *points = vb_json_path(rep->sweep_meta, "sweep.points");
	size_t n = json_array_size(points);

	rep->axis = sweep_axis(vb_json_path(rep->sweep_meta, "sweep"));
	if (rep->axis == VB_SWEEP_NONE)
		return sweep_fail(err, errlen, dir,
				  "sweep has no axis (\"axis\": vms, vcpus or grid, or \"axes\")");
	if (!n)
		return sweep_fail(err, errlen, dir, "sweep.points is empty");
	rep->runs = calloc(n, sizeof(*rep->runs));
	if (!rep->runs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int r = load_point(rep, dir, i, err, errlen);

		if (r)
			return r;
	}
	return 0;
}

/* meta.json of @dir when it describes a sweep, else NULL. */
static json_t *sweep_meta(const char *dir)
{
	char path[PATH_MAX];
	json_t *m;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	m = json_load_file(path, 0, NULL);
	if (m && json_is_object(vb_json_path(m, "sweep")))
		return m;
	json_decref(m);
	return NULL;
}

static int load_timelines(struct vb_report *rep, char *err, size_t errlen)
{
	for (size_t i = 0; i < rep->nruns; i++) {
		struct vb_report_run *run = &rep->runs[i];
		int r;

		if (!run->data.has_typical_iteration)
			continue;
		r = vb_timeline_load(&run->timeline, run->data.iteration_dir, run->data.typical_iteration,
				     err, errlen);
		if (r)
			return r;
		run->has_timeline = true;
	}
	return 0;
}

int vb_report_load(struct vb_report *rep, char *const *dirs, size_t ndirs, bool timelines,
		   char *err, size_t errlen)
{
	int r = 0;

	*rep = (struct vb_report){ 0 };
	for (size_t i = 0; i < ndirs && !rep->sweep_meta; i++) {
		rep->sweep_meta = sweep_meta(dirs[i]);
		if (rep->sweep_meta && ndirs > 1) {
			snprintf(err, errlen, "'%s' is a sweep: report it on its own", dirs[i]);
			json_decref(rep->sweep_meta);
			rep->sweep_meta = NULL;
			return -E2BIG;
		}
	}
	if (rep->sweep_meta)
		r = load_sweep(rep, dirs[0], err, errlen);
	else if (!(rep->runs = calloc(ndirs, sizeof(*rep->runs))))
		r = -ENOMEM;
	for (size_t i = 0; !rep->sweep_meta && !r && i < ndirs; i++)
		if (!(r = load_run(&rep->runs[i], dirs[i], NULL, err, errlen)))
			rep->nruns++;
	if (!r && timelines)
		r = load_timelines(rep, err, errlen);
	if (r == -ENOMEM)
		snprintf(err, errlen, "%s", strerror(ENOMEM));
	if (r)
		vb_report_release(rep);
	return r;
}

void vb_report_release(struct vb_report *rep)
{
	for (size_t i = 0; i < rep->nruns; i++) {
		vb_rundata_release(&rep->runs[i].data);
		vb_timeline_release(&rep->runs[i].timeline);
		free(rep->runs[i].label);
	}
	free(rep->runs);
	json_decref(rep->sweep_meta);
	*rep = (struct vb_report){ 0 };
}

bool vb_report_phase_shown(const struct vb_report *rep, enum vb_phase p)
{
	for (size_t i = 0; i < rep->nruns; i++)
		if (rep->runs[i].data.summary[p].n || rep->runs[i].data.failed[p])
			return true;
	return false;
}

unsigned vb_report_axis_value(const struct vb_report *rep, const struct vb_report_run *run)
{
	switch (rep->axis) {
	case VB_SWEEP_VMS: return run->vms;
	case VB_SWEEP_VCPUS: return run->vcpus;
	default: return run->vms * run->vcpus;
	}
}

const char *vb_report_axis_name(enum vb_sweep_axis axis)
{
	switch (axis) {
	case VB_SWEEP_VMS: return "VMs";
	case VB_SWEEP_VCPUS: return "vCPUs per VM";
	default: return "VMs × vCPUs";
	}
}
