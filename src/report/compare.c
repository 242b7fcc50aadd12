/* Phase-by-phase comparison of two runs (compare.h). */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "json_path.h"
#include "mannwhitney.h"
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

/* Rounds as replicates: Welch on the log round medians. A zero median
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
		pc->exact = false;
		pc->p = w.p;
		pc->ratio = exp(w.diff);
		pc->ci_lo = exp(w.lo);
		pc->ci_hi = exp(w.hi);
	}
out:
	free(x);
	return r;
}

static int compare_phase(const struct vb_rundata *base, const struct vb_rundata *new_,
			 enum vb_phase p, const struct vb_compare_opts *o,
			 struct vb_phase_compare *pc)
{
	const struct vb_u64vec *b = &base->samples[p], *n = &new_->samples[p];
	struct vb_ratio_ci ci, ci99;
	struct vb_mwu mwu;
	double level = 1 - o->alpha;
	int r;

	*pc = (struct vb_phase_compare){ .phase = p, .n_base = b->n, .n_new = n->n,
					 .verdict = VB_VERDICT_ONE_SIDED,
					 .p99_flag = VB_VERDICT_ONE_SIDED, .p = NAN,
					 .p_adj = NAN, .se_log = NAN };
	pc->median_base = base->summary[p].p50;
	pc->median_new = new_->summary[p].p50;
	pc->p99_base = base->summary[p].p99;
	pc->p99_new = new_->summary[p].p99;
	if (!b->n || !n->n)
		return 0;
	pc->rounds_base = base->round_medians[p].n;
	pc->rounds_new = new_->round_medians[p].n;
	r = vb_mwu_test(b->v, b->n, n->v, n->n, &mwu);
	if (!r)
		r = vb_bootstrap_ratio_ci(b->v, b->n, n->v, n->n, 0.5, level, VB_BOOTSTRAP_RESAMPLES,
					  VB_BOOTSTRAP_SEED, &ci);
	if (!r)
		r = vb_bootstrap_ratio_ci(b->v, b->n, n->v, n->n, 0.99, level,
					  VB_BOOTSTRAP_RESAMPLES, VB_BOOTSTRAP_SEED, &ci99);
	if (r)
		return r;
	pc->p = mwu.p;
	pc->exact = mwu.exact;
	pc->ratio = pc->median_base ? (double)pc->median_new / (double)pc->median_base : INFINITY;
	pc->ci_lo = ci.lo;
	pc->ci_hi = ci.hi;
	/* The percentile interval read as a normal one on the log scale. */
	if (ci.lo > 0 && isfinite(ci.hi))
		pc->se_log = (log(ci.hi) - log(ci.lo)) / (2 * vb_t_quantile(1 - o->alpha / 2, INFINITY));
	if (!o->pooled && pc->rounds_base >= 2 && pc->rounds_new >= 2) {
		r = by_rounds(&base->round_medians[p], &new_->round_medians[p], level, pc);
		if (r)
			return r;
	}
	pc->verdict = VB_VERDICT_INCONCLUSIVE; /* judged with the others: judge() */
	pc->p99_ratio = pc->p99_base ? (double)pc->p99_new / (double)pc->p99_base : INFINITY;
	pc->p99_lo = ci99.lo;
	pc->p99_hi = ci99.hi;
	/* One sample has no spread to resample: an interval would look certain. */
	if (b->n < 2 || n->n < 2)
		pc->ci_lo = pc->ci_hi = pc->p99_lo = pc->p99_hi = pc->se_log = NAN;
	pc->p99_flag = b->n < VB_COMPARE_P99_MIN_N || n->n < VB_COMPARE_P99_MIN_N
			       ? VB_VERDICT_NO_CHANGE
			       : interval_flag(pc->p99_ratio, ci99.lo, ci99.hi, o->threshold);
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

enum vb_verdict vb_verdict_decide(double ratio, double lo, double hi, double p_adj, double alpha,
				  double threshold)
{
	if (p_adj < alpha && fabs(ratio - 1) > threshold)
		return ratio > 1 ? VB_VERDICT_SLOWER : VB_VERDICT_FASTER;
	if (lo >= 1 - threshold && hi <= 1 + threshold)
		return VB_VERDICT_NO_CHANGE;
	return VB_VERDICT_INCONCLUSIVE;
}

/* The two-sided (1 - a) quantile: of t at 2k - 2 df by rounds, else normal. */
static double crit(double a, size_t k, bool by_rounds)
{
	return vb_t_quantile(1 - a / 2, by_rounds ? 2.0 * (double)k - 2 : INFINITY);
}

size_t vb_verdict_needed(double ratio, double se_log, size_t n_base, size_t n_new, double p,
			 double p_adj, double alpha, double threshold, bool by_rounds)
{
	double d = log(ratio), up = log1p(threshold), down = log1p(-fmin(threshold, 1 - 1e-9));
	double keff, target, a = alpha;
	size_t k, floor_k = (n_base > n_new ? n_base : n_new) + 1;

	if (!isfinite(d) || !isfinite(se_log) || !n_base || !n_new)
		return 0;
	keff = 2 / (1 / (double)n_base + 1 / (double)n_new);
	if (fabs(ratio - 1) > threshold) {
		target = fabs(d); /* significance of the observed change */
		if (p > 0 && p_adj > p)
			a = alpha * p / p_adj;
	} else {
		target = fmin(up - d, d - down); /* room for the interval inside the margin */
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

/* Benjamini-Hochberg's adjustment over every phase tested (1995): the k-th
 * smallest of m p-values becomes min over j >= k of m p_(j) / j. A phase is
 * then slower or faster when its adjusted p < alpha and its ratio moved by
 * more than the threshold. When nothing changed (A/A), the chance that any
 * of the twenty-odd phases is called changed stays at alpha, not twenty
 * times that; when some did, at most a fraction alpha of the phases called
 * changed are expected to be false, and a real change among many is not
 * lost as it would be to a per-phase Bonferroni. No change needs the
 * (1 - alpha) interval inside the margin: two one-sided tests at alpha / 2
 * each, per phase (a false "no change" needs a true change beyond the
 * margin, which only a phase's own interval can miss). */
static void judge(struct vb_comparison *c)
{
	struct vb_phase_compare *tested[VB_PHASE_COUNT];
	size_t m = 0;
	double run = 1;

	for (size_t i = 0; i < c->nphases; i++)
		if (c->phases[i].verdict == VB_VERDICT_INCONCLUSIVE && isfinite(c->phases[i].p))
			tested[m++] = &c->phases[i];
	qsort(tested, m, sizeof(tested[0]), by_p);
	for (size_t k = m; k-- > 0;) {
		run = fmin(run, (double)m * tested[k]->p / (double)(k + 1));
		tested[k]->p_adj = run;
	}
	for (size_t k = 0; k < m; k++) {
		struct vb_phase_compare *pc = tested[k];
		const struct vb_compare_opts *o = &c->opts;

		pc->verdict = vb_verdict_decide(pc->ratio, pc->ci_lo, pc->ci_hi, pc->p_adj,
						o->alpha, o->threshold);
		c->slower += pc->verdict == VB_VERDICT_SLOWER;
		c->faster += pc->verdict == VB_VERDICT_FASTER;
		c->no_change += pc->verdict == VB_VERDICT_NO_CHANGE;
		if (pc->verdict != VB_VERDICT_INCONCLUSIVE)
			continue;
		c->inconclusive++;
		pc->needed = pc->by_rounds
			? vb_verdict_needed(pc->ratio, pc->se_log, pc->rounds_base, pc->rounds_new,
					    pc->p, pc->p_adj, o->alpha, o->threshold, true)
			: vb_verdict_needed(pc->ratio, pc->se_log, pc->n_base, pc->n_new, pc->p,
					    pc->p_adj, o->alpha, o->threshold, false);
	}
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
		judge(out);
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
