/* Phase-by-phase comparison of two runs (compare.h). */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "json_path.h"
#include "welch.h"

const char *vb_verdict_name(enum vb_verdict v)
{
	switch (v) {
	case VB_VERDICT_SLOWER: return "slower";
	case VB_VERDICT_FASTER: return "faster";
	case VB_VERDICT_ONE_SIDED: return "one run only";
	case VB_VERDICT_INCONCLUSIVE: return "inconclusive";
	default: return "no change";
	}
}

static bool measured_by_either(const struct vb_rundata *a, const struct vb_rundata *b,
				enum vb_phase p)
{
	return vb_rundata_has(a, p) || vb_rundata_has(b, p);
}

static size_t list_phases(char *buf, size_t len, const struct vb_rundata *a,
			  const struct vb_rundata *b)
{
	size_t n = 0, count = 0;

	buf[0] = '\0';
	for (int p = 0; p < VB_PHASE_COUNT; p++)
		if (vb_rundata_has(a, (enum vb_phase)p) && !vb_rundata_has(b, (enum vb_phase)p)) {
			if (n < len)
				n += (size_t)snprintf(buf + n, len - n, "%s%s", count ? ", " : "",
						      vb_phase_name[p]);
			count++;
		}
	return count;
}

int vb_compare_check(const struct vb_rundata *base, const struct vb_rundata *new_, char *why,
		     size_t len)
{
	const char *gb = vb_json_path_str(base->meta, "config.guest", NULL);
	const char *gn = vb_json_path_str(new_->meta, "config.guest", NULL);
	char only_base[512], only_new[512];
	size_t nb = list_phases(only_base, sizeof(only_base), base, new_);
	size_t nn = list_phases(only_new, sizeof(only_new), new_, base);

	const char *ab = vb_json_path_str(base->meta, "host.vm.accel", "none");
	const char *an = vb_json_path_str(new_->meta, "host.vm.accel", "none");
	/* Runs made before --irqchip existed set none up. */
	const char *ib = vb_json_path_str(base->meta, "config.irqchip", "none");
	const char *in = vb_json_path_str(new_->meta, "config.irqchip", "none");

	if (strcmp(ib, in) != 0) {
		snprintf(why, len, "the runs set the VM up differently: --irqchip %s and --irqchip %s "
			 "(config.irqchip; runs made before the option are --irqchip none)", ib, in);
		return -EINVAL;
	}
	if (gb && gn && strcmp(gb, gn) != 0) {
		snprintf(why, len, "the runs booted different guests: '%s' and '%s'", gb, gn);
		return -EINVAL;
	}
	if (strcmp(ab, an) != 0) {
		snprintf(why, len, "the runs were made under different accelerators, '%s' and '%s' "
			 "(host.vm.accel): their times are not comparable", ab, an);
		return -EINVAL;
	}
	if (nb || nn) {
		snprintf(why, len, "the runs measured different phases:%s%s%s%s",
			 nb ? " only in BASE: " : "", only_base, nn ? "; only in NEW: " : "",
			 only_new);
		return -EINVAL;
	}
	return 0;
}

/* The p99's own flag: its interval excludes 1 and it moved by more than
 * the threshold. */
static enum vb_verdict interval_flag(double ratio, double lo, double hi, double threshold)
{
	if (lo > 1 && ratio > 1 + threshold)
		return VB_VERDICT_SLOWER;
	if (hi < 1 && ratio < 1 - threshold)
		return VB_VERDICT_FASTER;
	return VB_VERDICT_NO_CHANGE;
}

/* Rounds as replicates: Welch on the log round medians (its level is not
 * used: the interval is drawn at the level vb_comparison_judge() picks). A zero median
 * (a phase below the clock's resolution) has no log: pooled stats stay. */
static int by_rounds(const struct vb_u64vec *b, const struct vb_u64vec *n, double level,
		     struct vb_phase_compare *pc)
{
	double *x = malloc((b->n + n->n) * sizeof(*x));
	struct vb_welch w;
	int r = 0;

	if (!x)
		return -ENOMEM;
	for (size_t i = 0; i < b->n + n->n; i++) {
		uint64_t v = i < b->n ? b->v[i] : n->v[i - b->n];

		if (!v)
			goto out;
		x[i] = log((double)v);
	}
	if (!(r = vb_welch_test(x, b->n, x + b->n, n->n, level, &w))) {
		pc->by_rounds = true;
		pc->se_log = w.se;
		pc->df = w.df;
		pc->ratio = exp(w.diff);
	}
out:
	free(x);
	return r;
}

/* Pooled, p and interval come from one bootstrap of the median ratio: its
 * standard error on the log scale, read as a normal one, gives both (see
 * vb_compare_p()). A percentile interval beside a Mann-Whitney p, as
 * before, could disagree with it (they answer different questions: a
 * shift of the median, a tendency of one sample to be larger), and a
 * percentile interval cannot reach the levels vb_comparison_judge() needs: at 99.96 %
 * from 5000 resamples its ends are the extreme resamples. */
static int compare_phase(const struct vb_rundata *base, const struct vb_rundata *new_,
			 enum vb_phase p, const struct vb_compare_opts *o,
			 struct vb_phase_compare *pc)
{
	const struct vb_u64vec *b = &base->samples[p], *n = &new_->samples[p];
	struct vb_ratio_ci ci, ci99;
	double level = 1 - o->alpha;
	int r;

	*pc = (struct vb_phase_compare){ .phase = p, .n_base = b->n, .n_new = n->n,
					 .verdict = VB_VERDICT_ONE_SIDED,
					 .p99_flag = VB_VERDICT_ONE_SIDED, .p = NAN,
					 .p_adj = NAN, .se_log = NAN, .df = INFINITY,
					 .ci_lo = NAN, .ci_hi = NAN, .p99_lo = NAN,
					 .p99_hi = NAN, .p99_se_log = NAN };
	pc->median_base = base->summary[p].p50;
	pc->median_new = new_->summary[p].p50;
	pc->p99_base = base->summary[p].p99;
	pc->p99_new = new_->summary[p].p99;
	if (!b->n || !n->n)
		return 0;
	pc->rounds_base = base->round_medians[p].n;
	pc->rounds_new = new_->round_medians[p].n;
	r = vb_bootstrap_ratio_ci(b->v, b->n, n->v, n->n, 0.5, level, VB_BOOTSTRAP_RESAMPLES,
				  VB_BOOTSTRAP_SEED, &ci);
	if (!r)
		r = vb_bootstrap_ratio_ci(b->v, b->n, n->v, n->n, 0.99, level,
					  VB_BOOTSTRAP_RESAMPLES, VB_BOOTSTRAP_SEED, &ci99);
	if (r)
		return r;
	pc->ratio = pc->median_base ? (double)pc->median_new / (double)pc->median_base : INFINITY;
	pc->p99_ratio = pc->p99_base ? (double)pc->p99_new / (double)pc->p99_base : INFINITY;
	/* One sample has no spread to resample: an interval would look certain. */
	if (b->n >= 2 && n->n >= 2) {
		pc->se_log = ci.se_log;
		pc->p99_se_log = ci99.se_log;
	}
	if (!o->pooled && pc->rounds_base >= 2 && pc->rounds_new >= 2) {
		r = by_rounds(&base->round_medians[p], &new_->round_medians[p], level, pc);
		if (r)
			return r;
	}
	pc->p = vb_compare_p(log(pc->ratio), pc->se_log, pc->df);
	pc->verdict = VB_VERDICT_INCONCLUSIVE; /* judged with the others */
	return 0;
}

static int add_diff(struct vb_comparison *c, const char *key, json_t *a, json_t *b)
{
	struct vb_difference *d = realloc(c->diffs, (c->ndiffs + 1) * sizeof(*d));

	if (!d)
		return -ENOMEM;
	c->diffs = d;
	d += c->ndiffs;
	d->key = strdup(key);
	d->base = vb_json_path_text(a, "", "(absent)");
	d->new_ = vb_json_path_text(b, "", "(absent)");
	c->ndiffs++;
	return d->key && d->base && d->new_ ? 0 : -ENOMEM;
}

/* Differences between @a and @b (either may be NULL) under @key, leaf by
 * leaf through objects: "host.kvm.module_parameters.kvm.halt_poll_ns". */
static int diff(struct vb_comparison *c, const char *key, json_t *a, json_t *b)
{
	const char *k;
	json_t *v;
	char sub[512];
	int r = 0;

	if (!json_is_object(a) || !json_is_object(b)) {
		if ((!a && !b) || (a && b && json_equal(a, b)))
			return 0;
		return add_diff(c, key, a, b);
	}
	json_object_foreach(a, k, v) {
		snprintf(sub, sizeof(sub), "%s.%s", key, k);
		if (!r)
			r = diff(c, sub, v, json_object_get(b, k));
	}
	json_object_foreach(b, k, v) {
		snprintf(sub, sizeof(sub), "%s.%s", key, k);
		if (!r && !json_object_get(a, k))
			r = diff(c, sub, NULL, v);
	}
	return r;
}

/* What a person needs to explain a change; not e.g. start times. */
static const char *const compared[] = {
	"host.kernel_release", "host.kernel_version", "host.kernel_cmdline",
	"host.kvm",            "host.microcode",      "host.mitigations",
	"host.cpu_model",      "host.cpus_online",    "host.clocksource",
	"host.transparent_hugepage", "host.hostname", "host.vm",  "config",
	"tool",
};

/* A clock read sits inside every phase it times: when the two sides' reads
 * cost different amounts, a change of a median within twice that
 * difference may be the clock's, not KVM's. */
static void mark_clock_suspects(struct vb_comparison *c)
{
	uint64_t d = c->clock_base > c->clock_new ? c->clock_base - c->clock_new
						  : c->clock_new - c->clock_base;

	if (!c->clock_base || !c->clock_new)
		return;
	for (size_t i = 0; i < c->nphases; i++) {
		struct vb_phase_compare *pc = &c->phases[i];
		uint64_t m = pc->median_base > pc->median_new ? pc->median_base - pc->median_new
							      : pc->median_new - pc->median_base;

		pc->clock_suspect = pc->n_base && pc->n_new && d && m <= 2 * d;
	}
}

static uint64_t clock_cost(const struct vb_rundata *d)
{
	double v;

	return vb_json_path_num(d->meta, "host.clock_read_ns", &v) && v > 0 ? (uint64_t)v : 0;
}

static int by_p(const void *a, const void *b)
{
	double x = (*(const struct vb_phase_compare *const *)a)->p;
	double y = (*(const struct vb_phase_compare *const *)b)->p;

	return (x > y) - (x < y);
}

double vb_compare_p(double d, double se, double df)
{
	if (!isfinite(d) || !isfinite(se) || se < 0 || !(df > 0))
		return NAN;
	if (se == 0)
		return d == 0 ? 1 : 0;
	return fmin(1, 2 * vb_t_cdf(-fabs(d) / se, df));
}

/* How far on the log scale p's decision may move an interval's end: far
 * above the quantile's error, far below any difference a level makes. */
#define ROUNDING 1e-9

void vb_compare_interval(double d, double se, double df, double a, bool exclude, double *lo,
			 double *hi)
{
	/* The lower tail's quantile: 1 - a / 2 would round a tiny a. */
	double h = se == 0 ? 0 : -vb_t_quantile(a / 2, df) * se;

	*lo = exp(d - h);
	*hi = exp(d + h);
	/* The quantile and the distribution function are each other's
	 * inverse to ~1e-13 only: where p sits on a / 2's boundary the two
	 * computations may round apart. The caller's decision (from p) holds,
	 * the end nearest 1 moving by that rounding, never by more (a wrong
	 * level must show, not be hidden). */
	if (exclude && d != 0 && *lo <= 1 && *hi >= 1 && fabs(d) - h > -ROUNDING)
		*(d > 0 ? lo : hi) = nextafter(1, d > 0 ? 2 : 0);
	else if (!exclude && (*lo > 1 || *hi < 1) && fabs(d) - h < ROUNDING)
		*(*lo > 1 ? lo : hi) = 1;
}

double vb_compare_fcr_alpha(size_t selected, size_t tested, double alpha)
{
	if (!tested)
		return alpha;
	return (double)(selected ? selected : 1) * alpha / (double)tested;
}

enum vb_verdict vb_verdict_decide(double ratio, double lo, double hi, double threshold)
{
	if (lo > 1 && ratio > 1 + threshold)
		return VB_VERDICT_SLOWER;
	if (hi < 1 && ratio < 1 - threshold)
		return VB_VERDICT_FASTER;
	if (lo >= 1 - threshold && hi <= 1 + threshold)
		return VB_VERDICT_NO_CHANGE;
	return VB_VERDICT_INCONCLUSIVE;
}

/* The two-sided (1 - a) quantile: of t at 2k - 2 df by rounds, else normal. */
static double crit(double a, size_t k, bool by_rounds)
{
	return -vb_t_quantile(a / 2, by_rounds ? 2.0 * (double)k - 2 : INFINITY);
}

/* The level is the one the interval would be drawn at once this phase
 * decides, the other phases' selection unchanged: a change beyond the
 * margin decides by being selected, and then (R + 1) phases are, so its
 * interval is at 1 - (R + 1) alpha / m; an equivalence decides without
 * changing R, at the level of the interval printed now, 1 - max(R, 1)
 * alpha / m. More replicates move the other phases too: an estimate. */
size_t vb_verdict_needed(double ratio, double se_log, size_t n_base, size_t n_new, double alpha,
			 size_t selected, size_t tested, double threshold, bool by_rounds)
{
	double d = log(ratio), up = log1p(threshold), down = log1p(-fmin(threshold, 1 - 1e-9));
	double keff, target, a;
	size_t k, floor_k = (n_base > n_new ? n_base : n_new) + 1;

	if (!isfinite(d) || !isfinite(se_log) || !n_base || !n_new || !tested)
		return 0;
	keff = 2 / (1 / (double)n_base + 1 / (double)n_new);
	if (fabs(ratio - 1) > threshold) {
		target = fabs(d); /* the interval's near end past 1 */
		a = vb_compare_fcr_alpha(selected < tested ? selected + 1 : tested, tested, alpha);
	} else {
		target = fmin(up - d, d - down); /* room for the interval inside the margin */
		a = vb_compare_fcr_alpha(selected, tested, alpha);
	}
	if (!(target > 1e-12))
		return VB_NEEDED_UNREACHABLE;
	/* se(k) = se_log * sqrt(keff / k) <= target / crit, solved for k. */
	k = (size_t)ceil(keff * pow(crit(a, floor_k, false) * se_log / target, 2));
	k = k < floor_k ? floor_k : k;
	if (k > 100000000)
		return VB_NEEDED_UNREACHABLE;
	/* t's quantile falls with k: step up from the normal's answer. */
	while (by_rounds && crit(a, k, true) * se_log * sqrt(keff / (double)k) > target)
		if (++k > 100000)
			return VB_NEEDED_UNREACHABLE;
	return k;
}

/* One phase at the comparison's interval level 1 - @a: its interval, its
 * p99's, its verdict read from the interval, the replicates it needs. */
static void judge_phase(struct vb_comparison *c, struct vb_phase_compare *pc, double a)
{
	const struct vb_compare_opts *o = &c->opts;
	double d99 = log(pc->p99_ratio), p99 = vb_compare_p(d99, pc->p99_se_log, INFINITY);

	pc->ci_lo = pc->ci_hi = pc->p99_lo = pc->p99_hi = NAN;
	if (isfinite(pc->p))
		vb_compare_interval(log(pc->ratio), pc->se_log, pc->df, a, pc->p_adj < o->alpha,
				    &pc->ci_lo, &pc->ci_hi);
	if (isfinite(p99))
		vb_compare_interval(d99, pc->p99_se_log, INFINITY, a, p99 < a, &pc->p99_lo,
				    &pc->p99_hi);
	pc->p99_flag = pc->n_base >= VB_COMPARE_P99_MIN_N && pc->n_new >= VB_COMPARE_P99_MIN_N
			       ? interval_flag(pc->p99_ratio, pc->p99_lo, pc->p99_hi, o->threshold)
			       : VB_VERDICT_NO_CHANGE;
	pc->verdict = vb_verdict_decide(pc->ratio, pc->ci_lo, pc->ci_hi, o->threshold);
	c->slower += pc->verdict == VB_VERDICT_SLOWER;
	c->faster += pc->verdict == VB_VERDICT_FASTER;
	c->no_change += pc->verdict == VB_VERDICT_NO_CHANGE;
	pc->needed = 0;
	if (pc->verdict != VB_VERDICT_INCONCLUSIVE)
		return;
	c->inconclusive++;
	pc->needed = vb_verdict_needed(pc->ratio, pc->se_log,
				       pc->by_rounds ? pc->rounds_base : pc->n_base,
				       pc->by_rounds ? pc->rounds_new : pc->n_new, o->alpha,
				       c->selected, c->tested, o->threshold, pc->by_rounds);
}

/* Benjamini-Hochberg over every phase tested (1995): the k-th smallest of
 * m p-values becomes min over j >= k of m p_(j) / j, and the R phases whose
 * adjusted p < alpha are selected. When nothing changed (A/A) the chance
 * that any of the twenty-odd phases is selected stays at alpha, not twenty
 * times that; when some did, at most a fraction alpha of the selected are
 * expected false, and a real change among many is not lost as it would be
 * to a per-phase Bonferroni.
 *
 * Every interval is then drawn at 1 - max(R, 1) alpha / m (Benjamini &
 * Yekutieli 2005, FCR-adjusted intervals), not at 1 - alpha: p and the
 * interval being dual (vb_compare_p()), a selected phase (p < R alpha / m)
 * has an interval that excludes 1 and one not selected (p >= (R + 1) alpha
 * / m, by the step-up rule) one that includes 1. So every verdict is read
 * from the interval on the page (vb_verdict_decide()) and none can
 * disagree with it. No change is judged at that level too: the interval
 * inside the margin is two one-sided tests at max(R, 1) alpha / 2m each,
 * stricter than the per-phase TOST at alpha / 2 it was before, the price
 * of one interval per phase that the verdict cannot contradict. */
void vb_comparison_judge(struct vb_comparison *c)
{
	struct vb_phase_compare *tested[VB_PHASE_COUNT];
	size_t m = 0;
	double run = 1, a;

	for (size_t i = 0; i < c->nphases; i++)
		if (c->phases[i].verdict != VB_VERDICT_ONE_SIDED && isfinite(c->phases[i].p))
			tested[m++] = &c->phases[i];
	qsort(tested, m, sizeof(tested[0]), by_p);
	for (size_t k = m; k-- > 0;) {
		run = fmin(run, (double)m * tested[k]->p / (double)(k + 1));
		tested[k]->p_adj = run;
	}
	c->tested = m;
	c->selected = 0;
	for (size_t k = 0; k < m; k++)
		c->selected += tested[k]->p_adj < c->opts.alpha;
	a = vb_compare_fcr_alpha(c->selected, m, c->opts.alpha);
	c->ci_level = 1 - a;
	c->slower = c->faster = c->no_change = c->inconclusive = 0;
	for (size_t i = 0; i < c->nphases; i++)
		if (c->phases[i].verdict != VB_VERDICT_ONE_SIDED)
			judge_phase(c, &c->phases[i], a);
}

int vb_compare_runs(const struct vb_rundata *base, const struct vb_rundata *new_,
		    const struct vb_compare_opts *opts, struct vb_comparison *out)
{
	int r = 0;

	*out = (struct vb_comparison){ .opts = *opts, .clock_base = clock_cost(base),
				       .clock_new = clock_cost(new_) };
	for (int p = 0; !r && p < VB_PHASE_COUNT; p++) {
		struct vb_phase_compare *pc = &out->phases[out->nphases];

		if (!measured_by_either(base, new_, (enum vb_phase)p))
			continue;
		r = compare_phase(base, new_, (enum vb_phase)p, opts, pc);
		out->nphases++;
	}
	if (!r)
		vb_comparison_judge(out);
	for (size_t i = 0; !r && i < sizeof(compared) / sizeof(compared[0]); i++)
		r = diff(out, compared[i], vb_json_path(base->meta, compared[i]),
			 vb_json_path(new_->meta, compared[i]));
	mark_clock_suspects(out);
	return r;
}

void vb_comparison_release(struct vb_comparison *c)
{
	for (size_t i = 0; i < c->ndiffs; i++) {
		free(c->diffs[i].key);
		free(c->diffs[i].base);
		free(c->diffs[i].new_);
	}
	free(c->diffs);
	*c = (struct vb_comparison){ 0 };
}
