/* Bootstrap confidence intervals for the ratio of a quantile (the median,
 * the p99) between two samples, reproducible from a fixed seed.
 *
 * A resample is never materialised: the k-th smallest of n uniform draws
 * is Beta(k, n-k+1), and the k-th smallest drawn index is floor(n * that),
 * so the type-7 quantile of a resample of a sorted sample costs a few
 * random numbers, whatever n. This is the ordinary percentile bootstrap,
 * exactly, in O(resamples) instead of O(resamples * n). Pure; no I/O. */
#ifndef VB_BOOTSTRAP_H
#define VB_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

/* xoshiro256** (Blackman & Vigna), seeded through splitmix64. */
struct vb_rng {
	uint64_t s[4];
};

void vb_rng_seed(struct vb_rng *r, uint64_t seed);
uint64_t vb_rng_next(struct vb_rng *r);
/* Uniform in the open interval (0, 1). */
double vb_rng_uniform(struct vb_rng *r);
/* Gamma(shape, 1) for shape >= 1 (Marsaglia & Tsang 2000). */
double vb_rng_gamma(struct vb_rng *r, double shape);

/* The type-7 quantile @q (0..1) of one bootstrap resample (n draws with
 * replacement) of ascending @v (@n >= 1). */
double vb_bootstrap_quantile(struct vb_rng *r, const uint64_t *v, size_t n, double q);

struct vb_ratio_ci {
	double lo, hi; /* percentile interval of quantile(new) / quantile(base) */
	/* The bootstrap standard error of log(ratio), from the central
	 * 68 % of the resamples (robust to a bimodal phase's far ones), from
	 * which an interval at any level and its dual p-value follow
	 * (compare.h). INFINITY when that range reaches a ratio of 0 or
	 * infinity (a quantile of 0 ns). */
	double se_log;
};

#define VB_BOOTSTRAP_RESAMPLES 5000
#define VB_BOOTSTRAP_SEED 0x7663707562656e63ULL /* "vcpubenc" */

/* @level (e.g. 0.95) interval for quantile @q of ascending @new over
 * ascending @base, from @resamples paired resamples drawn from @seed.
 * 0, -EINVAL (empty sample, level outside (0,1)), -ENOMEM. A resample
 * whose base quantile is 0 gives an infinite ratio. */
int vb_bootstrap_ratio_ci(const uint64_t *base, size_t nbase, const uint64_t *new_,
			  size_t nnew, double q, double level, size_t resamples, uint64_t seed,
			  struct vb_ratio_ci *out);

#endif
