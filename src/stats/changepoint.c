/* E-Divisive means change points (changepoint.h). */
#include "changepoint.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "bootstrap.h"

/* Scratch for one segment, sized for the whole series so every segment and
 * every permutation reuses it. A permutation moves values with their ranks,
 * so the sorted values and their prefix sums hold for all of them. */
struct cp_work {
	const double *x;
	size_t n;
	const struct vb_cp_options *opt;
	struct vb_rng rng;
	double *y;   /* the segment's values, in (permuted) order */
	size_t *rk;  /* rank of y[i] among them, ties broken by position */
	double *pre; /* pre[r] = sum of the r smallest; len + 1 entries */
	double *fsum; /* Fenwick tree over ranks: sum of values in A */
	size_t *fcnt; /* and their count */
	struct rv {
		double v;
		size_t i;
	} *sorted;
	double wall; /* sum over all pairs of |y_i - y_j| */
	size_t len;
};

static int cmp_rv(const void *a, const void *b)
{
	const struct rv *p = a, *q = b;

	if (p->v != q->v)
		return p->v < q->v ? -1 : 1;
	return (p->i > q->i) - (p->i < q->i);
}

static void segment_load(struct cp_work *w, size_t start, size_t len)
{
	w->len = len;
	for (size_t i = 0; i < len; i++) {
		w->y[i] = w->x[start + i];
		w->sorted[i] = (struct rv){ w->y[i], i };
	}
	qsort(w->sorted, len, sizeof(*w->sorted), cmp_rv);
	w->pre[0] = 0;
	w->wall = 0;
	for (size_t r = 0; r < len; r++) {
		double v = w->sorted[r].v;

		w->rk[w->sorted[r].i] = r;
		w->pre[r + 1] = w->pre[r] + v;
		/* v is the larger of r pairs and the smaller of len - 1 - r. */
		w->wall += v * ((double)r - (double)(len - 1 - r));
	}
}

static void fenwick_add(struct cp_work *w, size_t r, double v)
{
	for (size_t i = r + 1; i <= w->len; i += i & -i) {
		w->fsum[i] += v;
		w->fcnt[i]++;
	}
}

/* Sum and count of the values in A of rank < r. */
static void fenwick_below(const struct cp_work *w, size_t r, double *sum, size_t *cnt)
{
	*sum = 0;
	*cnt = 0;
	for (size_t i = r; i > 0; i -= i & -i) {
		*sum += w->fsum[i];
		*cnt += w->fcnt[i];
	}
}

static double divergence(double between, double wa, double wb, size_t m, size_t k)
{
	double dm = (double)m, dk = (double)k;
	double e = 2 * between / (dm * dk);

	if (m > 1)
		e -= wa * 2 / (dm * (dm - 1));
	if (k > 1)
		e -= wb * 2 / (dk * (dk - 1));
	return dm * dk / (dm + dk) * e;
}

/* Q of the loaded segment, in its current order, at split @fixed if not 0,
 * else its greatest over the admissible splits (into *@tau). Moving y[t]
 * from B to A changes the within and between sums by its distances to the
 * rest of A and of B, which ranks and prefix sums give in O(log n). */
static double segment_scan(struct cp_work *w, size_t fixed, size_t *tau)
{
	size_t len = w->len, ms = w->opt->min_segment;
	double wa = 0, wb = w->wall, between = 0, suma = 0, best = -INFINITY;

	for (size_t i = 0; i <= len; i++) {
		w->fsum[i] = 0;
		w->fcnt[i] = 0;
	}
	for (size_t t = 0; t + 1 < len; t++) {
		double v = w->y[t], sl, row, da;
		size_t r = w->rk[t], cl, m = t + 1;

		row = (double)r * v - w->pre[r] + (w->pre[len] - w->pre[r + 1]) -
		      (double)(len - 1 - r) * v;
		fenwick_below(w, r, &sl, &cl);
		da = ((double)cl * v - sl) + ((suma - sl) - (double)(t - cl) * v);
		wa += da;
		wb -= row - da;
		between += row - 2 * da;
		fenwick_add(w, r, v);
		suma += v;
		if (m < ms || len - m < ms || (fixed && m != fixed))
			continue;
		double q = divergence(between, wa, wb, m, len - m);

		if (q > best) {
			best = q;
			if (tau)
				*tau = m;
		}
		if (fixed)
			break;
	}
	return best;
}

/* Fisher-Yates, moving each rank with its value. */
static void segment_shuffle(struct cp_work *w)
{
	for (size_t i = w->len - 1; i > 0; i--) {
		size_t j = (size_t)(vb_rng_next(&w->rng) % (i + 1)), r = w->rk[i];
		double v = w->y[i];

		w->y[i] = w->y[j];
		w->y[j] = v;
		w->rk[i] = w->rk[j];
		w->rk[j] = r;
	}
}

/* p-value of the segment [start, start + len): Q at @fixed (or its best if
 * 0) against the best Q of each permutation of its values. */
static double segment_pvalue(struct cp_work *w, size_t start, size_t len, size_t fixed)
{
	unsigned perms = w->opt->permutations, ge = 0;
	double obs;

	segment_load(w, start, len);
	obs = segment_scan(w, fixed, NULL);
	/* Rounding must not make a permutation of a flat series "less". */
	obs -= 1e-12 * fabs(obs);
	for (unsigned p = 0; p < perms; p++) {
		segment_shuffle(w);
		if (segment_scan(w, 0, NULL) >= obs)
			ge++;
	}
	return (1.0 + ge) / (1.0 + perms);
}

/* Bounds b[0] = 0 < ... < b[nb - 1] = n of the current segments. */
struct cp_bounds {
	size_t *b;
	size_t nb;
};

static void bounds_insert(struct cp_bounds *s, size_t at, size_t v)
{
	for (size_t i = s->nb; i > at; i--)
		s->b[i] = s->b[i - 1];
	s->b[at] = v;
	s->nb++;
}

static void bounds_remove(struct cp_bounds *s, size_t at)
{
	for (size_t i = at; i + 1 < s->nb; i++)
		s->b[i] = s->b[i + 1];
	s->nb--;
}

/* Hierarchical bisection: test the best split of every segment and take
 * the most significant (the greater Q among equals), while there is one.
 * Matteson & James test only the split of greatest Q, but Q grows with a
 * segment's length, so a long quiet segment would hide a clear step in a
 * short one; in a series without a point there is one segment, one test,
 * so testing each does not raise the false-positive rate of the first. */
static void bisect(struct cp_work *w, struct cp_bounds *s)
{
	for (;;) {
		size_t seg = 0, tau = 0, min = 2 * w->opt->min_segment;
		double best = -INFINITY, pbest = 2;

		for (size_t i = 0; i + 1 < s->nb; i++) {
			size_t len = s->b[i + 1] - s->b[i], t = 0;
			double q, p;

			if (len < min)
				continue;
			segment_load(w, s->b[i], len);
			q = segment_scan(w, 0, &t);
			if (!(q > 0))
				continue;
			p = segment_pvalue(w, s->b[i], len, 0);
			if (p < pbest || (p == pbest && q > best)) {
				pbest = p;
				best = q;
				seg = i;
				tau = t;
			}
		}
		if (pbest > w->opt->alpha_sig)
			return;
		bounds_insert(s, seg + 1, s->b[seg] + tau);
	}
}

/* Re-test each point between its neighbours into p[]; drop the least
 * significant while it is not significant (Hunter's refinement). */
static void refine(struct cp_work *w, struct cp_bounds *s, double *p)
{
	while (s->nb > 2) {
		size_t worst = 0;
		double pmax = -1;

		for (size_t j = 1; j + 1 < s->nb; j++) {
			p[j] = segment_pvalue(w, s->b[j - 1], s->b[j + 1] - s->b[j - 1],
					      s->b[j] - s->b[j - 1]);
			if (p[j] > pmax) {
				pmax = p[j];
				worst = j;
			}
		}
		if (pmax <= w->opt->alpha_sig)
			return;
		bounds_remove(s, worst);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Mean and median of x[start, end), sorting a copy in w->y. */
static void segment_centre(struct cp_work *w, size_t start, size_t end, double *mean,
			   double *median)
{
	size_t len = end - start;
	double sum = 0;

	for (size_t i = 0; i < len; i++) {
		w->y[i] = w->x[start + i];
		sum += w->y[i];
	}
	qsort(w->y, len, sizeof(*w->y), cmp_double);
	*mean = sum / (double)len;
	*median = len % 2 ? w->y[len / 2] : (w->y[len / 2 - 1] + w->y[len / 2]) / 2;
}

static double relative(double before, double after)
{
	if (before != 0)
		return (after - before) / fabs(before);
	if (after == before)
		return 0;
	return after > 0 ? INFINITY : -INFINITY;
}

static void describe(struct cp_work *w, const struct cp_bounds *s, size_t j,
		     struct vb_changepoint *cp)
{
	segment_centre(w, s->b[j - 1], s->b[j], &cp->mean_before, &cp->median_before);
	segment_centre(w, s->b[j], s->b[j + 1], &cp->mean_after, &cp->median_after);
	cp->index = s->b[j];
	cp->rel_change = relative(cp->median_before, cp->median_after);
}

/* Refine, then drop the point of least magnitude below the minimum, until
 * every point is both significant and large enough (Otava's filter). */
static void filter(struct cp_work *w, struct cp_bounds *s, double *p, struct vb_changepoint *cp)
{
	for (;;) {
		size_t weakest = 0;
		double least = INFINITY;

		refine(w, s, p);
		for (size_t j = 1; j + 1 < s->nb; j++) {
			describe(w, s, j, &cp[j - 1]);
			cp[j - 1].p_value = p[j];
			if (fabs(cp[j - 1].rel_change) < least) {
				least = fabs(cp[j - 1].rel_change);
				weakest = j;
			}
		}
		if (!weakest || least >= w->opt->min_magnitude)
			return;
		bounds_remove(s, weakest);
	}
}

static int options_valid(const struct vb_cp_options *o)
{
	return o->alpha_sig > 0 && o->alpha_sig < 1 && o->min_magnitude >= 0 &&
	       o->permutations >= 1 && o->min_segment >= 1;
}

void vb_cp_options_default(struct vb_cp_options *o)
{
	*o = (struct vb_cp_options){
		.alpha_sig = VB_CP_ALPHA_SIG,
		.min_magnitude = VB_CP_MIN_MAGNITUDE,
		.permutations = VB_CP_PERMUTATIONS,
		.seed = VB_CP_SEED,
		.min_segment = VB_CP_MIN_SEGMENT,
	};
}

static int work_alloc(struct cp_work *w, size_t n)
{
	w->y = malloc(n * sizeof(*w->y));
	w->rk = malloc(n * sizeof(*w->rk));
	w->pre = malloc((n + 1) * sizeof(*w->pre));
	w->fsum = malloc((n + 1) * sizeof(*w->fsum));
	w->fcnt = malloc((n + 1) * sizeof(*w->fcnt));
	w->sorted = malloc(n * sizeof(*w->sorted));
	return w->y && w->rk && w->pre && w->fsum && w->fcnt && w->sorted ? 0 : -ENOMEM;
}

static void work_release(struct cp_work *w)
{
	free(w->y);
	free(w->rk);
	free(w->pre);
	free(w->fsum);
	free(w->fcnt);
	free(w->sorted);
}

/* The search proper, for n >= 2 * min_segment. */
static int find(struct cp_work *w, struct vb_changepoint **out, size_t *count)
{
	size_t n = w->n;
	struct cp_bounds s = { .b = malloc((n + 1) * sizeof(*s.b)), .nb = 2 };
	double *p = malloc((n + 1) * sizeof(*p));
	struct vb_changepoint *cp = malloc(n * sizeof(*cp));
	int err = -ENOMEM;

	if (!s.b || !p || !cp || work_alloc(w, n))
		goto out;
	s.b[0] = 0;
	s.b[1] = n;
	bisect(w, &s);
	filter(w, &s, p, cp);
	*count = s.nb - 2;
	if (*count) {
		*out = cp;
		cp = NULL;
	}
	err = 0;
out:
	work_release(w);
	free(cp);
	free(p);
	free(s.b);
	return err;
}

int vb_changepoints_find(const double *x, size_t n, const struct vb_cp_options *opt,
			 struct vb_changepoint **out, size_t *count)
{
	struct vb_cp_options def;
	struct cp_work w = { 0 };

	if (!out || !count || (!x && n))
		return -EINVAL;
	if (!opt) {
		vb_cp_options_default(&def);
		opt = &def;
	}
	if (!options_valid(opt))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	*out = NULL;
	*count = 0;
	if (n < 2 * opt->min_segment)
		return 0;
	w.x = x;
	w.n = n;
	w.opt = opt;
	vb_rng_seed(&w.rng, opt->seed);
	return find(&w, out, count);
}

void vb_changepoints_free(struct vb_changepoint *cp)
{
	free(cp);
}
