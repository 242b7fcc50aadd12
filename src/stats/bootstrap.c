/* Bootstrap of quantile ratios (bootstrap.h). */
#include "bootstrap.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void vb_rng_seed(struct vb_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t vb_rng_next(struct vb_rng *r)
{
	uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double vb_rng_uniform(struct vb_rng *r)
{
	/* 53 random bits, shifted half a step off 0 so log() never sees 0. */
	return ((double)(vb_rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Standard normal by the polar method. */
static double normal(struct vb_rng *r)
{
	double u, v, s;

	do {
		u = 2 * vb_rng_uniform(r) - 1;
		v = 2 * vb_rng_uniform(r) - 1;
		s = u * u + v * v;
	} while (s >= 1 || s == 0);
	return u * sqrt(-2 * log(s) / s);
}

double vb_rng_gamma(struct vb_rng *r, double shape)
{
	double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);

	for (;;) {
		double x = normal(r), v = 1 + c * x;

		if (v <= 0)
			continue;
		v = v * v * v;
		if (log(vb_rng_uniform(r)) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

static size_t index_of(double u, size_t n)
{
	size_t i = (size_t)(u * (double)n);

	return i < n ? i : n - 1;
}

double vb_bootstrap_quantile(struct vb_rng *r, const uint64_t *v, size_t n, double q)
{
	double h = (double)(n - 1) * q, frac = h - floor(h);
	size_t k = (size_t)floor(h) + 1; /* 1-based order statistic */
	double a = vb_rng_gamma(r, (double)k), b = vb_rng_gamma(r, (double)(n - k + 1));
	double uk = a / (a + b), lo = (double)v[index_of(uk, n)], uk1;

	if (frac == 0 || k >= n)
		return lo;
	/* Given U(k), the next order statistic is the least of n-k uniforms above it. */
	uk1 = uk + (1 - uk) * (1 - pow(vb_rng_uniform(r), 1.0 / (double)(n - k)));
	return lo + frac * ((double)v[index_of(uk1, n)] - lo);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Type-7 percentile of ascending doubles, as for the samples themselves. */
static double percentile(const double *v, size_t n, double p)
{
	double h = (double)(n - 1) * p, lo = floor(h);
	size_t i = (size_t)lo;

	return i + 1 >= n ? v[n - 1] : v[i] + (h - lo) * (v[i + 1] - v[i]);
}

/* The standard error of log(v), robustly: half the width, on the log
 * scale, of the central 68.27 % of ascending @v (plus and minus one
 * standard deviation of a normal). A median's resamples take few distinct
 * values, and a bimodal phase puts a few of them far out: their standard
 * deviation would widen every interval drawn from it, this does not.
 * INFINITY when that range reaches a ratio of 0 or infinity. */
static double log_se(const double *v, size_t n)
{
	double lo = percentile(v, n, 0.158655), hi = percentile(v, n, 0.841345);

	return lo > 0 && isfinite(hi) ? (log(hi) - log(lo)) / 2 : INFINITY;
}

int vb_bootstrap_ratio_ci(const uint64_t *base, size_t nbase, const uint64_t *new_,
			  size_t nnew, double q, double level, size_t resamples, uint64_t seed,
			  struct vb_ratio_ci *out)
{
	struct vb_rng rng;
	double *ratio;

	if (!nbase || !nnew || !resamples || !(level > 0 && level < 1))
		return -EINVAL;
	ratio = malloc(resamples * sizeof(*ratio));
	if (!ratio)
		return -ENOMEM;
	vb_rng_seed(&rng, seed);
	for (size_t i = 0; i < resamples; i++) {
		double b = vb_bootstrap_quantile(&rng, base, nbase, q);
		double n = vb_bootstrap_quantile(&rng, new_, nnew, q);

		ratio[i] = b > 0 ? n / b : INFINITY;
	}
	qsort(ratio, resamples, sizeof(*ratio), cmp_double);
	out->se_log = log_se(ratio, resamples);
	out->lo = percentile(ratio, resamples, (1 - level) / 2);
	out->hi = percentile(ratio, resamples, 1 - (1 - level) / 2);
	free(ratio);
	return 0;
}
