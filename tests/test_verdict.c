/* The verdicts of vcpubench compare on constructed intervals; p and
 * interval dual for every level; the FCR-adjusted level after
 * Benjamini-Hochberg, and that the interval and the verdict never disagree
 * (over constructed and random comparisons, R = 0, R = m, ties of p); and
 * the estimate of the replicates an inconclusive phase would need, against
 * worked examples (the numbers computed by hand from the closed form). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "bootstrap.h"
#include "check.h"
#include "compare.h"
#include "welch.h"

#define A 0.01 /* alpha */
#define T 0.05 /* threshold */

static void test_decide(void)
{
	/* A clear shift: the interval excludes 1, beyond the margin, either way. */
	CHECK_EQ_U64(vb_verdict_decide(1.30, 1.20, 1.40, T), VB_VERDICT_SLOWER);
	CHECK_EQ_U64(vb_verdict_decide(0.70, 0.65, 0.75, T), VB_VERDICT_FASTER);
	/* Equivalence: the interval inside [0.95, 1.05]. */
	CHECK_EQ_U64(vb_verdict_decide(1.01, 0.98, 1.04, T), VB_VERDICT_NO_CHANGE);
	CHECK_EQ_U64(vb_verdict_decide(1.00, 0.95, 1.05, T), VB_VERDICT_NO_CHANGE);
	/* A wide interval: neither (the first_run, 0.861-2.165). */
	CHECK_EQ_U64(vb_verdict_decide(1.366, 0.861, 2.165, T), VB_VERDICT_INCONCLUSIVE);
	/* Six-fold, but the adjusted interval reaches 1: not "no change". */
	CHECK_EQ_U64(vb_verdict_decide(0.169, 0.08, 1.02, T), VB_VERDICT_INCONCLUSIVE);
	/* Smaller than the threshold, interval excluding 1: no change when
	 * it fits the margin, inconclusive when it crosses its edge. */
	CHECK_EQ_U64(vb_verdict_decide(1.02, 1.01, 1.03, T), VB_VERDICT_NO_CHANGE);
	CHECK_EQ_U64(vb_verdict_decide(1.04, 1.01, 1.07, T), VB_VERDICT_INCONCLUSIVE);
	/* Beyond the margin with the interval touching 1: not slower. */
	CHECK_EQ_U64(vb_verdict_decide(1.30, 1.00, 1.60, T), VB_VERDICT_INCONCLUSIVE);
	/* No interval (one sample a side): never no change. */
	CHECK_EQ_U64(vb_verdict_decide(1.0, NAN, NAN, T), VB_VERDICT_INCONCLUSIVE);
}

/* Whether [lo, hi] excludes 1. */
static bool excludes(double lo, double hi)
{
	return lo > 1 || hi < 1;
}

/* p and interval: the closed forms, and "excludes 1 at 1 - a" <=> "p < a"
 * for every a of a grid, the interval the plain formula but for rounding. */
static void test_dual(void)
{
	static const double as[] = { 0.2, 0.05, 0.01, 0.005, 0.01 / 23, 1e-5, 1e-9 };
	static const double dfs[] = { INFINITY, 2.5, 4, 30 };
	double lo, hi;

	CHECK_NEAR(vb_compare_p(1.959963984540054 * 0.02, 0.02, INFINITY), 0.05, 1e-12);
	CHECK_NEAR(vb_compare_p(-2.228138851986274 * 0.3, 0.3, 10), 0.05, 1e-12);
	CHECK(vb_compare_p(0, 0, INFINITY) == 1 && vb_compare_p(0.1, 0, 4) == 0);
	CHECK(isnan(vb_compare_p(0.1, INFINITY, 4)) && isnan(vb_compare_p(INFINITY, 0.1, 4)));
	CHECK(isnan(vb_compare_p(0.1, NAN, INFINITY)));
	vb_compare_interval(log(1.2), 0.05, INFINITY, 0.01, true, &lo, &hi);
	CHECK_NEAR(lo, 1.2 * exp(-2.5758293035489 * 0.05), 1e-12);
	CHECK_NEAR(hi, 1.2 * exp(2.5758293035489 * 0.05), 1e-12);
	for (size_t j = 0; j < sizeof(dfs) / sizeof(dfs[0]); j++)
		for (double z = -8; z <= 8; z += 0.0625) {
			double se = 0.03, d = z * se, p = vb_compare_p(d, se, dfs[j]);

			for (size_t i = 0; i < sizeof(as) / sizeof(as[0]); i++) {
				double a = as[i], q = -vb_t_quantile(a / 2, dfs[j]);

				vb_compare_interval(d, se, dfs[j], a, p < a, &lo, &hi);
				CHECK(excludes(lo, hi) == (p < a));
				CHECK(lo <= hi && fabs(log(lo) - (d - q * se)) < 1e-9 &&
				      fabs(log(hi) - (d + q * se)) < 1e-9);
			}
		}
	/* On the boundary the caller's decision holds, either way. */
	for (int i = 0; i < 2; i++) {
		double d = -vb_t_quantile(0.0025 / 2, INFINITY) * 0.02 * (i ? -1 : 1);

		vb_compare_interval(d, 0.02, INFINITY, 0.0025, true, &lo, &hi);
		CHECK(excludes(lo, hi) && lo <= exp(d) && exp(d) <= hi);
		vb_compare_interval(d, 0.02, INFINITY, 0.0025, false, &lo, &hi);
		CHECK(!excludes(lo, hi));
	}
	CHECK_NEAR(vb_compare_fcr_alpha(0, 23, A), A / 23, 1e-18);
	CHECK_NEAR(vb_compare_fcr_alpha(1, 23, A), A / 23, 1e-18);
	CHECK_NEAR(vb_compare_fcr_alpha(5, 23, A), 5 * A / 23, 1e-18);
	CHECK_NEAR(vb_compare_fcr_alpha(23, 23, A), A, 1e-18);
	CHECK_NEAR(vb_compare_fcr_alpha(0, 0, A), A, 1e-18);
}

/* A pending phase whose p (from the same d, se and df) is about @p, on the
 * side @sign, standard error @se, pooled. */
static void phase(struct vb_phase_compare *pc, int i, double p, int sign, double se)
{
	double d = p >= 1 ? 0 : sign * -vb_t_quantile(p / 2, INFINITY) * se;

	*pc = (struct vb_phase_compare){ .phase = (enum vb_phase)i, .n_base = 50, .n_new = 50,
					 .verdict = VB_VERDICT_INCONCLUSIVE, .ratio = exp(d),
					 .se_log = se, .df = INFINITY, .p99_ratio = 1,
					 .p99_se_log = NAN, .p_adj = NAN };
	pc->p = vb_compare_p(d, se, INFINITY);
}

/* Benjamini-Hochberg's step-up count, by its definition: the largest k
 * with p_(k) < k alpha / m, over @p unsorted. */
static size_t bh_count(const double *p, size_t m, double alpha)
{
	size_t best = 0;

	for (size_t k = 1; k <= m; k++) {
		size_t below = 0;

		for (size_t i = 0; i < m; i++)
			below += p[i] * (double)m < (double)k * alpha;
		if (below >= k)
			best = k;
	}
	return best;
}

/* What must hold of every judged comparison: the count selected (by BH's
 * definition unless @on_boundary), the level, each interval excluding 1
 * exactly when its adjusted p < alpha, every verdict read from the
 * interval, and the counts. Returns the phases selected. */
static size_t check_judged(const struct vb_comparison *c, bool on_boundary)
{
	size_t sel = 0, n[5] = { 0 };
	double a = vb_compare_fcr_alpha(c->selected, c->tested, A), p[VB_PHASE_COUNT];

	CHECK_EQ_U64(c->tested, c->nphases);
	for (size_t i = 0; i < c->nphases; i++)
		p[i] = c->phases[i].p;
	if (!on_boundary)
		CHECK_EQ_U64(c->selected, bh_count(p, c->tested, A));
	CHECK_NEAR(c->ci_level, 1 - (c->selected ? (double)c->selected : 1) * A / (double)c->tested,
		   1e-15);
	for (size_t i = 0; i < c->nphases; i++) {
		const struct vb_phase_compare *pc = &c->phases[i];
		double q = -vb_t_quantile(a / 2, pc->df);

		sel += pc->p_adj < A;
		CHECK(pc->p <= pc->p_adj * (1 + 1e-15) && pc->p_adj <= 1);
		CHECK(excludes(pc->ci_lo, pc->ci_hi) == (pc->p_adj < A));
		CHECK_EQ_U64(pc->verdict, vb_verdict_decide(pc->ratio, pc->ci_lo, pc->ci_hi, T));
		if (pc->verdict == VB_VERDICT_SLOWER || pc->verdict == VB_VERDICT_FASTER)
			CHECK(pc->p_adj < A && fabs(pc->ratio - 1) > T);
		/* The printed level is the one drawn, but for rounding. */
		CHECK(fabs((log(pc->ci_hi) - log(pc->ci_lo)) / 2 - q * pc->se_log) < 1e-9);
		n[pc->verdict]++;
	}
	CHECK_EQ_U64(sel, c->selected);
	CHECK_EQ_U64(c->slower, n[VB_VERDICT_SLOWER]);
	CHECK_EQ_U64(c->faster, n[VB_VERDICT_FASTER]);
	CHECK_EQ_U64(c->no_change, n[VB_VERDICT_NO_CHANGE]);
	CHECK_EQ_U64(c->inconclusive, n[VB_VERDICT_INCONCLUSIVE]);
	return sel;
}

static void judge(struct vb_comparison *c, const double *p, size_t m, double se)
{
	*c = (struct vb_comparison){ .opts = { .alpha = A, .threshold = T }, .nphases = m };
	for (size_t i = 0; i < m; i++)
		phase(&c->phases[i], (int)i, p[i], i % 2 ? -1 : 1, se);
	vb_comparison_judge(c);
}

static void test_fcr(void)
{
	/* Today's defect: p 0.004 among eight phases is BH 0.032 at alpha
	 * 0.01. Its unadjusted 99 % interval excludes 1; the printed one,
	 * at 1 - 0.01 / 8, includes it, beside "inconclusive". */
	static const double defect[] = { 0.004, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95 };
	static const double all[] = { 1e-9, 1e-7, 1e-6, 1e-5, 2e-5 };
	static const double none[] = { 0.02, 0.03, 0.5, 0.9 };
	/* Step-up: 0.0011 < 1 * 0.01/4, 0.0045 >= 2 * 0.01/4 but 0.0074 < 3 * 0.01/4. */
	static const double step[] = { 0.0074, 0.0011, 0.0045, 0.8 };
	/* Ties: three equal p, all in or all out. */
	static const double tie_in[] = { 0.006, 0.006, 0.006, 0.5 };
	static const double tie_out[] = { 0.008, 0.008, 0.008, 0.9 };
	static const double tie_bound[] = { 0.005, 0.005, 0.9, 0.9 };
	struct vb_comparison c;
	double q99 = 2.5758293035489;

	judge(&c, defect, 8, 0.02);
	CHECK_EQ_U64(check_judged(&c, false), 0);
	CHECK(exp(log(c.phases[0].ratio) - q99 * 0.02) > 1); /* unadjusted: excludes */
	CHECK_NEAR(c.phases[0].p_adj, 0.032, 1e-9);
	CHECK(c.phases[0].ci_lo < 1 && c.phases[0].verdict == VB_VERDICT_INCONCLUSIVE);
	CHECK_NEAR(c.ci_level, 1 - 0.01 / 8, 1e-15);
	/* R = m: every phase selected, the plain 1 - alpha. */
	judge(&c, all, 5, 0.02);
	CHECK_EQ_U64(check_judged(&c, false), 5);
	CHECK_NEAR(c.ci_level, 0.99, 1e-15);
	CHECK_EQ_U64(c.slower + c.faster, 5);
	/* R = 0: nothing selected, alpha / m. */
	judge(&c, none, 4, 0.02);
	CHECK_EQ_U64(check_judged(&c, false), 0);
	CHECK_NEAR(c.ci_level, 1 - 0.0025, 1e-15);
	judge(&c, step, 4, 0.02);
	CHECK_EQ_U64(check_judged(&c, false), 3);
	judge(&c, tie_in, 4, 0.02);
	CHECK_EQ_U64(check_judged(&c, false), 3);
	judge(&c, tie_out, 4, 0.02);
	CHECK_EQ_U64(check_judged(&c, false), 0);
	/* Tied on BH's boundary, two of four at p = 2 alpha / m (4 p / 2 ==
	 * alpha is not below it) or just under it: their intervals at 1 - 2
	 * alpha / m end on 1 but for rounding; the selection decides. */
	for (int i = 0; i < 2; i++) {
		judge(&c, tie_bound, 4, 0.02);
		c.phases[0].p = c.phases[1].p = i ? 0.005 : nextafter(0.005, 0);
		vb_comparison_judge(&c);
		CHECK_EQ_U64(check_judged(&c, true), i ? 0 : 2);
	}
	/* Inside the margin at 1 - alpha, not at 1 - alpha / m: no change
	 * is judged at the printed level too. */
	judge(&c, none, 4, 0.02);
	c.phases[3].ratio = 1;
	c.phases[3].se_log = log(1.05) / 2.9; /* 2.58 < 2.9 < z(1 - 0.0025/2) = 3.02 */
	c.phases[3].p = 1;
	vb_comparison_judge(&c);
	check_judged(&c, false);
	CHECK_EQ_U64(c.phases[3].verdict, VB_VERDICT_INCONCLUSIVE);
	c.phases[3].se_log = log(1.05) / 3.1;
	vb_comparison_judge(&c);
	CHECK_EQ_U64(c.phases[3].verdict, VB_VERDICT_NO_CHANGE);
}

/* Random comparisons of 1 to 23 phases: a mix of true changes and none,
 * se of 1 % to 30 %, ratios on either side, equal p now and then. */
static void test_never_disagree(void)
{
	struct vb_rng r;
	struct vb_comparison c;
	double p[VB_PHASE_COUNT];
	size_t rounds = 0, extremes[2] = { 0 };

	vb_rng_seed(&r, 21);
	for (int iter = 0; iter < 4000; iter++) {
		size_t m = 1 + vb_rng_next(&r) % 23;

		for (size_t i = 0; i < m; i++) {
			double u = vb_rng_uniform(&r);

			p[i] = u < 0.3 ? pow(10, -9 * vb_rng_uniform(&r)) * 0.01
			     : u < 0.4 && i ? p[i - 1]
					     : vb_rng_uniform(&r);
		}
		judge(&c, p, m, 0.01 + 0.29 * vb_rng_uniform(&r));
		for (size_t i = 0; iter % 3 == 0 && i < m; i++) {
			c.phases[i].df = 2 + 20 * vb_rng_uniform(&r); /* rounds: t */
			c.phases[i].p = vb_compare_p(log(c.phases[i].ratio), c.phases[i].se_log,
						     c.phases[i].df);
		}
		vb_comparison_judge(&c);
		check_judged(&c, false);
		extremes[0] += c.selected == 0;
		extremes[1] += c.selected == m;
		rounds++;
	}
	CHECK(rounds == 4000 && extremes[0] > 100 && extremes[1] > 20);
}

/* The p99's interval is at the comparison's level; its flag reads it. */
static void test_p99(void)
{
	static const double none[] = { 0.5, 0.5, 0.5, 0.5 };
	struct vb_comparison c;
	struct vb_phase_compare *pc = &c.phases[0];

	judge(&c, none, 4, 0.02);
	pc->n_base = pc->n_new = 1000;
	pc->p99_ratio = 1.3;
	pc->p99_se_log = log(1.3) / 2.9; /* excludes 1 at 99 %, not at 99.75 % */
	vb_comparison_judge(&c);
	CHECK_NEAR((log(pc->p99_hi) - log(pc->p99_lo)) / 2,
		   -vb_t_quantile(0.0025 / 2, INFINITY) * pc->p99_se_log, 1e-9);
	CHECK(pc->p99_lo < 1 && pc->p99_flag == VB_VERDICT_NO_CHANGE);
	pc->p99_se_log = log(1.3) / 3.1;
	vb_comparison_judge(&c);
	CHECK(pc->p99_lo > 1 && pc->p99_flag == VB_VERDICT_SLOWER);
	pc->n_base = 99; /* too few for a p99: no flag, the interval stays */
	vb_comparison_judge(&c);
	CHECK(pc->p99_lo > 1 && pc->p99_flag == VB_VERDICT_NO_CHANGE);
}

/* Whether @k rounds a side decide by significance at level @a. */
static bool decides(size_t k, double se, size_t n, double d, double a)
{
	return vb_t_quantile(1 - a / 2, 2.0 * (double)k - 2) * se * sqrt((double)n / (double)k) <=
	       d;
}

static void test_needed(void)
{
	size_t k;

	/* Pooled, ratio 1, se 0.05 at 100 samples a side, one phase tested:
	 * the 99 % half-width z(0.995) se sqrt(100/k) must fit ln 1.05: k =
	 * 100 (2.5758 * 0.05 / 0.04879)^2 = 696.8, so 697. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 100, 100, A, 0, 1, T, false), 697);
	/* Of 23 phases, none selected: at 1 - 0.01/23, z = 3.5180: 1299.8, so
	 * 1300; two selected: 1 - 0.02/23, z = 3.3296: 1164.3, so 1165. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 100, 100, A, 0, 23, T, false), 1300);
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 100, 100, A, 1, 23, T, false), 1300);
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 100, 100, A, 2, 23, T, false), 1165);
	/* Ratio 1.04, se 0.01: room ln 1.05 - ln 1.04 = 0.00957: 724.5, so 725. */
	CHECK_EQ_U64(vb_verdict_needed(1.04, 0.01, 100, 100, A, 0, 1, T, false), 725);
	/* Unequal sides count as their harmonic mean: 50 and 150 as 75. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 50, 150, A, 0, 1, T, false),
		     (size_t)ceil(75 * pow(2.5758293035489 * 0.05 / log(1.05), 2)));
	/* Beyond the margin, pooled: selected with one other of two, at 1 -
	 * 2 * 0.01 / 2: 10 (2.5758 * 1.0 / ln 2)^2 = 138.1, so 139. */
	CHECK_EQ_U64(vb_verdict_needed(0.5, 1.0, 10, 10, A, 1, 2, T, false),
		     (size_t)ceil(10 * pow(2.5758293035489 / log(2), 2)));
	/* Rounds, ratio 0.5 beyond the margin, se 0.3 at 3 rounds, none of
	 * two selected: it would be the first, at 1 - 0.01 / 2, with t at
	 * 2k - 2 df: the smallest such k. */
	k = vb_verdict_needed(0.5, 0.3, 3, 3, A, 0, 2, T, true);
	CHECK(k > 3 && k < 50);
	CHECK(decides(k, 0.3, 3, log(2), 0.005));
	CHECK(!decides(k - 1, 0.3, 3, log(2), 0.005));
	/* Never fewer than one more than measured. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, 1e-6, 100, 100, A, 0, 1, T, false), 101);
	/* On the margin (threshold 0, ratio 1): no number decides. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 10, 10, A, 0, 1, 0, false),
		     VB_NEEDED_UNREACHABLE);
	/* No spread known, or nothing tested: 0. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, NAN, 10, 10, A, 0, 1, T, false), 0);
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 10, 10, A, 0, 0, T, false), 0);
}

int main(void)
{
	test_decide();
	test_dual();
	test_fcr();
	test_never_disagree();
	test_p99();
	test_needed();
	return vb_check_exit();
}
