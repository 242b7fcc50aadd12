/* vcpubench report: one or several results directories, or one sweep,
 * loaded and rendered as text, Markdown, HTML (tables and SVG plots), CSV
 * or JSON. Everything is recomputed from phases.csv (rundata.h); meta.json
 * supplies the host, the configuration and the run's own summary.
 *
 * Renderers write to a caller's stream and return 0 or -errno; they never
 * print messages. */
#ifndef VB_REPORT_H
#define VB_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "rundata.h"
#include "table.h"
#include "timeline.h"

enum vb_report_format { VB_REPORT_TEXT, VB_REPORT_MD, VB_REPORT_HTML, VB_REPORT_CSV,
			VB_REPORT_JSON, VB_REPORT_OPENMETRICS };

enum vb_sweep_axis { VB_SWEEP_NONE, VB_SWEEP_VMS, VB_SWEEP_VCPUS, VB_SWEEP_GRID };

struct vb_report_run {
	struct vb_rundata data;
	char *label;          /* the directory's last component, or the sweep point's dir */
	unsigned vms, vcpus;  /* from the sweep point or config; 0 when unknown */
	bool has_timeline;    /* loaded on request: the typical iteration */
	struct vb_timeline timeline;
};

struct vb_report {
	struct vb_report_run *runs;
	size_t nruns;
	enum vb_sweep_axis axis;  /* VB_SWEEP_NONE unless one sweep directory was given */
	json_t *sweep_meta;       /* the sweep's top-level meta.json, or NULL */
};

/* Load @ndirs directories. A sweep directory (meta.json with "sweep") must
 * be the only one and loads each of its points. With @timelines, each
 * run's typical iteration is loaded too (for the HTML plots). 0; -EINVAL with a message
 * naming file, line and column for malformed input; -E2BIG for a sweep
 * given with other directories; -errno for I/O. @rep needs no release
 * on failure. */
int vb_report_load(struct vb_report *rep, char *const *dirs, size_t ndirs, bool timelines,
		   char *err, size_t errlen);
void vb_report_release(struct vb_report *rep);

/* Parse "text", "md", ... into *@fmt; -EINVAL when it is none of them. */
int vb_report_format_parse(const char *s, enum vb_report_format *fmt);

/* Render @rep. For HTML, @note receives why plots are missing ("" when
 * all are there): a report without plots is still a report. */
int vb_report_write(const struct vb_report *rep, enum vb_report_format fmt, FILE *f,
		    char *note, size_t notelen);

/* Helpers shared by the renderers (report*.c). */

/* Phases worth a row: measured (or failed) in at least one run. */
bool vb_report_phase_shown(const struct vb_report *rep, enum vb_phase p);

/* The axis value of a sweep point (VMs, vCPUs, or all vCPUs for a grid),
 * and the axis's name. */
unsigned vb_report_axis_value(const struct vb_report *rep, const struct vb_report_run *run);
const char *vb_report_axis_name(enum vb_sweep_axis axis);

/* Per phase, n and the summary in µs; one column group per run when there
 * are several. NULL with errno set. */
struct vb_table *vb_report_phase_table(const struct vb_report *rep);

/* Whether any run has --sched-stats counters. */
bool vb_report_has_sched(const struct vb_report *rep);

/* --sched-stats: per phase (and run), the median on-CPU time, how many
 * samples waited for a CPU at all, and of the samples above 2x and 10x the
 * median how many were preempted, slept or stolen (rundata.h
 * vb_sched_tails): a tail the scheduler or the hypervisor explains, or
 * not. NULL
 * with errno set. */
struct vb_table *vb_report_sched_table(const struct vb_report *rep);

/* A sweep's scaling table: per phase, the median (@p99 false) or p99 in µs
 * at each point. NULL with errno set. */
struct vb_table *vb_report_scaling_table(const struct vb_report *rep, bool p99);

/* The renderers behind vb_report_write(). */
int vb_report_write_text(const struct vb_report *rep, FILE *f, bool markdown);
int vb_report_write_csv(const struct vb_report *rep, FILE *f);
int vb_report_write_json(const struct vb_report *rep, FILE *f);
int vb_report_write_html(const struct vb_report *rep, FILE *f, char *note, size_t notelen);
/* @openmetrics: the OpenMetrics exposition (# UNIT, # EOF); else the same
 * samples in Prometheus' text format 0.0.4, which a Pushgateway takes. */
int vb_report_write_openmetrics(const struct vb_report *rep, FILE *f, bool openmetrics);

/* The HTML page of @rep titled @title, with @head(@f, @arg) writing more
 * sections (HTML) before the report's own (runs, tables, plots). */
int vb_report_write_html_page(const struct vb_report *rep, FILE *f, const char *title,
			      int (*head)(FILE *f, void *arg), void *arg, char *note,
			      size_t notelen);

#endif
