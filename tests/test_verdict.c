/* The four verdicts of vcpubench compare on constructed intervals, and the
 * estimate of the replicates an inconclusive phase would need, against
 * worked examples (the numbers computed by hand from the closed form). */
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "compare.h"
#include "welch.h"

#define A 0.01 /* alpha */
#define T 0.05 /* threshold */

static void test_decide(void)
{
	/* A clear shift: significant and beyond the margin, either way. */
	CHECK_EQ_U64(vb_verdict_decide(1.30, 1.20, 1.40, 1e-5, A, T), VB_VERDICT_SLOWER);
	CHECK_EQ_U64(vb_verdict_decide(0.70, 0.65, 0.75, 1e-5, A, T), VB_VERDICT_FASTER);
	/* Equivalence: the interval inside [0.95, 1.05], whatever p says. */
	CHECK_EQ_U64(vb_verdict_decide(1.01, 0.98, 1.04, 0.3, A, T), VB_VERDICT_NO_CHANGE);
	CHECK_EQ_U64(vb_verdict_decide(1.00, 0.95, 1.05, 1, A, T), VB_VERDICT_NO_CHANGE);
	/* A wide interval: neither (the first_run, 0.861-2.165). */
	CHECK_EQ_U64(vb_verdict_decide(1.366, 0.861, 2.165, 0.6, A, T), VB_VERDICT_INCONCLUSIVE);
	/* Six-fold, far from 1, but not significant after the adjustment: not
	 * "no change" as it used to be (the vm_create). */
	CHECK_EQ_U64(vb_verdict_decide(0.169, 0.135, 0.212, 0.02, A, T), VB_VERDICT_INCONCLUSIVE);
	/* Smaller than the threshold but significant: no change when the
	 * interval fits the margin, inconclusive when it crosses its edge. */
	CHECK_EQ_U64(vb_verdict_decide(1.02, 1.01, 1.03, 1e-6, A, T), VB_VERDICT_NO_CHANGE);
	CHECK_EQ_U64(vb_verdict_decide(1.04, 1.01, 1.07, 1e-6, A, T), VB_VERDICT_INCONCLUSIVE);
	/* No interval (one sample a side): never no change. */
	CHECK_EQ_U64(vb_verdict_decide(1.0, NAN, NAN, 1, A, T), VB_VERDICT_INCONCLUSIVE);
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

	/* Pooled, ratio 1, se 0.05 at 100 samples a side: the 99 % half-width
	 * z(0.995) se sqrt(100/k) must fit ln 1.05: k = 100 (2.5758 * 0.05 /
	 * 0.04879)^2 = 696.8, so 697. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 100, 100, 0.5, 1, A, T, false), 697);
	/* Ratio 1.04, se 0.01: room ln 1.05 - ln 1.04 = 0.00957: 724.5, so 725. */
	CHECK_EQ_U64(vb_verdict_needed(1.04, 0.01, 100, 100, 0.5, 1, A, T, false), 725);
	/* Unequal sides count as their harmonic mean: 50 and 150 as 75. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 50, 150, 0.5, 1, A, T, false),
		     (size_t)ceil(75 * pow(2.5758293035489 * 0.05 / log(1.05), 2)));
	/* Rounds, ratio 0.5 beyond the margin, se 0.3 at 3 rounds, p 0.02
	 * adjusted to 0.04: significance at 0.01 * 0.02 / 0.04 = 0.005 with t
	 * at 2k - 2 df: the smallest such k. */
	k = vb_verdict_needed(0.5, 0.3, 3, 3, 0.02, 0.04, A, T, true);
	CHECK(k > 3 && k < 50);
	CHECK(decides(k, 0.3, 3, log(2), 0.005));
	CHECK(!decides(k - 1, 0.3, 3, log(2), 0.005));
	/* Never fewer than one more than measured. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, 1e-6, 100, 100, 0.5, 1, A, T, false), 101);
	/* On the margin (threshold 0, ratio 1): no number decides. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, 0.05, 10, 10, 1, 1, A, 0, false),
		     VB_NEEDED_UNREACHABLE);
	/* No spread known: 0. */
	CHECK_EQ_U64(vb_verdict_needed(1.0, NAN, 10, 10, 1, 1, A, T, false), 0);
}

int main(void)
{
	test_decide();
	test_needed();
	return vb_check_exit();
}
