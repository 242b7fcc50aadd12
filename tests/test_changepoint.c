/* The change-point detector on series with a known answer: steps are found
 * where they are, noise, a lone outlier, a step too small to matter and a
 * flat series give none; the answer is a function of the seed. */
#include <errno.h>

#include "bootstrap.h"
#include "changepoint.h"
#include "check.h"

/* Box-Muller from the project's PRNG: N(mean, sd). */
static double gauss(struct vb_rng *r, double mean, double sd)
{
	double u = vb_rng_uniform(r), v = vb_rng_uniform(r);

	return mean + sd * sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* @n values: N(@a, @sd) before @step, N(@b, @sd) from it on. */
static void series(double *x, size_t n, size_t step, double a, double b, double sd,
		   uint64_t seed)
{
	struct vb_rng r;

	vb_rng_seed(&r, seed);
	for (size_t i = 0; i < n; i++)
		x[i] = gauss(&r, i < step ? a : b, sd);
}

static size_t count_of(const double *x, size_t n, const struct vb_cp_options *o,
		       struct vb_changepoint **cp)
{
	size_t count = 99;

	CHECK(vb_changepoints_find(x, n, o, cp, &count) == 0);
	return count;
}

static void test_one_step(void)
{
	double x[60];

	for (uint64_t seed = 1; seed <= 5; seed++) {
		struct vb_changepoint *cp;

		series(x, 60, 30, 100, 130, 2, seed);
		CHECK_EQ_U64(count_of(x, 60, NULL, &cp), 1);
		if (!cp)
			continue;
		CHECK(cp[0].index >= 29 && cp[0].index <= 31);
		CHECK(cp[0].p_value <= VB_CP_ALPHA_SIG);
		CHECK_NEAR(cp[0].mean_before, 100, 2);
		CHECK_NEAR(cp[0].mean_after, 130, 2);
		CHECK_NEAR(cp[0].rel_change, 0.3, 0.03);
		vb_changepoints_free(cp);
	}
}

/* Q by its definition, O(n^2): the detector's O(n log n) scan must agree. */
static double brute_q(const double *x, size_t n, size_t m)
{
	double between = 0, wa = 0, wb = 0, dm = (double)m, dk = (double)(n - m);

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double d = fabs(x[i] - x[j]);

			if (j < m)
				wa += d;
			else if (i >= m)
				wb += d;
			else
				between += d;
		}
	return dm * dk / (dm + dk) *
	       (2 * between / (dm * dk) - wa * 2 / (dm * (dm - 1)) - wb * 2 / (dk * (dk - 1)));
}

/* A step of 2 sd, so the noise moves the best split: the first split is
 * the argmax of Q over the admissible splits, whatever it is. */
static void test_split_is_argmax(void)
{
	double x[41];
	int tested = 0, elsewhere = 0;

	for (uint64_t seed = 20; seed < 30; seed++) {
		struct vb_changepoint *cp;
		size_t best = 0;
		double qbest = -INFINITY;

		series(x, 41, 23, 100, 108, 4, seed);
		for (size_t i = 0; i < 41; i += 5)
			x[i] = floor(x[i]); /* and some ties */
		for (size_t m = VB_CP_MIN_SEGMENT; m + VB_CP_MIN_SEGMENT <= 41; m++)
			if (brute_q(x, 41, m) > qbest) {
				qbest = brute_q(x, 41, m);
				best = m;
			}
		if (count_of(x, 41, NULL, &cp) == 1) {
			CHECK_EQ_U64(cp[0].index, best);
			tested++;
			elsewhere += best != 23;
		}
		vb_changepoints_free(cp);
	}
	CHECK(tested >= 5 && elsewhere >= 1); /* the check ran, and not only at 23 */
}

static void test_two_steps(void)
{
	double x[90];
	struct vb_changepoint *cp;
	struct vb_rng r;

	vb_rng_seed(&r, 7);
	for (size_t i = 0; i < 90; i++)
		x[i] = gauss(&r, i < 30 ? 100 : i < 60 ? 115 : 95, 2);
	CHECK_EQ_U64(count_of(x, 90, NULL, &cp), 2);
	if (cp) {
		CHECK(cp[0].index >= 29 && cp[0].index <= 31);
		CHECK(cp[1].index >= 59 && cp[1].index <= 61);
		CHECK(cp[0].rel_change > 0 && cp[1].rel_change < 0);
	}
	vb_changepoints_free(cp);
}

static void test_noise(void)
{
	double x[60];

	for (uint64_t seed = 100; seed < 110; seed++) {
		struct vb_changepoint *cp;

		series(x, 60, 60, 100, 100, 2, seed);
		CHECK_EQ_U64(count_of(x, 60, NULL, &cp), 0);
		CHECK(cp == NULL);
	}
}

static void test_outlier(void)
{
	double x[60];
	struct vb_changepoint *cp;

	for (uint64_t seed = 200; seed < 205; seed++) {
		series(x, 60, 60, 100, 100, 2, seed);
		x[37] = 400; /* one run that hiccupped */
		CHECK_EQ_U64(count_of(x, 60, NULL, &cp), 0);
		vb_changepoints_free(cp);
		x[37] = 100;
		x[58] = 400; /* ... near the end, where a short segment could take it */
		CHECK_EQ_U64(count_of(x, 60, NULL, &cp), 0);
		vb_changepoints_free(cp);
	}
}

/* Significant (sd 0.2) but 2%: below the 5% minimum, kept with 1%. */
static void test_small_step(void)
{
	double x[60];
	struct vb_changepoint *cp;
	struct vb_cp_options o;

	series(x, 60, 30, 100, 102, 0.2, 3);
	CHECK_EQ_U64(count_of(x, 60, NULL, &cp), 0);
	vb_cp_options_default(&o);
	o.min_magnitude = 0.01;
	CHECK_EQ_U64(count_of(x, 60, &o, &cp), 1);
	if (cp)
		CHECK(cp[0].index >= 29 && cp[0].index <= 31);
	vb_changepoints_free(cp);
}

static void test_short_and_flat(void)
{
	double x[60];
	struct vb_changepoint *cp;
	struct vb_cp_options o;

	vb_cp_options_default(&o);
	series(x, 5, 3, 100, 200, 1, 4); /* a huge step, but 5 < 2 * 3 */
	CHECK_EQ_U64(count_of(x, 5, &o, &cp), 0);
	o.min_segment = 2;
	series(x, 40, 2, 100, 200, 1, 4); /* a step at 2 with min_segment 2 */
	CHECK_EQ_U64(count_of(x, 40, &o, &cp), 1);
	if (cp)
		CHECK_EQ_U64(cp[0].index, 2);
	vb_changepoints_free(cp);
	CHECK_EQ_U64(count_of(x, 0, &o, &cp), 0);
	for (size_t i = 0; i < 60; i++)
		x[i] = 42;
	CHECK_EQ_U64(count_of(x, 60, NULL, &cp), 0);
	for (size_t i = 0; i < 60; i++)
		x[i] = 0; /* and a zero median is no division by zero */
	CHECK_EQ_U64(count_of(x, 60, NULL, &cp), 0);
}

static void test_deterministic(void)
{
	double x[200];
	struct vb_changepoint *a, *b;
	struct vb_cp_options o;
	size_t na, nb;

	vb_cp_options_default(&o);
	o.seed = 12345;
	series(x, 200, 120, 100, 108, 2, 9);
	CHECK(vb_changepoints_find(x, 200, &o, &a, &na) == 0);
	CHECK(vb_changepoints_find(x, 200, &o, &b, &nb) == 0);
	CHECK_EQ_U64(na, nb);
	CHECK(na >= 1);
	for (size_t i = 0; i < na && i < nb; i++) {
		CHECK_EQ_U64(a[i].index, b[i].index);
		CHECK(a[i].p_value == b[i].p_value);
	}
	vb_changepoints_free(a);
	vb_changepoints_free(b);
}

static void test_invalid(void)
{
	double x[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, NAN };
	struct vb_changepoint *cp;
	struct vb_cp_options o;
	size_t n;

	CHECK(vb_changepoints_find(x, 10, NULL, &cp, &n) == -EINVAL);
	CHECK(vb_changepoints_find(NULL, 3, NULL, &cp, &n) == -EINVAL);
	vb_cp_options_default(&o);
	o.alpha_sig = 1;
	CHECK(vb_changepoints_find(x, 9, &o, &cp, &n) == -EINVAL);
	vb_cp_options_default(&o);
	o.permutations = 0;
	CHECK(vb_changepoints_find(x, 9, &o, &cp, &n) == -EINVAL);
	vb_cp_options_default(&o);
	o.min_segment = 0;
	CHECK(vb_changepoints_find(x, 9, &o, &cp, &n) == -EINVAL);
}

int main(void)
{
	test_one_step();
	test_split_is_argmax();
	test_two_steps();
	test_noise();
	test_outlier();
	test_small_step();
	test_short_and_flat();
	test_deterministic();
	test_invalid();
	return vb_check_exit();
}
