/* Welch's t-test and the Student t distribution (welch.h). */
#include "welch.h"

#include <errno.h>
#include <float.h>
#include <math.h>

/* The continued fraction converges in a few dozen terms for the shapes
 * used here; the cap only stops a runaway on absurd arguments. */
#define CF_MAX_TERMS 10000
#define CF_EPS 1e-16
#define LENTZ_TINY 1e-300
#define QUANTILE_TOL 1e-13

/* lgamma() stores the sign of Γ in the global signgam, a data race when
 * two threads call it; lgamma_r() hands the sign back instead. */
static double log_gamma(double v)
{
	int sign;

	return lgamma_r(v, &sign);
}

/* A point of the incomplete beta function's domain: x, y = 1 - x and
 * their logs, each obtained by the caller without cancellation, and
 * without underflow where x^a itself is still a double (x = 1e-400 is
 * not, its square root is). */
struct beta_point {
	double x, y, log_x, log_y;
};

/* I_x(a, b) from its continued fraction:
 *
 *   I_x(a,b) = x^a y^b / (a B(a,b)) / (1 + d1/(1 + d2/(1 + ...)))
 *   d_2m+1 = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1))
 *   d_2m   =  m(b-m) x / ((a+2m-1)(a+2m))
 *
 * evaluated forwards by the modified Lentz method, which tracks the ratios
 * of successive convergents and so needs no term count fixed in advance.
 * It converges quickly only for x < (a+1)/(a+b+2): see inc_beta(). */
static double inc_beta_cf(double a, double b, struct beta_point p)
{
	double lbeta = log_gamma(a) + log_gamma(b) - log_gamma(a + b);
	double front = exp(a * p.log_x + b * p.log_y - lbeta) / a;
	double f = 1, c = 1, d = 0;

	if (front == 0) /* x == 0, or a tail beyond the smallest double */
		return 0;
	for (int j = 1; j <= CF_MAX_TERMS; j++) {
		double m = j / 2, dj, delta; /* m = floor(j/2), as the d_j need */

		if (j % 2)
			dj = -(a + m) * (a + b + m) * p.x / ((a + 2 * m) * (a + 2 * m + 1));
		else
			dj = m * (b - m) * p.x / ((a + 2 * m - 1) * (a + 2 * m));
		/* A zero denominator would end the recurrence; a tiny one
		 * lets it continue towards the right limit. */
		d = 1 + dj * d;
		if (fabs(d) < LENTZ_TINY)
			d = LENTZ_TINY;
		c = 1 + dj / c;
		if (fabs(c) < LENTZ_TINY)
			c = LENTZ_TINY;
		d = 1 / d;
		delta = c * d;
		f *= delta;
		if (fabs(delta - 1) < CF_EPS)
			break;
	}
	return front / f;
}

/* The regularized incomplete beta function I_x(a, b). Past the mean-ish
 * point the fraction for x converges slowly, that for 1 - x fast, and
 * I_x(a,b) = 1 - I_{1-x}(b,a); the result is then large, so the
 * subtraction costs no relative precision. */
static double inc_beta(double a, double b, struct beta_point p)
{
	if (p.x > (a + 1) / (a + b + 2))
		return 1 - inc_beta_cf(b, a, (struct beta_point){ p.y, p.x, p.log_y, p.log_x });
	return inc_beta_cf(a, b, p);
}

/* r = t² / df for t >= 0, with log r and log(1 + r): the t distribution
 * in the variable that keeps its tails. r overflows for heavy tails while
 * its logs, taken from t and df separately, stay finite. */
struct t_ratio {
	double r, log_r, log_1pr;
};

static struct t_ratio t_ratio(double t, double df)
{
	double s = t / sqrt(df); /* not t * t / df: t * t overflows first */
	struct t_ratio q = { .r = s * s };

	q.log_r = isinf(s) ? 2 * log(t) - log(df) : 2 * log(s);
	q.log_1pr = q.r > 1 ? q.log_r + log1p(1 / q.r) : log1p(q.r);
	return q;
}

/* P(T > t) for t >= 0, computed directly so that small upper tails keep
 * their relative precision (1 - cdf would not). With x = df / (df + t²),
 * P(|T| > t) = I_x(df/2, 1/2); x = 1 / (1 + r) and 1 - x = r / (1 + r),
 * their logs from log r, never from x, which underflows long before a
 * heavy tail does. */
static double t_upper(double t, double df)
{
	struct t_ratio q;

	if (isinf(df))
		return 0.5 * erfc(t / M_SQRT2);
	if (isinf(t))
		return 0;
	q = t_ratio(t, df);
	return 0.5 * inc_beta(df / 2, 0.5,
			      (struct beta_point){ 1 / (1 + q.r), 1 / (1 + 1 / q.r), -q.log_1pr,
						   q.log_r - q.log_1pr });
}

/* The log of the density: the density itself underflows far out in a
 * heavy tail (1 / (π t²) for df = 1) while the tail is still a double. */
static double t_log_pdf(double t, double df)
{
	if (isinf(df))
		return -t * t / 2 - 0.5 * log(2 * M_PI);
	return log_gamma((df + 1) / 2) - log_gamma(df / 2) - 0.5 * log(df * M_PI) -
	       (df + 1) / 2 * t_ratio(fabs(t), df).log_1pr;
}

double vb_t_cdf(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	return t < 0 ? t_upper(-t, df) : 1 - t_upper(t, df);
}

/* The t >= 0 with P(T > t) == q, 0 < q <= 1/2. Newton's method on
 * log P(T > t) - log q, not on the tail itself: the tail is convex and
 * falls over hundreds of decades (Newton on it crawls), its log is close
 * to straight. Every evaluation narrows a bracket, and a step that would
 * leave it bisects instead (heavy tails, underflow). */
static double t_upper_quantile(double q, double df)
{
	double lo = 0, hi = 1, t;

	if (q >= 0.5)
		return 0;
	while (t_upper(hi, df) > q) { /* the tail falls as t grows */
		lo = hi;
		hi *= 2;
		if (isinf(hi))
			return INFINITY;
	}
	t = hi;
	for (int i = 0; i < 200; i++) {
		double tail = t_upper(t, df), next;

		if (tail == q)
			return t;
		if (tail > q)
			lo = t;
		else
			hi = t;
		/* d/dt log P(T > t) = -pdf / tail */
		next = t + (log(tail) - log(q)) * exp(log(tail) - t_log_pdf(t, df));
		/* Converging quadratically, so a step this small leaves an
		 * error far smaller still; asking for less than the tail's
		 * own rounding noise (~1e-15) would never stop. */
		if (fabs(next - t) <= QUANTILE_TOL * t)
			return next;
		if (!(next > lo && next < hi)) /* also NAN, from a tail of 0 */
			next = lo + (hi - lo) / 2;
		if (hi - lo <= QUANTILE_TOL * hi)
			return next;
		t = next;
	}
	return t;
}

double vb_t_quantile(double p, double df)
{
	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	/* 1 - p is exact for p >= 1/2, so both halves reach the tail solver
	 * without rounding. */
	return p < 0.5 ? -t_upper_quantile(p, df) : t_upper_quantile(1 - p, df);
}

/* Mean and sample variance of @n >= 2 finite values. The values are
 * shifted by the first before summing: all-equal values (equal round
 * medians) then give exactly that value and exactly 0, which a plain sum
 * does not (0.1 + 0.1 + 0.1 != 0.3), and a large common offset costs no
 * precision in the variance. */
static void mean_var(const double *v, size_t n, double *mean, double *var)
{
	double sum = 0, ss = 0, m;

	for (size_t i = 1; i < n; i++)
		sum += v[i] - v[0];
	m = sum / (double)n;
	for (size_t i = 0; i < n; i++) {
		double dev = (v[i] - v[0]) - m;

		ss += dev * dev;
	}
	*mean = v[0] + m;
	*var = ss / (double)(n - 1);
}

static int all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

int vb_welch_test(const double *x, size_t nx, const double *y, size_t ny, double level,
		  struct vb_welch *out)
{
	double mx, my, vx, vy, s, diff, rx, ry, df, se, t, half;

	if (nx < 2 || ny < 2 || !(level > 0 && level < 1) || !all_finite(x, nx) ||
	    !all_finite(y, ny))
		return -EINVAL;
	mean_var(x, nx, &mx, &vx);
	mean_var(y, ny, &my, &vy);
	vx /= (double)nx; /* variances of the two means */
	vy /= (double)ny;
	s = vx + vy;
	diff = my - mx;
	if (!isfinite(s) || !isfinite(diff))
		return -ERANGE;
	if (s == 0) { /* no spread on either side: diff is known exactly */
		*out = (struct vb_welch){
			.diff = diff, .df = (double)(nx + ny - 2),
			.t = diff == 0 ? 0 : copysign(INFINITY, diff), .p = diff == 0 ? 1 : 0,
			.lo = diff, .hi = diff,
		};
		return 0;
	}
	/* Satterthwaite's (vx+vy)² / (vx²/(nx-1) + vy²/(ny-1)) on the shares
	 * of s, so tiny variances cannot underflow when squared. */
	rx = vx / s;
	ry = vy / s;
	df = 1 / (rx * rx / (double)(nx - 1) + ry * ry / (double)(ny - 1));
	se = sqrt(s);
	t = diff / se;
	half = t_upper_quantile((1 - level) / 2, df) * se;
	*out = (struct vb_welch){
		.diff = diff, .se = se, .df = df, .t = t,
		.p = fmin(1, 2 * t_upper(fabs(t), df)),
		.lo = diff - half, .hi = diff + half,
	};
	return 0;
}
