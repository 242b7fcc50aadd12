/* The two-sided Mann-Whitney U test (Wilcoxon rank-sum) of two samples of
 * durations: does one tend to be larger than the other? It assumes
 * nothing about the shape of the distributions, which matters for setup
 * latencies: skewed, heavy-tailed, often bimodal. Pure; no I/O.
 *
 * U counts the pairs (x, y) with x > y, a tie counting one half (the U of
 * the first sample, as R's wilcox.test and SciPy's mannwhitneyu report
 * it). Without ties and with nx + ny <= VB_MWU_EXACT_MAX the p-value is
 * exact (the null distribution of U counted); otherwise it is the normal
 * approximation with tie and continuity corrections. */
#ifndef VB_MANNWHITNEY_H
#define VB_MANNWHITNEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VB_MWU_EXACT_MAX 60

struct vb_mwu {
	double u;      /* U of the first sample */
	double z;      /* normal approximation's z (0 when exact) */
	double p;      /* two-sided p-value, in [0, 1] */
	bool exact;
};

/* Test ascending @x (@nx >= 1) against ascending @y (@ny >= 1). 0, -EINVAL
 * when a sample is empty, -ENOMEM. Linear in nx + ny for the normal
 * approximation: the samples are merged, never ranked by sorting. */
int vb_mwu_test(const uint64_t *x, size_t nx, const uint64_t *y, size_t ny, struct vb_mwu *out);

/* The standard normal distribution function Φ(z). */
double vb_normal_cdf(double z);

/* P(U <= u) under the null hypothesis for samples of @m and @n values
 * without ties (m + n <= VB_MWU_EXACT_MAX), or -1 on error. */
double vb_mwu_exact_cdf(size_t m, size_t n, double u);

#endif
