/* The text (terminal) and Markdown reports: the same lines and tables,
 * decorated for each (report.h). */
#include <errno.h>
#include <string.h>

#include "describe.h"
#include "report.h"

/* One run's description: header line, then host, outcome and warnings. */
static void describe_run(const struct vb_report *rep, size_t i, FILE *f, bool md)
{
	const struct vb_report_run *run = &rep->runs[i];
	char config[512], host[1024], outcome[256], warn[2048], *line, *save;
	const char *indent = md ? "" : "  ", *br = md ? "  \n" : "\n";

	vb_describe_config(&run->data, config, sizeof(config));
	vb_describe_host(&run->data, host, sizeof(host));
	vb_describe_outcome(&run->data, outcome, sizeof(outcome));
	vb_describe_warnings(&run->data, warn, sizeof(warn));
	if (rep->nruns > 1)
		fprintf(f, "[%zu] ", i + 1);
	if (md)
		fprintf(f, "**%s**", run->label);
	else
		fputs(run->data.dir, f);
	fprintf(f, "%s%s%s", *config ? ": " : "", config, br);
	if (*host)
		fprintf(f, "%shost %s%s", indent, host, br);
	if (*outcome)
		fprintf(f, "%s%s%s", indent, outcome, br);
	for (line = strtok_r(warn, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(f, md ? "%s**warning: %s**%s" : "%swarning: %s%s", indent, line, br);
	fputc('\n', f);
}

static int write_table(struct vb_table *t, FILE *f, bool md)
{
	int r;

	if (!t)
		return -errno;
	r = md ? vb_table_write_md(t, f) : vb_table_write_text(t, f, "");
	vb_table_free(t);
	return r;
}

static int write_sweep(const struct vb_report *rep, FILE *f, bool md)
{
	const char *axis = vb_report_axis_name(rep->axis);
	int r;

	fprintf(f, md ? "## Scaling with %s, median µs\n\n" : "median µs by %s\n", axis);
	r = write_table(vb_report_scaling_table(rep, false), f, md);
	if (r)
		return r;
	fprintf(f, md ? "\n## Scaling with %s, p99 µs\n\n" : "\np99 µs by %s\n", axis);
	return write_table(vb_report_scaling_table(rep, true), f, md);
}

int vb_report_write_text(const struct vb_report *rep, FILE *f, bool markdown)
{
	int r;

	if (markdown)
		fputs("# vcpubench report\n\n", f);
	if (rep->axis != VB_SWEEP_NONE)
		fprintf(f, markdown ? "Sweep over %s, %zu points.\n\n"
				    : "sweep over %s, %zu points\n\n",
			vb_report_axis_name(rep->axis), rep->nruns);
	for (size_t i = 0; i < rep->nruns; i++)
		describe_run(rep, i, f, markdown);
	if (rep->axis != VB_SWEEP_NONE)
		r = write_sweep(rep, f, markdown);
	else
		r = write_table(vb_report_phase_table(rep), f, markdown);
	if (!r && rep->axis == VB_SWEEP_NONE && vb_report_has_sched(rep)) {
		fputs(markdown ? "\n## Scheduler (--sched-stats)\n\n"
			       : "\nscheduler (--sched-stats): was a slow sample the kernel's work or a "
				 "wait for a CPU?\n",
		      f);
		r = write_table(vb_report_sched_table(rep), f, markdown);
	}
	if (!r && ferror(f))
		r = -EIO;
	return r;
}
