/* Mann-Whitney U (mannwhitney.h). */
#include "mannwhitney.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

double vb_normal_cdf(double z)
{
	/* erfc keeps full relative precision far into the lower tail. */
	return 0.5 * erfc(-z / M_SQRT2);
}

/* U and the tie term sum(t^3 - t) over groups of equal values, in one merge
 * of the two ascending samples. */
static void merge_ranks(const uint64_t *x, size_t nx, const uint64_t *y, size_t ny, double *u,
			double *ties)
{
	size_t i = 0, j = 0;

	*u = 0;
	*ties = 0;
	while (i < nx || j < ny) {
		uint64_t v = j == ny || (i < nx && x[i] <= y[j]) ? x[i] : y[j];
		size_t a = 0, b = 0, below = j; /* y values below v */

		while (i < nx && x[i] == v)
			i++, a++;
		while (j < ny && y[j] == v)
			j++, b++;
		*u += (double)a * (double)below + 0.5 * (double)a * (double)b;
		if (a + b > 1)
			*ties += (double)(a + b) * (double)(a + b) * (double)(a + b) -
				 (double)(a + b);
	}
}

/* Counts the m-subsets of ranks 1..m+n by rank sum, a knapsack over the
 * ranks; U = rank sum - m(m+1)/2. Only additions of positive counts, so
 * the relative error stays near 1e-16 even where counts pass 2^53
 * (C(60,30) is about 1.2e17). */
double vb_mwu_exact_cdf(size_t m, size_t n, double u)
{
	size_t N = m + n, smax = m * N, stride = smax + 1;
	double *dp, total = 0, below = 0;

	if (N > VB_MWU_EXACT_MAX || !m || !n)
		return -1;
	dp = calloc((m + 1) * stride, sizeof(*dp));
	if (!dp)
		return -1;
	dp[0] = 1; /* the empty subset has sum 0 */
	for (size_t k = 1; k <= N; k++)
		for (size_t c = (k < m ? k : m); c >= 1; c--)
			for (size_t s = smax; s >= k; s--)
				dp[c * stride + s] += dp[(c - 1) * stride + s - k];
	for (size_t s = 0; s <= smax; s++) {
		double cnt = dp[m * stride + s];
		double us = (double)s - (double)(m * (m + 1) / 2);

		total += cnt;
		if (us <= u + 1e-9)
			below += cnt;
	}
	free(dp);
	return below / total;
}

static void normal_approx(size_t nx, size_t ny, double u, double ties, struct vb_mwu *out)
{
	double n = (double)(nx + ny), mu = (double)nx * (double)ny / 2;
	double var = (double)nx * (double)ny / 12 * ((n + 1) - ties / (n * (n - 1)));

	out->exact = false;
	if (var <= 0) { /* every value equal: no evidence of any difference */
		out->z = 0;
		out->p = 1;
		return;
	}
	/* Continuity correction: U moves in steps of 1/2, the normal does not. */
	out->z = (fabs(u - mu) - 0.5) / sqrt(var);
	if (out->z < 0)
		out->z = 0;
	out->p = fmin(1, 2 * vb_normal_cdf(-out->z));
}

int vb_mwu_test(const uint64_t *x, size_t nx, const uint64_t *y, size_t ny, struct vb_mwu *out)
{
	double u, ties;

	if (!nx || !ny)
		return -EINVAL;
	merge_ranks(x, nx, y, ny, &u, &ties);
	*out = (struct vb_mwu){ .u = u };
	if (ties == 0 && nx + ny <= VB_MWU_EXACT_MAX) {
		double mn = (double)nx * (double)ny;
		double tail = vb_mwu_exact_cdf(nx, ny, fmin(u, mn - u));

		if (tail < 0)
			return -ENOMEM;
		out->exact = true;
		out->p = fmin(1, 2 * tail);
		return 0;
	}
	normal_approx(nx, ny, u, ties, out);
	return 0;
}
