/* Descriptive statistics over nanosecond samples. Pure; no I/O.
 *
 * Percentiles use linear interpolation between closest ranks (Hyndman &
 * Fan type 7, the default of R, NumPy and Excel's PERCENTILE.INC):
 * h = (n - 1) * p, result = x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)]),
 * rounded to the nearest nanosecond. */
#ifndef VB_STATS_H
#define VB_STATS_H

#include <stddef.h>
#include <stdint.h>

struct vb_summary {
	size_t n;
	uint64_t min, p50, p90, p99, p999, max; /* ns */
	double mean, stddev;                    /* ns; stddev is the sample (n-1) one, 0 for n < 2 */
};

/* A growable array of samples. Zero-initialised is empty and valid. */
struct vb_u64vec {
	uint64_t *v;
	size_t n, cap;
};

/* Room for @cap samples without a further allocation; 0 or -ENOMEM (the
 * vector is unchanged then). Lets a thread take memory for another one. */
int vb_u64vec_reserve(struct vb_u64vec *vec, size_t cap);
/* Append @x; 0 or -ENOMEM (the vector is unchanged then). */
int vb_u64vec_push(struct vb_u64vec *vec, uint64_t x);
/* Append every sample of @src; 0 or -ENOMEM (then @vec may hold part of it). */
int vb_u64vec_append(struct vb_u64vec *vec, const struct vb_u64vec *src);
void vb_u64vec_release(struct vb_u64vec *vec);

/* Sort @v ascending in place. */
void vb_stats_sort(uint64_t *v, size_t n);

/* Percentile @p (0..1) of ascending @sorted (n >= 1), type 7, rounded. */
uint64_t vb_stats_percentile(const uint64_t *sorted, size_t n, double p);

/* Summarise @n samples, sorting @v in place. n == 0 gives an all-zero summary. */
void vb_stats_summarize(uint64_t *v, size_t n, struct vb_summary *out);

/* The median of @vec (n >= 1), sorting it in place. */
uint64_t vb_stats_median_of(struct vb_u64vec *vec);

#endif
