/* Trace attribution (attrib.h): both sides sorted by (tid, time), then
 * merged thread by thread with a binary search per event. */
#include "attrib.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

/* How far back to look for a window that contains an event but started
 * before the latest-starting one: phases nest at most one level deep
 * (guest_load around its writes), a few steps cover it with room. */
#define NEST_LOOKBACK 8

static const struct vb_window *sort_w;
static const struct vb_tevent *sort_e;

/* qsort has no context argument in C11; these run single-threaded. */
static int cmp_window(const void *a, const void *b)
{
	const struct vb_window *x = &sort_w[*(const size_t *)a], *y = &sort_w[*(const size_t *)b];

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

static int cmp_event(const void *a, const void *b)
{
	const struct vb_tevent *x = &sort_e[*(const size_t *)a], *y = &sort_e[*(const size_t *)b];

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

static size_t *sorted_index(size_t n, int (*cmp)(const void *, const void *))
{
	size_t *idx = malloc((n ? n : 1) * sizeof(*idx));

	if (!idx)
		return NULL;
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort(idx, n, sizeof(*idx), cmp);
	return idx;
}

/* The thread's windows are wi[lo..hi); find where @ts belongs. */
static struct vb_attribution place(const struct vb_window *w, const size_t *wi, size_t lo,
				   size_t hi, uint64_t ts)
{
	size_t a = lo, b = hi; /* first window starting after ts: a */
	int64_t prev = -1;
	uint64_t prev_end = 0;

	while (a < b) {
		size_t m = a + (b - a) / 2;

		if (w[wi[m]].start <= ts)
			a = m + 1;
		else
			b = m;
	}
	for (size_t k = a, steps = 0; k > lo && steps < NEST_LOOKBACK; k--, steps++) {
		const struct vb_window *c = &w[wi[k - 1]];

		if (c->end >= ts)
			return (struct vb_attribution){ (int64_t)wi[k - 1], VB_PLACE_INSIDE };
		if (prev < 0 || c->end > prev_end) {
			prev = (int64_t)wi[k - 1];
			prev_end = c->end;
		}
	}
	return (struct vb_attribution){ prev, VB_PLACE_BETWEEN };
}

/* One thread's events ei[elo..ehi) against its windows wi[wlo..whi). */
static void attribute_thread(const struct vb_window *w, const size_t *wi, size_t wlo, size_t whi,
			     const struct vb_tevent *ev, const size_t *ei, size_t elo, size_t ehi,
			     struct vb_attribution *out, uint64_t *kernel_ns)
{
	bool in_ioctl = false;
	uint64_t enter = 0;
	struct vb_attribution at_enter = { -1, VB_PLACE_NONE };

	for (size_t k = elo; k < ehi; k++) {
		const struct vb_tevent *e = &ev[ei[k]];
		struct vb_attribution a = { -1, VB_PLACE_NONE };

		if (wlo < whi)
			a = place(w, wi, wlo, whi, e->ts);
		out[ei[k]] = a;
		if (e->kind == VB_EVENT_IOCTL_ENTER) {
			in_ioctl = true;
			enter = e->ts;
			at_enter = a;
		} else if (e->kind == VB_EVENT_IOCTL_EXIT && in_ioctl) {
			in_ioctl = false;
			if (at_enter.place == VB_PLACE_INSIDE && a.place == VB_PLACE_INSIDE &&
			    at_enter.window == a.window) {
				uint64_t *k_ns = &kernel_ns[a.window];

				*k_ns = (*k_ns == VB_ATTRIB_NONE ? 0 : *k_ns) + (e->ts - enter);
			}
		}
	}
}

int vb_attrib_run(const struct vb_window *w, size_t nw, const struct vb_tevent *ev, size_t ne,
		  struct vb_attribution *out, uint64_t *kernel_ns)
{
	size_t *wi, *ei, wlo = 0, elo = 0;

	sort_w = w;
	sort_e = ev;
	wi = sorted_index(nw, cmp_window);
	ei = sorted_index(ne, cmp_event);
	if (!wi || !ei) {
		free(wi);
		free(ei);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nw; i++)
		kernel_ns[i] = VB_ATTRIB_NONE;
	while (elo < ne) {
		int32_t tid = ev[ei[elo]].tid;
		size_t ehi = elo, whi;

		while (ehi < ne && ev[ei[ehi]].tid == tid)
			ehi++;
		while (wlo < nw && w[wi[wlo]].tid < tid)
			wlo++;
		whi = wlo;
		while (whi < nw && w[wi[whi]].tid == tid)
			whi++;
		attribute_thread(w, wi, wlo, whi, ev, ei, elo, ehi, out, kernel_ns);
		elo = ehi;
		wlo = whi;
	}
	free(wi);
	free(ei);
	return 0;
}
