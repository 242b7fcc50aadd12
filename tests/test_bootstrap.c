/* The bootstrap: reproducible from its seed; the order-statistic shortcut
 * draws resample quantiles with the distribution a materialised resample
 * has (checked against the exact binomial law of the resample median, and
 * against brute-force resampling); ratio intervals cover the true ratio. */
#include <errno.h>
#include <math.h>

#include "bootstrap.h"
#include "check.h"
#include "stats.h"

/* Exact P(median of a resample of 1..11 <= k + 1) = P(Bin(11, (k+1)/11) >= 6). */
static const double median11_cdf[11] = {
	0.00017409246139013347, 0.007207117786652228, 0.05124659601792077,
	0.17274693788183157,    0.3786312759083995,   0.6213687240916002,
	0.8272530621181684,     0.9487534039820793,   0.9927928822133478,
	0.99982590753861,       1.0,
};

static void test_median_law(void)
{
	enum { DRAWS = 200000 };
	uint64_t v[11];
	size_t count[11] = { 0 };
	struct vb_rng r;
	double cum = 0;

	for (int i = 0; i < 11; i++)
		v[i] = (uint64_t)i + 1;
	vb_rng_seed(&r, 42);
	for (int i = 0; i < DRAWS; i++) {
		double m = vb_bootstrap_quantile(&r, v, 11, 0.5);

		CHECK(m == floor(m) && m >= 1 && m <= 11); /* odd n: always a sample */
		count[(size_t)m - 1]++;
	}
	/* 4.5 standard errors of a proportion estimated from DRAWS draws. */
	for (int k = 0; k < 11; k++) {
		cum += (double)count[k] / DRAWS;
		if (fabs(cum - median11_cdf[k]) > 0.005) {
			fprintf(stderr, "P(median <= %d) = %.4f, want %.4f\n", k + 1, cum,
				median11_cdf[k]);
			vb_check_failures++;
		}
	}
}

/* Type-7 quantile @q of a materialised resample of @v. */
static double brute_quantile(struct vb_rng *r, const uint64_t *v, size_t n, double q)
{
	uint64_t s[64];

	for (size_t i = 0; i < n; i++)
		s[i] = v[vb_rng_next(r) % n];
	vb_stats_sort(s, n);
	return (double)vb_stats_percentile(s, n, q);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Even n and an interpolated quantile: compare the two laws' quantiles. */
static void test_against_brute_force(size_t n, double q)
{
	enum { DRAWS = 100000 };
	static double fast[DRAWS], brute[DRAWS];
	uint64_t v[64];
	struct vb_rng r1, r2;

	for (size_t i = 0; i < n; i++)
		v[i] = 100 + (uint64_t)(i * i * 7 % 97) + 3 * i; /* irregular gaps */
	vb_stats_sort(v, n);
	vb_rng_seed(&r1, 1);
	vb_rng_seed(&r2, 2);
	for (size_t i = 0; i < DRAWS; i++) {
		fast[i] = vb_bootstrap_quantile(&r1, v, n, q);
		brute[i] = brute_quantile(&r2, v, n, q);
	}
	qsort(fast, DRAWS, sizeof(double), cmp_double);
	qsort(brute, DRAWS, sizeof(double), cmp_double);
	for (double p = 0.05; p < 1; p += 0.15) {
		double a = fast[(size_t)(p * DRAWS)], b = brute[(size_t)(p * DRAWS)];

		/* The laws are discrete: allow a tenth of the sample's spread. */
		if (fabs(a - b) > ((double)v[n - 1] - (double)v[0]) / 10) {
			fprintf(stderr, "n %zu q %.2f: law quantile %.2f: %.2f vs brute force %.2f\n",
				n, q, p, a, b);
			vb_check_failures++;
		}
	}
}

static void test_gamma_moments(void)
{
	struct vb_rng r;
	double sum = 0, sum2 = 0;
	enum { N = 200000 };

	vb_rng_seed(&r, 7);
	for (int i = 0; i < N; i++) {
		double g = vb_rng_gamma(&r, 3);

		sum += g;
		sum2 += g * g;
	}
	/* Gamma(3, 1): mean 3, variance 3. */
	CHECK(fabs(sum / N - 3) < 0.02);
	CHECK(fabs(sum2 / N - 9 - 3) < 0.15);
}

static void test_ratio_interval(void)
{
	enum { N = 2000 };
	static uint64_t base[N], slow[N];
	struct vb_ratio_ci a, b, same;
	struct vb_rng r;

	vb_rng_seed(&r, 3);
	for (int i = 0; i < N; i++) {
		base[i] = 10000 + vb_rng_next(&r) % 5000;
		slow[i] = base[i] * 12 / 10;
	}
	vb_stats_sort(base, N);
	vb_stats_sort(slow, N);
	CHECK(vb_bootstrap_ratio_ci(base, N, slow, N, 0.5, 0.95, 2000, 99, &a) == 0);
	CHECK(a.lo < 1.2 && a.hi > 1.2 && a.lo > 1.1);
	/* Reproducible: the same seed gives the same interval, bit for bit. */
	CHECK(vb_bootstrap_ratio_ci(base, N, slow, N, 0.5, 0.95, 2000, 99, &b) == 0);
	CHECK(a.lo == b.lo && a.hi == b.hi);
	CHECK(vb_bootstrap_ratio_ci(base, N, slow, N, 0.5, 0.95, 2000, 100, &b) == 0);
	CHECK(a.lo != b.lo || a.hi != b.hi);
	CHECK(vb_bootstrap_ratio_ci(base, N, base, N, 0.5, 0.95, 2000, 99, &same) == 0);
	CHECK(same.lo <= 1 && same.hi >= 1 && same.hi - same.lo < 0.1);
	/* The median's bootstrap distribution is near normal on the log
	 * scale here: its SD and the 95 % percentile interval agree. */
	CHECK(a.se_log > 0);
	CHECK(fabs((log(a.hi) - log(a.lo)) / (2 * 1.959964) / a.se_log - 1) < 0.15);
	CHECK(fabs((log(same.hi) - log(same.lo)) / (2 * 1.959964) / same.se_log - 1) < 0.15);
	/* Equal values: every resample's ratio is the same, no spread. */
	for (int i = 0; i < N; i++)
		slow[i] = 12000;
	CHECK(vb_bootstrap_ratio_ci(slow, N, slow, N, 0.5, 0.95, 2000, 99, &b) == 0);
	CHECK(b.se_log == 0 && b.lo == 1 && b.hi == 1);
	/* A base quantile of 0 ns: no log ratio, no standard error. */
	slow[0] = 0;
	CHECK(vb_bootstrap_ratio_ci(slow, 1, base, N, 0.5, 0.95, 2000, 99, &b) == 0);
	CHECK(b.se_log == INFINITY);
	CHECK(vb_bootstrap_ratio_ci(base, 0, slow, N, 0.5, 0.95, 2000, 99, &b) == -EINVAL);
	CHECK(vb_bootstrap_ratio_ci(base, N, slow, N, 0.5, 1.5, 2000, 99, &b) == -EINVAL);
}

/* A million samples cost no more than a hundred: nothing is materialised. */
static void test_large_is_cheap(void)
{
	enum { N = 1000000 };
	uint64_t *v = malloc(N * sizeof(*v));
	struct vb_ratio_ci ci;

	for (size_t i = 0; v && i < N; i++)
		v[i] = 1000 + i / 10;
	CHECK(v && vb_bootstrap_ratio_ci(v, N, v, N, 0.99, 0.95, VB_BOOTSTRAP_RESAMPLES,
					 VB_BOOTSTRAP_SEED, &ci) == 0);
	CHECK(ci.lo <= 1 && ci.hi >= 1 && ci.hi - ci.lo < 0.01);
	free(v);
}

int main(void)
{
	test_median_law();
	test_against_brute_force(10, 0.5);
	test_against_brute_force(20, 0.9);
	test_against_brute_force(7, 0.99);
	test_gamma_moments();
	test_ratio_interval();
	test_large_is_cheap();
	return vb_check_exit();
}
