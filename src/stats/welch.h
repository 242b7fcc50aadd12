/* Welch's unequal-variance t-test of two small samples, and the Student t
 * distribution it needs. Pure; no I/O; safe to call from any thread.
 *
 * `vcpubench compare` uses it when each side has several rounds, i.e.
 * independent runs of the same configuration. The samples within a round
 * share that round's host state (frequency, placement, neighbours), so
 * they are not independent replicates; the rounds are. Each value here is
 * therefore the log of one round's median, one value per round. The
 * difference of the means is then a log ratio, and exp() of its
 * confidence interval is an interval for the ratio of the geometric means
 * of the round medians, y's over x's. Welch's
 * form, because nothing says both sides vary alike, and the t
 * distribution, because a handful of rounds is far from the normal limit.
 *
 * The t distribution is computed through the regularized incomplete beta
 * function, tails included to about 1e-13 relative up to df = 100, 1e-12
 * at df = 1e4 and 1e-10 at df = 1e6, where the rounding of lgamma at
 * large arguments takes over. Welch's df here is at most nx + ny - 2. */
#ifndef VB_WELCH_H
#define VB_WELCH_H

#include <stddef.h>

struct vb_welch {
	double diff;   /* mean(y) - mean(x) */
	double se;     /* standard error of diff: sqrt(sx²/nx + sy²/ny), sample variances (n-1) */
	double df;     /* Welch–Satterthwaite degrees of freedom */
	double t;      /* diff / se (±INFINITY or 0 when se == 0, see below) */
	double p;      /* two-sided p-value */
	double lo, hi; /* confidence interval of diff at the requested level */
};

/* Test @y (@ny values) against @x (@nx values) and fill @out, with an
 * interval at confidence @level (e.g. 0.95).
 *
 * When neither side varies at all (se == 0, as happens with equal
 * nanosecond medians), df = nx + ny - 2 and the result is a certainty:
 * diff == 0 gives t = 0, p = 1, lo = hi = 0; any other diff gives
 * t = ±INFINITY, p = 0, lo = hi = diff. One side without variance is not
 * special: its Satterthwaite term is simply 0.
 *
 * 0, or -EINVAL when nx < 2 or ny < 2, level not in (0,1), or a value is
 * not finite; -ERANGE when the values are so large (near DBL_MAX) that
 * their mean or variance overflows. @out is written only on success. */
int vb_welch_test(const double *x, size_t nx, const double *y, size_t ny, double level,
		  struct vb_welch *out);

/* Student t cumulative distribution P(T <= t) with df > 0 degrees of
 * freedom (df may be fractional; INFINITY gives the normal limit). NAN for
 * df <= 0 or a NAN argument. */
double vb_t_cdf(double t, double df);

/* Its inverse: the t with vb_t_cdf(t, df) == p, for 0 < p < 1 (NAN
 * otherwise, or for df <= 0). ±INFINITY when |t| would pass 2^1023, as it
 * can for df below 1 and p near the edge of the doubles. */
double vb_t_quantile(double p, double df);

#endif
