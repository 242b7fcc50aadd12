/* Statistics against values computed independently (by hand and with
 * NumPy's default, type-7, percentile). */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "stats.h"

static void test_percentile_known(void)
{
	/* numpy.percentile([15, 20, 35, 40, 50], [0,40,50,90,100]) =
	 * 15, 29, 35, 46, 50 (type 7). */
	uint64_t v[] = { 15, 20, 35, 40, 50 };

	CHECK_EQ_U64(vb_stats_percentile(v, 5, 0.0), 15);
	CHECK_EQ_U64(vb_stats_percentile(v, 5, 0.4), 29);
	CHECK_EQ_U64(vb_stats_percentile(v, 5, 0.5), 35);
	CHECK_EQ_U64(vb_stats_percentile(v, 5, 0.9), 46);
	CHECK_EQ_U64(vb_stats_percentile(v, 5, 1.0), 50);
	/* Interpolation rounds to the nearest ns: median of 1,2 is 1.5 -> 2. */
	uint64_t w[] = { 1, 2 };

	CHECK_EQ_U64(vb_stats_percentile(w, 2, 0.5), 2);
	CHECK_EQ_U64(vb_stats_percentile(w, 1, 0.99), 1);
	/* Large values: no loss of precision from doubles. */
	uint64_t big[] = { 1000000000000000001ull, 1000000000000000003ull };

	CHECK_EQ_U64(vb_stats_percentile(big, 2, 0.5), 1000000000000000002ull);
}

static void test_summary_known(void)
{
	/* 1..1000 shuffled: p50 500.5 -> 501 (round half away from zero),
	 * p90 = 900.1 -> 900, p99 = 990.01 -> 990, p99.9 = 999.001 -> 999,
	 * mean 500.5, sample stddev sqrt(1000*1001/12) = 288.8194361. */
	uint64_t v[1000];
	struct vb_summary s;

	for (size_t i = 0; i < 1000; i++)
		v[i] = (i * 7919) % 1000 + 1; /* a permutation of 1..1000 */
	vb_stats_summarize(v, 1000, &s);
	CHECK_EQ_U64(s.n, 1000);
	CHECK_EQ_U64(s.min, 1);
	CHECK_EQ_U64(s.max, 1000);
	CHECK_EQ_U64(s.p50, 501);
	CHECK_EQ_U64(s.p90, 900);
	CHECK_EQ_U64(s.p99, 990);
	CHECK_EQ_U64(s.p999, 999);
	CHECK(fabs(s.mean - 500.5) < 1e-9);
	CHECK(fabs(s.stddev - 288.8194360957494) < 1e-6);
	for (size_t i = 0; i < 1000; i++)
		CHECK_EQ_U64(v[i], i + 1); /* sorted in place */
}

static void test_summary_edges(void)
{
	uint64_t one[] = { 42 };
	struct vb_summary s;

	vb_stats_summarize(one, 0, &s);
	CHECK_EQ_U64(s.n, 0);
	CHECK_EQ_U64(s.max, 0);
	vb_stats_summarize(one, 1, &s);
	CHECK_EQ_U64(s.p50, 42);
	CHECK_EQ_U64(s.p999, 42);
	CHECK(s.stddev == 0);
	/* Close, large values: Welford keeps the variance exact enough. */
	uint64_t close_[] = { 4000000000000001ull, 4000000000000003ull, 4000000000000005ull };

	vb_stats_summarize(close_, 3, &s);
	CHECK(fabs(s.stddev - 2.0) < 1e-3);
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The radix sort against qsort on random data of several shapes. */
static void test_sort_random(void)
{
	static const uint64_t masks[] = { 0xff, 0xfffffffff, UINT64_MAX, 0xffff0000 };
	size_t n = 100003;
	uint64_t *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
	uint64_t x = 88172645463325252ull;

	CHECK(a && b);
	for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			a[i] = b[i] = x & masks[m];
		}
		vb_stats_sort(a, n);
		qsort(b, n, sizeof(*b), cmp);
		CHECK(memcmp(a, b, n * sizeof(*a)) == 0);
	}
	free(a);
	free(b);
}

static void test_vec(void)
{
	struct vb_u64vec v = { 0 };

	for (uint64_t i = 0; i < 1000; i++)
		CHECK(vb_u64vec_push(&v, i) == 0);
	CHECK_EQ_U64(v.n, 1000);
	CHECK_EQ_U64(v.v[999], 999);
	vb_u64vec_release(&v);
	CHECK(v.v == NULL && v.n == 0);

	/* reserve: room without pushing; never shrinks; push uses the room */
	CHECK(vb_u64vec_reserve(&v, 3) == 0);
	CHECK(v.cap == 3 && v.n == 0 && v.v != NULL);
	CHECK(vb_u64vec_reserve(&v, 2) == 0 && v.cap == 3);
	for (uint64_t i = 0; i < 4; i++)
		CHECK(vb_u64vec_push(&v, i) == 0);
	CHECK(v.n == 4 && v.cap == 6 && v.v[3] == 3);
	vb_u64vec_release(&v);
}

int main(void)
{
	test_percentile_known();
	test_summary_known();
	test_summary_edges();
	test_sort_random();
	test_vec();
	return vb_check_exit();
}
