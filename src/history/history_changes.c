/* Change points of each history series: the detector (stats/changepoint.c)
 * over the runs' p50s in start-time order. The p50 is the series because a
 * run's median is what one run says reliably; its p99 moves with a single
 * hiccup of the host. */
#include <errno.h>
#include <stdlib.h>

#include "changepoint.h"
#include "history.h"

static int detect_series(struct vb_history_series *s, const struct vb_cp_options *opt)
{
	struct vb_changepoint *cp = NULL;
	size_t count = 0;
	double *x;
	int rc;

	free(s->changes);
	s->changes = NULL;
	s->nchanges = 0;
	if (!s->n)
		return 0;
	x = malloc(s->n * sizeof(*x));
	if (!x)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		x[i] = s->points[i].p50;
	rc = vb_changepoints_find(x, s->n, opt, &cp, &count);
	free(x);
	if (rc < 0 || !count)
		return rc;
	s->changes = calloc(count, sizeof(*s->changes));
	if (!s->changes) {
		vb_changepoints_free(cp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < count; i++)
		s->changes[i] = (struct vb_history_change){ .at = cp[i].index,
							    .before = cp[i].median_before,
							    .after = cp[i].median_after,
							    .rel_change = cp[i].rel_change,
							    .p_value = cp[i].p_value };
	s->nchanges = count;
	vb_changepoints_free(cp);
	return 0;
}

int vb_history_detect(struct vb_history *h, const struct vb_cp_options *opt)
{
	for (int i = 0; i < VB_PHASE_COUNT; i++) {
		int rc = detect_series(&h->series[i], opt);

		if (rc < 0)
			return rc;
	}
	return 0;
}
