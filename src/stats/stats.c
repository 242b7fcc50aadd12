/* Descriptive statistics of stats.h. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int vb_u64vec_reserve(struct vb_u64vec *vec, size_t cap)
{
	uint64_t *v;

	if (cap <= vec->cap)
		return 0;
	v = realloc(vec->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	vec->v = v;
	vec->cap = cap;
	return 0;
}

int vb_u64vec_push(struct vb_u64vec *vec, uint64_t x)
{
	if (vec->n == vec->cap && vb_u64vec_reserve(vec, vec->cap ? 2 * vec->cap : 64))
		return -ENOMEM;
	vec->v[vec->n++] = x;
	return 0;
}

int vb_u64vec_append(struct vb_u64vec *vec, const struct vb_u64vec *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (vb_u64vec_push(vec, src->v[i]))
			return -ENOMEM;
	return 0;
}

void vb_u64vec_release(struct vb_u64vec *vec)
{
	free(vec->v);
	*vec = (struct vb_u64vec){ 0 };
}

/* LSD radix sort, 16 bits per pass, skipping passes where every key has the
 * same digit: nanosecond samples rarely use more than 40 bits, so this is
 * 2-3 linear passes where qsort() would do n log n indirect compares (a
 * million-row report sorts in milliseconds). Falls back to qsort() only
 * when the scratch buffer cannot be allocated. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void vb_stats_sort(uint64_t *v, size_t n)
{
	enum { BITS = 16, BUCKETS = 1 << BITS };
	uint64_t *tmp, *src = v, *dst, all_or = 0, all_and = UINT64_MAX;
	size_t *count;

	if (n < 2) /* nothing to order; an empty vector may have no buffer at all */
		return;
	if (n < 256) {
		qsort(v, n, sizeof(*v), cmp_u64);
		return;
	}
	tmp = malloc(n * sizeof(*v));
	count = malloc(BUCKETS * sizeof(*count));
	if (!tmp || !count) {
		free(tmp);
		free(count);
		qsort(v, n, sizeof(*v), cmp_u64);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		all_or |= v[i];
		all_and &= v[i];
	}
	dst = tmp;
	for (unsigned shift = 0; shift < 64; shift += BITS) {
		size_t sum = 0;

		if ((((all_or ^ all_and) >> shift) & (BUCKETS - 1)) == 0)
			continue; /* every key has the same digit here */
		memset(count, 0, BUCKETS * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[(src[i] >> shift) & (BUCKETS - 1)]++;
		for (size_t b = 0; b < BUCKETS; b++) {
			size_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & (BUCKETS - 1)]++] = src[i];
		uint64_t *t = src;

		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	free(count);
}

uint64_t vb_stats_percentile(const uint64_t *sorted, size_t n, double p)
{
	double h = (double)(n - 1) * p, lo = floor(h);
	size_t i = (size_t)lo;

	if (i + 1 >= n)
		return sorted[n - 1];
	/* Interpolate on the difference, exact for large nanosecond values. */
	return sorted[i] + (uint64_t)llround((h - lo) * (double)(sorted[i + 1] - sorted[i]));
}

void vb_stats_summarize(uint64_t *v, size_t n, struct vb_summary *out)
{
	double mean = 0, m2 = 0;

	*out = (struct vb_summary){ .n = n };
	if (!n)
		return;
	vb_stats_sort(v, n);
	/* Welford: no catastrophic cancellation for large, close values. */
	for (size_t i = 0; i < n; i++) {
		double d = (double)v[i] - mean;

		mean += d / (double)(i + 1);
		m2 += d * ((double)v[i] - mean);
	}
	out->min = v[0];
	out->max = v[n - 1];
	out->p50 = vb_stats_percentile(v, n, 0.50);
	out->p90 = vb_stats_percentile(v, n, 0.90);
	out->p99 = vb_stats_percentile(v, n, 0.99);
	out->p999 = vb_stats_percentile(v, n, 0.999);
	out->mean = mean;
	out->stddev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0;
}

uint64_t vb_stats_median_of(struct vb_u64vec *vec)
{
	vb_stats_sort(vec->v, vec->n);
	return vb_stats_percentile(vec->v, vec->n, 0.5);
}
