#include "clock.h"

#include <stdlib.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

uint64_t vb_clock_cost_ns(unsigned samples)
{
	uint64_t *d = malloc(sizeof(*d) * (samples ? samples : 1));
	uint64_t med;

	if (!d)
		return 0;
	if (samples == 0)
		samples = 1;
	for (unsigned i = 0; i < samples; i++) {
		uint64_t a = vb_clock_now();
		uint64_t b = vb_clock_now();

		d[i] = b - a;
	}
	qsort(d, samples, sizeof(*d), cmp_u64);
	med = d[samples / 2];
	free(d);
	return med;
}
