/* gnuplot scripts and data for the HTML report (report_plots.h). Scripts
 * name each data block explicitly (index N) instead of looping in gnuplot,
 * so blocks a run has no data for are simply not plotted. */
#include "report_plots.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Fixed colours per phase, so a phase looks the same in every plot. */
static const char *const phase_color[VB_PHASE_COUNT] = {
	[VB_PHASE_KVM_OPEN] = "#7f7f7f",        [VB_PHASE_KVM_SUPPORTED_CPUID] = "#c7c7c7",
	[VB_PHASE_KVM_VCPU_MMAP_SIZE] = "#bcbd22", [VB_PHASE_VM_CREATE] = "#1f77b4",
	[VB_PHASE_VM_TSS_ADDR] = "#6b6ecf",     [VB_PHASE_VM_IDENTITY_MAP] = "#9c9ede",
	[VB_PHASE_VM_IRQCHIP] = "#8ca252",      [VB_PHASE_VM_PIT] = "#b5cf6b",
	[VB_PHASE_VM_MEMORY] = "#aec7e8",       [VB_PHASE_GUEST_LOAD] = "#ff7f0e",
	[VB_PHASE_GDT_WRITE] = "#ffbb78",       [VB_PHASE_IDT_WRITE] = "#dbdb8d",
	[VB_PHASE_PAGETABLE_WRITE] = "#98df8a", [VB_PHASE_VM_TEARDOWN] = "#8c564b",
	[VB_PHASE_VCPU_CREATE] = "#2ca02c",     [VB_PHASE_VCPU_MMAP] = "#17becf",
	[VB_PHASE_VCPU_CPUID] = "#d62728",      [VB_PHASE_VCPU_FPU] = "#ff9896",
	[VB_PHASE_VCPU_MSRS] = "#9467bd",       [VB_PHASE_VCPU_REGS] = "#c5b0d5",
	[VB_PHASE_VCPU_SREGS] = "#e377c2",      [VB_PHASE_VCPU_LAPIC] = "#e7ba52",
	[VB_PHASE_VCPU_MP_STATE] = "#bd9e39",   [VB_PHASE_FIRST_RUN] = "#f7b6d2",
	[VB_PHASE_EXIT] = "#393b79",            [VB_PHASE_SIPI_SEND] = "#ad494a",
	[VB_PHASE_VCPU_CLOSE] = "#c49c94",      [VB_PHASE_VCPU_SETUP_TOTAL] = "#637939",
	[VB_PHASE_BOOT_TOTAL] = "#843c39",      [VB_PHASE_AP_WAKE] = "#d6616b",
	[VB_PHASE_VM_BOOT] = "#7b4173",
};
static const char *const run_color[] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
					 "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
					 "#bcbd22", "#17becf" };
#define RUN_COLOR(i) run_color[(i) % (sizeof(run_color) / sizeof(run_color[0]))]

/* A Gantt chart beyond this many vCPU rows is unreadable; show the first. */
#define GANTT_MAX_ROWS 128
/* Points per CDF line: enough for a smooth curve at report size. */
#define CDF_POINTS 400
#define CDF_MIN_POINTS 50

static void prelude(FILE *s, int width, int height)
{
	fprintf(s, "set terminal svg size %d,%d noenhanced font 'sans,10' background rgb 'white'\n",
		width, height);
	fputs("set encoding utf8\nset grid lc rgb '#e0e0e0'\nset border lw 0.8\n", s);
}

/* Durations in µs for a log axis, which cannot show 0. */
static double us(double ns)
{
	return ns < 1 ? 0.001 : ns / 1000.0;
}

static void put_title(FILE *s, const char *title)
{
	fputs(" title ", s);
	vb_plot_quote(s, title);
}

static size_t shown_phases(const struct vb_report *rep, enum vb_phase *out, size_t min_n)
{
	size_t np = 0;

	for (int p = 0; p < VB_PHASE_COUNT; p++)
		for (size_t i = 0; i < rep->nruns; i++)
			if (rep->runs[i].data.summary[p].n >= min_n) {
				out[np++] = (enum vb_phase)p;
				break;
			}
	return np;
}

static void phase_xtics(FILE *s, const enum vb_phase *ph, size_t np)
{
	fputs("set xtics rotate by 35 right (", s);
	for (size_t k = 0; k < np; k++)
		fprintf(s, "%s'%s' %zu", k ? ", " : "", vb_phase_name[ph[k]], k);
	fputs(")\n", s);
}

/* Percentile @q of ascending @v in µs. */
static double q_us(const uint64_t *v, size_t n, double q)
{
	return us((double)vb_stats_percentile(v, n, q));
}

/* One block per run: x, p1, p25, p50, p75, p99, min, max of each phase. */
static void box_data(const struct vb_report *rep, FILE *d, const enum vb_phase *ph, size_t np,
		     bool *has)
{
	double w = 0.8 / (double)rep->nruns;

	for (size_t r = 0; r < rep->nruns; r++) {
		const struct vb_rundata *rd = &rep->runs[r].data;

		for (size_t k = 0; k < np; k++) {
			const uint64_t *v = rd->samples[ph[k]].v;
			size_t n = rd->samples[ph[k]].n;

			if (!n)
				continue;
			has[r] = true;
			fprintf(d, "%.4f %.3f %.3f %.3f %.3f %.3f %.3f %.3f\n",
				(double)k + ((double)r - (double)(rep->nruns - 1) / 2) * w,
				q_us(v, n, 0.01), q_us(v, n, 0.25), q_us(v, n, 0.5),
				q_us(v, n, 0.75), q_us(v, n, 0.99), us((double)v[0]),
				us((double)v[n - 1]));
		}
		fputs("\n\n", d);
	}
}

/* Box p25-p75 with whiskers p1-p99, the median line, min and max marks. */
static const char *const box_series[] = {
	"using 1:3:2:6:5 with candlesticks whiskerbars 0.5",
	"using 1:4:4:4:4 with candlesticks lw 2",
	"using 1:7 with points pt 2 ps 0.4",
	"using 1:8 with points pt 2 ps 0.4",
};

int vb_report_plot_box(const struct vb_report *rep, struct vb_plot *p, char *caption,
		       size_t len)
{
	enum vb_phase ph[VB_PHASE_COUNT];
	size_t np = shown_phases(rep, ph, 1);
	FILE *s = vb_plot_script(p), *d;
	const char *path, *sep = "plot ";
	bool *has;

	if (!np)
		return -ENODATA;
	d = vb_plot_data(p, &path);
	has = calloc(rep->nruns, sizeof(*has));
	if (!d || !has) {
		free(has);
		return -errno;
	}
	box_data(rep, d, ph, np, has);
	/* Wide enough for every box, within what a page can scroll to. */
	prelude(s, (int)fmin(2400, fmax(960, (double)(np * rep->nruns * 22))), 520);
	/* Room on the left for the first rotated phase names. */
	fprintf(s, "set logscale y\nset ylabel 'duration (µs, log scale)'\nset lmargin 16\n"
		   "set xrange [-0.6:%.1f]\n",
		(double)np - 0.4);
	phase_xtics(s, ph, np);
	fprintf(s, "set boxwidth %.4f absolute\nset style fill solid 0.35 border\n",
		0.64 / (double)rep->nruns);
	fputs(rep->nruns > 1 ? "set key top left\n" : "unset key\n", s);
	for (size_t r = 0; r < rep->nruns; r++) {
		if (!has[r])
			continue;
		for (size_t j = 0; j < sizeof(box_series) / sizeof(box_series[0]); j++) {
			fputs(sep, s);
			sep = ", \\\n  ";
			vb_plot_quote(s, path);
			fprintf(s, " index %zu %s lc rgb '%s'", r, box_series[j], RUN_COLOR(r));
			if (j == 0)
				put_title(s, rep->runs[r].label);
			else
				fputs(" notitle", s);
		}
	}
	fputc('\n', s);
	free(has);
	snprintf(caption, len,
		 "Duration of each phase (log scale): box from p25 to p75 with a line at the "
		 "median, whiskers from p1 to p99, crosses at min and max.");
	return 0;
}

/* Block k * nruns + r: up to CDF_POINTS (x µs, fraction) steps of phase k
 * in run r, shared among the runs of a panel (a sweep of a dozen points
 * would otherwise make a megabyte-sized plot no eye can tell apart). */
static void cdf_data(const struct vb_report *rep, FILE *d, const enum vb_phase *ph, size_t np)
{
	size_t cap = CDF_POINTS / (rep->nruns ? rep->nruns : 1);

	if (cap < CDF_MIN_POINTS)
		cap = CDF_MIN_POINTS;
	for (size_t k = 0; k < np; k++)
		for (size_t r = 0; r < rep->nruns; r++) {
			const struct vb_u64vec *v = &rep->runs[r].data.samples[ph[k]];
			size_t pts = v->n < cap ? v->n : cap;

			for (size_t j = 0; j < pts; j++) {
				size_t i = pts > 1 ? j * (v->n - 1) / (pts - 1) : 0;

				fprintf(d, "%.3f %.6f\n", us((double)v->v[i]),
					(double)(i + 1) / (double)v->n);
			}
			fputs("\n\n", d);
		}
}

/* A grid of one panel per phase, four to a row, on a canvas that leaves
 * ~35 px between rows for the tick labels, whatever the number of rows. */
static void panel_grid(FILE *s, size_t np)
{
	size_t cols = 4, rows = (np + cols - 1) / cols;
	double height = (double)rows * 210 + 30;

	prelude(s, 1100, (int)height);
	fprintf(s, "set multiplot layout %zu,%zu spacing 0.05,%.4f margins 0.05,0.98,%.4f,%.4f\n",
		rows, cols, 35 / height, 25 / height, 1 - 8 / height);
	fputs("set key bottom right opaque\nset style textbox opaque noborder\n", s);
}

typedef const struct vb_u64vec *(*samples_fn)(const struct vb_rundata *, enum vb_phase);

/* Panel @k, phase @ph: its name inside, top left (a title between rows
 * would read as the label of the panel above), and one series in @style
 * per run with samples of the phase, data block k * nruns + r. */
static void panel(FILE *s, const struct vb_report *rep, const char *path, size_t k,
		  enum vb_phase ph, const char *unit, samples_fn samples, const char *style)
{
	const char *sep = "plot ";

	fprintf(s, "set label 1 '%s%s' at graph 0.03, graph 0.92 left front boxed\n",
		vb_phase_name[ph], unit);
	for (size_t r = 0; r < rep->nruns; r++) {
		if (!samples(&rep->runs[r].data, ph)->n)
			continue;
		fputs(sep, s);
		vb_plot_quote(s, path);
		fprintf(s, " index %zu using 1:2 %s lc rgb '%s'", k * rep->nruns + r, style,
			RUN_COLOR(r));
		if (k == 0 && rep->nruns > 1)
			put_title(s, rep->runs[r].label);
		else
			fputs(" notitle", s);
		sep = ", ";
	}
	fputc('\n', s);
}

static void panels(FILE *s, const struct vb_report *rep, const char *path,
		   const enum vb_phase *ph, size_t np, const char *unit, samples_fn samples,
		   const char *style)
{
	for (size_t k = 0; k < np; k++)
		panel(s, rep, path, k, ph[k], unit, samples, style);
	fputs("unset multiplot\n", s);
}

static const struct vb_u64vec *durations(const struct vb_rundata *d, enum vb_phase p)
{
	return &d->samples[p];
}

static const struct vb_u64vec *sched_rows(const struct vb_rundata *d, enum vb_phase p)
{
	return &d->sched_dur[p];
}

int vb_report_plot_cdf(const struct vb_report *rep, struct vb_plot *p, char *caption,
		       size_t len)
{
	enum vb_phase ph[VB_PHASE_COUNT];
	size_t np = shown_phases(rep, ph, 2);
	FILE *s = vb_plot_script(p), *d;
	const char *path;

	if (!np)
		return -ENODATA;
	d = vb_plot_data(p, &path);
	if (!d)
		return -errno;
	cdf_data(rep, d, ph, np);
	panel_grid(s, np);
	fputs("set logscale x\nset format x '%g'\nset yrange [0:1]\nset ytics 0.25\n", s);
	panels(s, rep, path, ph, np, " (µs)", durations, "with steps lw 1.5");
	snprintf(caption, len, "Cumulative distribution of each phase's duration (log scale): "
			       "the fraction of samples at or below a duration.");
	return 0;
}

/* At most this many points per phase and run: an SVG stays small. */
#define RUNQ_MAX_POINTS 1500
/* Where a sample that never waited is drawn on the log axis, in µs. */
#define RUNQ_FLOOR_US 0.1

/* Phases with --sched-stats rows in any run, in table order. */
static size_t sched_phases(const struct vb_report *rep, enum vb_phase *out)
{
	size_t n = 0;

	for (int p = 0; p < VB_PHASE_COUNT; p++)
		for (size_t r = 0; r < rep->nruns; r++)
			if (rep->runs[r].data.sched_dur[p].n) {
				out[n++] = (enum vb_phase)p;
				break;
			}
	return n;
}

static void runq_data(const struct vb_report *rep, FILE *d, const enum vb_phase *ph, size_t np)
{
	for (size_t k = 0; k < np; k++)
		for (size_t r = 0; r < rep->nruns; r++) {
			const struct vb_rundata *rd = &rep->runs[r].data;
			size_t n = rd->sched_dur[ph[k]].n;
			size_t step = n > RUNQ_MAX_POINTS ? (n + RUNQ_MAX_POINTS - 1) / RUNQ_MAX_POINTS : 1;

			for (size_t i = 0; i < n; i += step) {
				double q = us((double)rd->sched_runq[ph[k]].v[i]);

				fprintf(d, "%.4f %.4f\n", q > RUNQ_FLOOR_US ? q : RUNQ_FLOOR_US,
					us((double)rd->sched_dur[ph[k]].v[i]));
			}
			fputs("\n\n", d);
		}
}

int vb_report_plot_runq(const struct vb_report *rep, struct vb_plot *p, char *caption,
			size_t len)
{
	enum vb_phase ph[VB_PHASE_COUNT];
	size_t np = sched_phases(rep, ph);
	FILE *s = vb_plot_script(p), *d;
	const char *path;

	if (!np)
		return -ENODATA;
	d = vb_plot_data(p, &path);
	if (!d)
		return -errno;
	runq_data(rep, d, ph, np);
	panel_grid(s, np);
	fputs("set logscale xy\nset format x '%g'\nset format y '%g'\n", s);
	panels(s, rep, path, ph, np, "", sched_rows, "with points pt 7 ps 0.3");
	snprintf(caption, len, "Each sample's duration (µs, y) against the time its thread waited "
			       "for a CPU inside the phase (run-queue µs, x; log scales; samples "
			       "that never waited sit at %g µs). Slow samples on the right were "
			       "the scheduler's; slow samples on the left, the kernel's own work "
			       "(or a wait that no thread counter sees).", RUNQ_FLOOR_US);
	return 0;
}

static size_t gantt_row(const struct vb_timeline *tl, uint32_t vm, uint32_t vcpu)
{
	return (size_t)vm * tl->vcpus + vcpu;
}

/* Rows of a timeline of @all vCPUs that are drawn. */
static size_t shown_rows(size_t all)
{
	return all < GANTT_MAX_ROWS ? all : GANTT_MAX_ROWS;
}

/* Room for @rows timeline rows, within what a page can show. */
static int rows_height(size_t rows)
{
	size_t h = 120 + rows * 20;

	return h < 320 ? 320 : h > 2400 ? 2400 : (int)h;
}

static void row_tics(FILE *s, const struct vb_timeline *tl, size_t rows)
{
	size_t step = rows > 48 ? rows / 24 : 1;

	fprintf(s, "set yrange [%.1f:-0.5]\nset ytics (", (double)rows - 0.5);
	for (size_t row = 0; row < rows; row += step)
		fprintf(s, "%s'vm%zu vcpu%zu' %zu", row ? ", " : "", row / tl->vcpus,
			row % tl->vcpus, row);
	fputs(")\n", s);
}

/* One block per phase present: start µs, end µs, row. */
static size_t gantt_data(const struct vb_timeline *tl, FILE *d, size_t rows,
			 enum vb_phase *blocks)
{
	size_t nb = 0;

	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		bool any = false;

		for (size_t i = 0; i < tl->nspans; i++) {
			const struct vb_timeline_span *sp = &tl->spans[i];
			size_t row = gantt_row(tl, sp->vm, sp->vcpu);

			if ((int)sp->phase != p || row >= rows)
				continue;
			fprintf(d, "%.3f %.3f %zu\n", (double)(sp->start_ns - tl->t0) / 1000.0,
				(double)(sp->start_ns + sp->duration_ns - tl->t0) / 1000.0, row);
			any = true;
		}
		if (any) {
			fputs("\n\n", d);
			blocks[nb++] = (enum vb_phase)p;
		}
	}
	return nb;
}

int vb_report_plot_gantt(const struct vb_report_run *run, struct vb_plot *p, char *caption,
			 size_t len)
{
	const struct vb_timeline *tl = &run->timeline;
	size_t all = (size_t)tl->vms * tl->vcpus, rows = shown_rows(all);
	enum vb_phase blocks[VB_PHASE_COUNT];
	FILE *s = vb_plot_script(p), *d;
	const char *path;
	size_t nb;

	if (!run->has_timeline || !tl->nspans)
		return -ENODATA;
	d = vb_plot_data(p, &path);
	if (!d)
		return -errno;
	nb = gantt_data(tl, d, rows, blocks);
	prelude(s, 1100, rows_height(rows));
	fputs("set xlabel 'µs since the iteration began'\nset style fill solid 0.9 noborder\n"
	      "set key outside right top\nset grid xtics\n",
	      s);
	row_tics(s, tl, rows);
	for (size_t b = 0; b < nb; b++) {
		fputs(b ? ", \\\n  " : "plot ", s);
		vb_plot_quote(s, path);
		fprintf(s, " index %zu using (($1+$2)/2):3:(($2-$1)/2):(0.38) with boxxyerror "
			   "lc rgb '%s' title '%s'",
			b, phase_color[blocks[b]], vb_phase_name[blocks[b]]);
	}
	fputc('\n', s);
	snprintf(caption, len,
		 "%s: every vCPU's phases in iteration %llu (the iteration of median length), "
		 "on one time axis; VM phases run on vCPU 0's thread.%s",
		 run->label, (unsigned long long)tl->iteration,
		 rows < all ? " Only the first vCPUs are shown." : "");
	return 0;
}

struct first_run {
	uint64_t start, duration; /* start 0: the row has none */
};

/* Each row's first_run span. NULL with errno set. */
static struct first_run *first_runs(const struct vb_timeline *tl, size_t rows)
{
	struct first_run *fr = calloc(rows, sizeof(*fr));

	for (size_t i = 0; fr && i < tl->nspans; i++) {
		const struct vb_timeline_span *sp = &tl->spans[i];
		size_t row = gantt_row(tl, sp->vm, sp->vcpu);

		if (sp->phase == VB_PHASE_FIRST_RUN && row < rows) {
			fr[row].start = sp->start_ns;
			fr[row].duration = sp->duration_ns;
		}
	}
	return fr;
}

/* Block 0: first_run bars (0, duration µs, row); block 1 + k: events named
 * k (µs since the row's KVM_RUN entry, row). */
static void events_data(const struct vb_timeline *tl, FILE *d, size_t rows,
			const struct first_run *fr)
{
	for (size_t row = 0; row < rows; row++)
		if (fr[row].start)
			fprintf(d, "0 %.3f %zu\n", (double)fr[row].duration / 1000.0, row);
	fputs("\n\n", d);
	for (size_t k = 0; k < tl->nnames; k++) {
		for (size_t i = 0; i < tl->nevents; i++) {
			const struct vb_timeline_event *e = &tl->events[i];
			size_t row = gantt_row(tl, e->vm, e->vcpu);

			if (e->name == k && row < rows && fr[row].start)
				fprintf(d, "%.3f %zu\n",
					((double)e->ts_ns - (double)fr[row].start) / 1000.0, row);
		}
		fputs("\n\n", d);
	}
}

int vb_report_plot_events(const struct vb_report_run *run, struct vb_plot *p, char *caption,
			  size_t len)
{
	const struct vb_timeline *tl = &run->timeline;
	size_t all = (size_t)tl->vms * tl->vcpus, rows = shown_rows(all);
	FILE *s = vb_plot_script(p), *d;
	struct first_run *fr;
	const char *path;

	if (!run->has_timeline || !tl->nevents || !rows)
		return -ENODATA;
	d = vb_plot_data(p, &path);
	fr = d ? first_runs(tl, rows) : NULL;
	if (!fr)
		return -errno;
	events_data(tl, d, rows, fr);
	free(fr);
	prelude(s, 1100, rows_height(rows));
	fputs("set xlabel 'µs since the vCPU entered its first KVM_RUN'\n"
	      "set style fill solid 0.25 noborder\nset key outside right top\n",
	      s);
	row_tics(s, tl, rows);
	fputs("plot ", s);
	vb_plot_quote(s, path);
	fputs(" index 0 using (($1+$2)/2):3:(($2-$1)/2):(0.3) with boxxyerror lc rgb '#999999' "
	      "title 'first_run'",
	      s);
	for (size_t k = 0; k < tl->nnames; k++) {
		fprintf(s, ", \\\n  '' index %zu using 1:2 with points pt %zu ps 0.9 lc rgb '%s'",
			k + 1, 1 + k % 13, RUN_COLOR(k));
		put_title(s, tl->event_names[k]);
	}
	fputc('\n', s);
	snprintf(caption, len,
		 "%s: kernel events attributed to the first KVM_RUN of each vCPU in iteration "
		 "%llu, on each vCPU's own time axis from its KVM_RUN entry (grey bar: the "
		 "first_run phase as userspace measured it).",
		 run->label, (unsigned long long)tl->iteration);
	return 0;
}

/* Block per phase: axis value, median µs, p99 µs at each point. */
static size_t scaling_data(const struct vb_report *rep, FILE *d, enum vb_phase *blocks)
{
	size_t nb = 0;

	for (int p = VB_PHASE_VM_CREATE; p < VB_PHASE_COUNT; p++) {
		bool any = false;

		for (size_t i = 0; i < rep->nruns; i++) {
			const struct vb_summary *sm = &rep->runs[i].data.summary[p];

			if (!sm->n)
				continue;
			fprintf(d, "%u %.3f %.3f\n", vb_report_axis_value(rep, &rep->runs[i]),
				us((double)sm->p50), us((double)sm->p99));
			any = true;
		}
		if (any) {
			fputs("\n\n", d);
			blocks[nb++] = (enum vb_phase)p;
		}
	}
	return nb;
}

static void scaling_panel(FILE *s, const char *path, const enum vb_phase *blocks, size_t nb,
			  int column, const char *what, bool key)
{
	fprintf(s, "set title '%s'\n", what);
	fputs(key ? "set key at screen 0.80, screen 0.97 left top\n" : "unset key\n", s);
	for (size_t b = 0; b < nb; b++) {
		fputs(b ? ", \\\n  " : "plot ", s);
		vb_plot_quote(s, path);
		fprintf(s, " index %zu using 1:%d with linespoints lw 1.5 pt 7 ps 0.5 lc rgb '%s' "
			   "title '%s'",
			b, column, phase_color[blocks[b]], vb_phase_name[blocks[b]]);
	}
	fputc('\n', s);
}

int vb_report_plot_scaling(const struct vb_report *rep, struct vb_plot *p, char *caption,
			   size_t len)
{
	enum vb_phase blocks[VB_PHASE_COUNT];
	FILE *s = vb_plot_script(p), *d;
	const char *path, *axis = rep->axis == VB_SWEEP_GRID ? "vCPUs in all (VMs × vCPUs per VM)"
							     : vb_report_axis_name(rep->axis);
	unsigned lo = UINT32_MAX, hi = 0;
	size_t nb;

	if (rep->axis == VB_SWEEP_NONE || rep->nruns < 2)
		return -ENODATA;
	d = vb_plot_data(p, &path);
	if (!d)
		return -errno;
	nb = scaling_data(rep, d, blocks);
	for (size_t i = 0; i < rep->nruns; i++) {
		unsigned x = vb_report_axis_value(rep, &rep->runs[i]);

		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
	}
	prelude(s, 1100, 900);
	fprintf(s, "set multiplot layout 2,1\nset rmargin at screen 0.78\nset logscale y\n"
		   "set xlabel '%s'\nset ylabel 'µs (log scale)'\n",
		axis);
	/* Sweeps double their points: a log axis spaces them evenly. */
	if (lo > 0 && hi >= 4 * lo)
		fputs("set logscale x 2\n", s);
	scaling_panel(s, path, blocks, nb, 2, "median", true);
	scaling_panel(s, path, blocks, nb, 3, "p99", false);
	fputs("unset multiplot\n", s);
	snprintf(caption, len, "Median and p99 of each phase against %s.", axis);
	return 0;
}
