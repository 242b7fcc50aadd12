/* Welch's t-test and the Student t distribution against values obtained
 * independently of the code under test:
 *  - printed t tables (6 decimals);
 *  - closed forms of the t distribution for df = 1, 2, 3, 4, derived from
 *    the density (df = 1 is the Cauchy distribution; the df = 4 quantile
 *    is the trigonometric solution of its cubic);
 *  - values for fractional df and far tails from mpmath 1.3.0: the cdf
 *    from its betainc at 40+ significant digits, quantiles by findroot on
 *    that, stated to 17 digits here;
 *  - a Welch test worked by hand in exact fractions.
 * Tolerances are well above the 1e-15 or so the code achieves, below the
 * 1e-10 that `compare` needs. */
#include <errno.h>
#include <float.h>
#include <math.h>

#include "check.h"
#include "welch.h"

/* Relative: for tails and quantiles, whose scale varies over decades. */
#define CHECK_REL(got, want, tol) CHECK_NEAR((got) / (want), 1, tol)

/* The closed forms, each from integrating the density
 * Γ((n+1)/2) / (√(nπ) Γ(n/2)) (1 + t²/n)^(-(n+1)/2). */
static double cdf1(double t)
{
	return 0.5 + atan(t) / M_PI;
}

static double cdf2(double t)
{
	return 0.5 + t / (2 * sqrt(2 + t * t));
}

static double cdf3(double t)
{
	double u = t / sqrt(3);

	return 0.5 + (u / (1 + u * u) + atan(u)) / M_PI;
}

static double cdf4(double t)
{
	double w = t * t / 4;

	return 0.5 + 0.375 * t / sqrt(1 + w) * (1 - w / (3 * (1 + w)));
}

/* Inverting cdf1: tan(π (p - 1/2)), written as a cotangent of the tail
 * so that p near 1 does not put tan next to its pole. */
static double quantile1(double p)
{
	return p < 0.5 ? -1 / tan(M_PI * p) : 1 / tan(M_PI * (1 - p));
}

/* Inverting cdf2: u = 2p - 1 = t / √(2 + t²), so t = u √(2 / (1 - u²)). */
static double quantile2(double p)
{
	return (2 * p - 1) / sqrt(2 * p * (1 - p));
}

/* Inverting cdf4 leads to a cubic in (1 + t²/4)^(1/2); with a = 4p(1-p),
 * q = cos(arccos(√a) / 3) / √a, t = ±2 √(q - 1). */
static double quantile4(double p)
{
	double a = 4 * p * (1 - p), q = cos(acos(sqrt(a)) / 3) / sqrt(a);

	return (p < 0.5 ? -2 : 2) * sqrt(q - 1);
}

static const double ts[] = { -30, -4, -1.3, -0.2, 0, 0.5, 1, 2.5, 10 };
#define NTS (sizeof(ts) / sizeof(ts[0]))

static void test_cdf_closed_forms(void)
{
	for (size_t i = 0; i < NTS; i++) {
		CHECK_NEAR(vb_t_cdf(ts[i], 1), cdf1(ts[i]), 1e-14);
		CHECK_NEAR(vb_t_cdf(ts[i], 2), cdf2(ts[i]), 1e-14);
		CHECK_NEAR(vb_t_cdf(ts[i], 3), cdf3(ts[i]), 1e-14);
		CHECK_NEAR(vb_t_cdf(ts[i], 4), cdf4(ts[i]), 1e-14);
	}
}

/* Lower tails keep their relative precision, even where t² or df / (df +
 * t²) is no longer a double. The closed forms are rearranged to avoid
 * cancellation: for df = 1, P(T <= -t) = atan(1/t) / π; for df = 2,
 * 1/2 - t / (2R) = 1 / (R (R + t)) with R = √(2 + t²). */
static void test_cdf_tails(void)
{
	CHECK_REL(vb_t_cdf(-1e10, 1), atan(1e-10) / M_PI, 1e-13);
	CHECK_REL(vb_t_cdf(-1e200, 1), 1e-200 / M_PI, 1e-13);
	CHECK_REL(vb_t_cdf(-1e6, 2), 1 / (sqrt(2 + 1e12) * (sqrt(2 + 1e12) + 1e6)), 1e-13);
	CHECK_REL(vb_t_cdf(-1e100, 2), 0.5e-200, 1e-13);
	/* mpmath */
	CHECK_REL(vb_t_cdf(-1e6, 4), 2.9999999999800000e-24, 1e-12);
	CHECK_REL(vb_t_cdf(-300, 30), 5.0096675035799040e-54, 1e-12);
	/* Beyond the smallest double: 0, not garbage. */
	CHECK_NEAR(vb_t_cdf(-1e200, 4), 0, 0);
}

static void test_cdf_edges(void)
{
	static const double dfs[] = { 0.3, 1, 4.5, 1e4, INFINITY };

	for (size_t i = 0; i < sizeof(dfs) / sizeof(dfs[0]); i++) {
		CHECK_NEAR(vb_t_cdf(0, dfs[i]), 0.5, 0);
		CHECK_NEAR(vb_t_cdf(-INFINITY, dfs[i]), 0, 0);
		CHECK_NEAR(vb_t_cdf(INFINITY, dfs[i]), 1, 0);
		for (size_t j = 0; j < NTS; j++) /* symmetry */
			CHECK_NEAR(vb_t_cdf(-ts[j], dfs[i]), 1 - vb_t_cdf(ts[j], dfs[i]), 1e-15);
	}
	/* Infinite df is the normal limit: Φ(1.959963984540054) = 0.975. */
	CHECK_NEAR(vb_t_cdf(1.959963984540054, INFINITY), 0.975, 1e-15);
	/* Large df approaches it: P(T <= -1), df = 1e4, from mpmath. */
	CHECK_REL(vb_t_cdf(-1, 1e4), 0.15866735216541999, 1e-11);
	CHECK(isnan(vb_t_cdf(1, 0)));
	CHECK(isnan(vb_t_cdf(1, -2)));
	CHECK(isnan(vb_t_cdf(1, NAN)));
	CHECK(isnan(vb_t_cdf(NAN, 3)));
}

/* Welch's df is fractional. The heavier the tails (the smaller df), the
 * less mass below a positive t: the cdf rises with df at t > 0 and falls
 * at t < 0, strictly. */
static void test_fractional_df(void)
{
	double up = 0, down = 1;

	for (double df = 0.25; df <= 40; df += 0.25) {
		double a = vb_t_cdf(2, df), b = vb_t_cdf(-2, df);

		CHECK(a > up);
		CHECK(b < down);
		up = a;
		down = b;
	}
	CHECK(vb_t_cdf(1, 1) < vb_t_cdf(1, 1.5) && vb_t_cdf(1, 1.5) < vb_t_cdf(1, 2));
	/* mpmath */
	CHECK_NEAR(vb_t_cdf(1, 1.5), 0.77443231636164484, 1e-14);
	CHECK_NEAR(vb_t_cdf(2, 2.5), 0.92130425212101701, 1e-14);
	CHECK_NEAR(vb_t_cdf(-3, 0.5), 0.18365407799297172, 1e-14);
	CHECK_NEAR(vb_t_cdf(-0.7, 0.25), 0.38341683674348486, 1e-14);
	CHECK_REL(vb_t_cdf(-12, 2523.0 / 457), 1.8260200425994890e-05, 1e-12);
	CHECK_REL(vb_t_quantile(0.975, 2.5), 3.5746548420036818, 1e-12);
	CHECK_REL(vb_t_quantile(0.9, 1.5), 2.1963984175655378, 1e-12);
}

static void test_quantile_tables(void)
{
	static const double ps[] = { 1e-12, 0.001, 0.025, 0.3, 0.6, 0.95, 0.999999 };

	/* Any printed t table, to its 6 decimals. */
	CHECK_NEAR(vb_t_quantile(0.975, 4), 2.776445, 5e-7);
	CHECK_NEAR(vb_t_quantile(0.995, 4), 4.604095, 5e-7);
	CHECK_NEAR(vb_t_quantile(0.975, 1), 12.706205, 5e-7);
	CHECK_NEAR(vb_t_quantile(0.975, 30), 2.042272, 5e-7);
	CHECK_NEAR(vb_t_quantile(0.95, 10), 1.812461, 5e-7);
	CHECK_NEAR(vb_t_quantile(0.025, 30), -2.042272, 5e-7);
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		double p = ps[i];

		CHECK_REL(vb_t_quantile(p, 1), quantile1(p), 1e-12);
		CHECK_REL(vb_t_quantile(p, 2), quantile2(p), 1e-12);
		CHECK_REL(vb_t_quantile(p, 4), quantile4(p), 1e-12);
	}
	/* Far out in the Cauchy tail: -cot(π p) = -1 / (π p) to first order. */
	CHECK_REL(vb_t_quantile(1e-300, 1), -1 / (M_PI * 1e-300), 1e-12);
	CHECK_REL(vb_t_quantile(0.975, INFINITY), 1.959963984540054, 1e-14);
}

/* Round trips both ways, wherever the value in between is a double
 * (df = 0.4 puts the 1e-200 quantile near -1e500, and df = 1e4 puts the
 * cdf at -50 below 1e-300). The lower tail carries its relative precision
 * through the cdf, so t comes back to 1e-10 relative (near 0, a p near
 * 1/2 only fixes t to about 1e-16 absolute). In the upper half p = 1 -
 * tail has lost the tail's low digits to rounding, so there the check is
 * on p. */
static void test_quantile_roundtrip(void)
{
	static const double dfs[] = { 0.4, 1, 1.7, 2523.0 / 457, 12, 100, 1e4 };
	static const double lt[] = { -1e4, -50, -7, -1.5, -0.25, -1e-3, -1e-9 };
	static const double ps[] = { 1e-200, 1e-9, 0.01, 0.2, 0.5, 0.6, 0.975, 0.999999 };
	int checked = 0;

	for (size_t i = 0; i < sizeof(dfs) / sizeof(dfs[0]); i++) {
		double df = dfs[i];

		for (size_t j = 0; j < sizeof(lt) / sizeof(lt[0]); j++) {
			double p = vb_t_cdf(lt[j], df);

			if (p < DBL_MIN)
				continue;
			CHECK_NEAR(vb_t_quantile(p, df), lt[j], 1e-10 * fabs(lt[j]) + 1e-15);
			checked++;
		}
		for (size_t j = 0; j < sizeof(ps) / sizeof(ps[0]); j++) {
			double t = vb_t_quantile(ps[j], df);

			if (isinf(t))
				continue;
			CHECK_NEAR(vb_t_cdf(t, df), ps[j], 1e-12 * ps[j]);
			checked++;
		}
	}
	CHECK(checked == 7 * 7 + 7 * 8 - 3); /* the three skips named above */
}

static void test_quantile_edges(void)
{
	static const double bad[] = { 0, 1, -0.1, 1.5, NAN, INFINITY };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(isnan(vb_t_quantile(bad[i], 3)));
	CHECK(isnan(vb_t_quantile(0.5, 0)));
	CHECK(isnan(vb_t_quantile(0.5, NAN)));
	CHECK_NEAR(vb_t_quantile(0.5, 3), 0, 0);
	CHECK_NEAR(vb_t_quantile(0.5, 0.7), 0, 0);
	/* df = 1/2, p = 1e-300: |t| is about 1e600, past DBL_MAX. */
	CHECK(vb_t_quantile(1e-300, 0.5) == -INFINITY);
}

/* x = {1, 2, 3, 4}, y = {3, 5, 7, 9, 11}:
 *   mean x = 10/4 = 2.5, sx² = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3;
 *   mean y = 35/5 = 7,   sy² = (16 + 4 + 0 + 4 + 16) / 4 = 10;
 *   sx²/nx = 5/12, sy²/ny = 2, se² = 29/12, se = 1.5545631755148025;
 *   df = (29/12)² / ((5/12)²/3 + 2²/4) = (841/144) / (457/432) = 2523/457;
 *   diff = 4.5, t = 4.5 / √(29/12) = 2.8947038440620460.
 * p and t_0.975(2523/457) = 2.4993310929466619 from mpmath. */
static void test_welch_example(void)
{
	static const double x[] = { 1, 2, 3, 4 }, y[] = { 3, 5, 7, 9, 11 };
	struct vb_welch w;

	CHECK(vb_welch_test(x, 4, y, 5, 0.95, &w) == 0);
	CHECK_NEAR(w.diff, 4.5, 1e-12);
	CHECK_NEAR(w.se, sqrt(29.0 / 12), 1e-12);
	CHECK_NEAR(w.df, 2523.0 / 457, 1e-9);
	CHECK_NEAR(w.t, 2.8947038440620460, 1e-9);
	CHECK_NEAR(w.p, 2 * vb_t_cdf(-w.t, w.df), 1e-15);
	CHECK_REL(w.p, 0.030286153937034280, 1e-10);
	CHECK_NEAR(w.lo, 4.5 - 2.4993310929466619 * sqrt(29.0 / 12), 1e-9);
	CHECK_NEAR(w.hi, 4.5 + 2.4993310929466619 * sqrt(29.0 / 12), 1e-9);
	/* Swapping the samples negates diff, t and the interval only. */
	CHECK(vb_welch_test(y, 5, x, 4, 0.95, &w) == 0);
	CHECK_NEAR(w.diff, -4.5, 1e-12);
	CHECK_NEAR(w.t, -2.8947038440620460, 1e-9);
	CHECK_REL(w.p, 0.030286153937034280, 1e-10);
	CHECK_NEAR(w.hi, -4.5 + 2.4993310929466619 * sqrt(29.0 / 12), 1e-9);
	/* A wider level, a wider interval. */
	CHECK(vb_welch_test(x, 4, y, 5, 0.99, &w) == 0);
	CHECK(w.lo < 4.5 - 2.4993310929466619 * sqrt(29.0 / 12));
}

/* Equal sizes and variances make Welch's df the pooled 2(n - 1), here 4,
 * so the closed forms for df = 4 check p and the interval: x = {1, 2, 3},
 * y = {4, 5, 6}: both s² = 1, se² = 1/3 + 1/3, df = (2/3)² / (2 (1/3)² / 2)
 * = 4, diff = 3, t = 3 / √(2/3) = 3.6742346141747671. */
static void test_welch_df4(void)
{
	static const double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 };
	double se = sqrt(2.0 / 3);
	struct vb_welch w;

	CHECK(vb_welch_test(x, 3, y, 3, 0.95, &w) == 0);
	CHECK_NEAR(w.df, 4, 1e-12);
	CHECK_NEAR(w.t, 3.6742346141747671, 1e-12);
	CHECK_NEAR(w.p, 2 * cdf4(-w.t), 1e-13);
	CHECK_REL(w.p, 0.021311641128756726, 1e-10); /* mpmath */
	CHECK_NEAR(w.lo, 3 - quantile4(0.975) * se, 1e-12);
	CHECK_NEAR(w.hi, 3 + quantile4(0.975) * se, 1e-12);
}

/* One side without spread is no special case: x = {2, 2, 2}, y = {1, 2,
 * 3, 4, 5}: sy² = 10/4, se² = 0 + 2.5/5 = 1/2, df = 1 / (0 + 1²/4) = 4,
 * diff = 1, t = √2. */
static void test_welch_one_constant(void)
{
	static const double x[] = { 2, 2, 2 }, y[] = { 1, 2, 3, 4, 5 };
	struct vb_welch w;

	CHECK(vb_welch_test(x, 3, y, 5, 0.95, &w) == 0);
	CHECK_NEAR(w.se, sqrt(0.5), 1e-15);
	CHECK_NEAR(w.df, 4, 1e-12);
	CHECK_NEAR(w.t, sqrt(2), 1e-14);
	CHECK_NEAR(w.p, 2 * cdf4(-sqrt(2)), 1e-13);
	CHECK_REL(w.p, 0.23019964108049898, 1e-10); /* mpmath */
}

/* Neither side varies: equal round medians, whose logs are equal. The
 * values are not exact binary fractions on purpose: 0.1 + 0.1 + 0.1 is
 * not 3 * 0.1, and a naive mean would leave a spurious spread. */
static void test_welch_degenerate(void)
{
	double a = log(1000), b = log(1100);
	double same_x[] = { 0.1, 0.1, 0.1 }, same_y[] = { 0.1, 0.1, 0.1, 0.1 };
	double lx[] = { a, a, a }, ly[] = { b, b };
	struct vb_welch w;

	CHECK(vb_welch_test(same_x, 3, same_y, 4, 0.95, &w) == 0);
	CHECK_NEAR(w.diff, 0, 0);
	CHECK_NEAR(w.se, 0, 0);
	CHECK_NEAR(w.df, 5, 0);
	CHECK_NEAR(w.t, 0, 0);
	CHECK_NEAR(w.p, 1, 0);
	CHECK_NEAR(w.lo, 0, 0);
	CHECK_NEAR(w.hi, 0, 0);

	CHECK(vb_welch_test(lx, 3, ly, 2, 0.95, &w) == 0);
	CHECK_NEAR(w.diff, b - a, 1e-15);
	CHECK_NEAR(w.se, 0, 0);
	CHECK_NEAR(w.df, 3, 0);
	CHECK(w.t == INFINITY);
	CHECK_NEAR(w.p, 0, 0);
	CHECK(w.lo == w.diff && w.hi == w.diff);

	CHECK(vb_welch_test(ly, 2, lx, 3, 0.95, &w) == 0);
	CHECK(w.t == -INFINITY);
	CHECK_NEAR(w.p, 0, 0);
	CHECK(w.lo == w.diff && w.hi == w.diff && w.diff < 0);
}

static void test_welch_invalid(void)
{
	static const double ok[] = { 1, 2, 3 }, huge[] = { DBL_MAX, -DBL_MAX };
	double nan_in[] = { 1, NAN, 3 }, inf_in[] = { 1, 2, INFINITY };
	static const double levels[] = { 0, 1, -0.5, 1.5, NAN };
	struct vb_welch w = { .diff = 42 };

	CHECK(vb_welch_test(ok, 1, ok, 3, 0.95, &w) == -EINVAL);
	CHECK(vb_welch_test(ok, 3, ok, 1, 0.95, &w) == -EINVAL);
	CHECK(vb_welch_test(ok, 0, ok, 0, 0.95, &w) == -EINVAL);
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		CHECK(vb_welch_test(ok, 3, ok, 3, levels[i], &w) == -EINVAL);
	CHECK(vb_welch_test(nan_in, 3, ok, 3, 0.95, &w) == -EINVAL);
	CHECK(vb_welch_test(ok, 3, nan_in, 3, 0.95, &w) == -EINVAL);
	CHECK(vb_welch_test(ok, 3, inf_in, 3, 0.95, &w) == -EINVAL);
	CHECK(vb_welch_test(inf_in, 3, ok, 3, 0.95, &w) == -EINVAL);
	/* Finite, but the spread is not a double. */
	CHECK(vb_welch_test(huge, 2, ok, 3, 0.95, &w) == -ERANGE);
	CHECK_NEAR(w.diff, 42, 0); /* untouched on error */
}

int main(void)
{
	test_cdf_closed_forms();
	test_cdf_tails();
	test_cdf_edges();
	test_fractional_df();
	test_quantile_tables();
	test_quantile_roundtrip();
	test_quantile_edges();
	test_welch_example();
	test_welch_df4();
	test_welch_one_constant();
	test_welch_degenerate();
	test_welch_invalid();
	return vb_check_exit();
}
