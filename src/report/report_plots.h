/* The plots of the HTML report, each written as a gnuplot script and data
 * into a vb_plot (plot.h), ready to start. Data are reduced before gnuplot
 * sees them (quartiles for boxes, a few hundred points per CDF), so a
 * million samples plot as fast as a hundred.
 *
 * Each returns 0, -ENODATA when the report has nothing to show in that
 * plot, or -errno; @caption (@len bytes) receives what the figure shows. */
#ifndef VB_REPORT_PLOTS_H
#define VB_REPORT_PLOTS_H

#include "plot.h"
#include "report.h"

/* Box plot per phase and run on a log axis: box p25-p75, line at the
 * median, whiskers p1-p99, marks at min and max. */
int vb_report_plot_box(const struct vb_report *rep, struct vb_plot *p, char *caption,
		       size_t len);

/* Empirical CDF of each phase, one panel per phase, one line per run. */
int vb_report_plot_cdf(const struct vb_report *rep, struct vb_plot *p, char *caption,
		       size_t len);

/* --sched-stats: each sample's duration against its run-queue time, one
 * panel per phase, one colour per run. */
int vb_report_plot_runq(const struct vb_report *rep, struct vb_plot *p, char *caption,
			size_t len);

/* Gantt chart of @run's typical iteration: one row per vCPU. */
int vb_report_plot_gantt(const struct vb_report_run *run, struct vb_plot *p, char *caption,
			 size_t len);

/* Kernel events attributed to first_run in @run's typical iteration, on
 * each vCPU's own time axis from its KVM_RUN entry. */
int vb_report_plot_events(const struct vb_report_run *run, struct vb_plot *p, char *caption,
			  size_t len);

/* A sweep's median and p99 of each phase against the swept axis. */
int vb_report_plot_scaling(const struct vb_report *rep, struct vb_plot *p, char *caption,
			   size_t len);

#endif
