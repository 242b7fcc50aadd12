/* Mann-Whitney U against values computed independently: textbook examples
 * (the exact p by enumerating every arrangement; the normal approximation
 * from average ranks, a different algorithm from the merge under test),
 * and the standard normal distribution at known points. */
#include <errno.h>
#include <math.h>

#include "check.h"
#include "mannwhitney.h"

static void test_normal_cdf(void)
{
	CHECK_NEAR(vb_normal_cdf(0), 0.5, 1e-15);
	CHECK_NEAR(vb_normal_cdf(1.959963984540054), 0.975, 1e-12);
	CHECK_NEAR(vb_normal_cdf(-1.6448536269514722), 0.05, 1e-12);
	CHECK_NEAR(vb_normal_cdf(-3), 0.0013498980316300957, 1e-15);
	/* The far tail keeps its relative precision (no 1 - x cancellation). */
	CHECK_NEAR(vb_normal_cdf(-8) / 6.220960574271819e-16, 1, 1e-9);
}

/* SciPy's documented example (mannwhitneyu): U = 17, exact p = 14/126. */
static void test_exact_small(void)
{
	static const uint64_t males[] = { 16, 19, 22, 24, 29 }, females[] = { 11, 12, 17, 20 };
	struct vb_mwu m;

	CHECK(vb_mwu_test(males, 5, females, 4, &m) == 0);
	CHECK_NEAR(m.u, 17, 0);
	CHECK(m.exact);
	CHECK_NEAR(m.p, 14.0 / 126, 1e-12);
	/* The other way round: U' = nx ny - U, same p. */
	CHECK(vb_mwu_test(females, 4, males, 5, &m) == 0);
	CHECK_NEAR(m.u, 3, 0);
	CHECK_NEAR(m.p, 14.0 / 126, 1e-12);
	/* Null distribution: P(U <= 3) = 7/126 (U = 0, 1, 2, 2, 3, 3, 3). */
	CHECK_NEAR(vb_mwu_exact_cdf(5, 4, 3), 7.0 / 126, 1e-12);
	CHECK_NEAR(vb_mwu_exact_cdf(5, 4, 20), 1, 1e-12);
}

/* Wikipedia's tortoise and hare race: finishing places T = 1, 7..11,
 * H = 2..6, 12: U_T = 25, U_H = 11; p = 2 * 143 / 924 by enumeration. */
static void test_tortoise_and_hare(void)
{
	static const uint64_t t[] = { 1, 7, 8, 9, 10, 11 }, h[] = { 2, 3, 4, 5, 6, 12 };
	struct vb_mwu m;

	CHECK(vb_mwu_test(t, 6, h, 6, &m) == 0);
	CHECK_NEAR(m.u, 25, 0);
	CHECK_NEAR(m.p, 0.30952380952380953, 1e-12);
	CHECK(vb_mwu_test(h, 6, t, 6, &m) == 0);
	CHECK_NEAR(m.u, 11, 0);
}

/* Ties: normal approximation with tie and continuity corrections; expected
 * values from average ranks (U = R1 - n1(n1+1)/2 = 3.5, z = 2.48377). */
static void test_ties(void)
{
	static const uint64_t x[] = { 1, 2, 2, 3, 3, 3, 4 }, y[] = { 3, 4, 4, 5, 5, 6 };
	struct vb_mwu m;

	CHECK(vb_mwu_test(x, 7, y, 6, &m) == 0);
	CHECK(!m.exact);
	CHECK_NEAR(m.u, 3.5, 0);
	CHECK_NEAR(m.z, 2.483773282901211, 1e-12);
	CHECK_NEAR(m.p, 0.012999854364387314, 1e-12);
}

/* Beyond the exact limit, no ties: x = 0, 2, ..., 78; y = 1, 4, ..., 58. */
static void test_normal_large(void)
{
	uint64_t x[40], y[20];
	struct vb_mwu m;

	for (int i = 0; i < 40; i++)
		x[i] = 2 * (uint64_t)i;
	for (int i = 0; i < 20; i++)
		y[i] = 1 + 3 * (uint64_t)i;
	CHECK(vb_mwu_test(x, 40, y, 20, &m) == 0);
	CHECK(!m.exact);
	CHECK_NEAR(m.u, 495, 0);
	CHECK_NEAR(m.z, 1.4820841553635766, 1e-12);
	CHECK_NEAR(m.p, 0.13831790419128773, 1e-12);
}

static void test_degenerate(void)
{
	static const uint64_t same[] = { 5, 5, 5 }, one[] = { 7 };
	struct vb_mwu m;

	CHECK(vb_mwu_test(same, 3, same, 3, &m) == 0);
	CHECK_NEAR(m.p, 1, 0); /* every value equal: no evidence */
	CHECK(vb_mwu_test(one, 1, one + 0, 1, &m) == 0);
	CHECK_NEAR(m.p, 1, 0);
	CHECK(vb_mwu_test(same, 0, one, 1, &m) == -EINVAL);
	/* One sample each, different: the smallest possible p is 1. */
	CHECK(vb_mwu_test(one, 1, same, 1, &m) == 0);
	CHECK_NEAR(m.p, 1, 0);
}

int main(void)
{
	test_normal_cdf();
	test_exact_small();
	test_tortoise_and_hare();
	test_ties();
	test_normal_large();
	test_degenerate();
	return vb_check_exit();
}
