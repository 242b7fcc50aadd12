/* Loading the history model from the database. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "run_config.h"

struct load_state {
	const struct vb_history_filter *f;
	struct vb_history *h;
	int rc;
};

static int wanted(const struct vb_history_filter *f, const char *phase)
{
	if (!f->phases)
		return 1;
	for (size_t i = 0; i < f->nphases; i++)
		if (strcmp(f->phases[i], phase) == 0)
			return 1;
	return 0;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* Columns: phase, run_id, started_utc, host, kernel, tool_version, n, p50, p99. */
static int add_row(void *arg, size_t ncols, const char *const *v)
{
	struct load_state *ls = arg;
	struct vb_history_series *s;
	struct vb_history_point *pt;
	enum vb_phase ph;

	if (ncols < 9 || !v[0])
		return 0;
	ph = vb_phase_from_name(v[0]);
	if (ph == VB_PHASE_COUNT || !wanted(ls->f, v[0]) || !v[7])
		return 0; /* a phase of a newer tool, or filtered out, or no ok sample */
	s = &ls->h->series[ph];
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		void *p = realloc(s->points, cap * sizeof(*s->points));

		if (!p) {
			ls->rc = -ENOMEM;
			return 1;
		}
		s->points = p;
		s->cap = cap;
	}
	pt = &s->points[s->n];
	memset(pt, 0, sizeof(*pt));
	pt->run_id = dup_or_empty(v[1]);
	pt->started_utc = dup_or_empty(v[2]);
	pt->host = dup_or_empty(v[3]);
	pt->kernel = dup_or_empty(v[4]);
	pt->version = dup_or_empty(v[5]);
	pt->n = v[6] ? strtoull(v[6], NULL, 10) : 0;
	pt->p50 = strtod(v[7], NULL);
	pt->p99 = v[8] ? strtod(v[8], NULL) : pt->p50;
	s->n++;
	if (!pt->run_id || !pt->started_utc || !pt->host || !pt->kernel || !pt->version) {
		ls->rc = -ENOMEM;
		return 1;
	}
	return 0;
}

/* Each --where key must be one some run has: a misspelt key would
 * otherwise match nothing, silently. */
static int check_keys(struct vb_db *db, const struct vb_history_filter *f)
{
	for (size_t i = 0; i < f->nwhere; i++) {
		int known, rc = vb_run_config_known(db, f->where[i].key, &known);

		if (rc < 0)
			return rc;
		if (!known) {
			snprintf(db->err, sizeof(db->err),
				 "'%s' is not a config key of any run in the database",
				 f->where[i].key);
			return -ENOENT;
		}
	}
	return 0;
}

/* $1 host, $2 kernel, then each --where's key and value: one text for both backends. */
static void load_sql(const struct vb_history_filter *f, char *sql, size_t len)
{
	size_t n = (size_t)snprintf(sql, len, "%s",
				    "SELECT s.phase, r.run_id, r.started_utc, r.host, r.kernel,"
				    " r.tool_version, s.n, s.p50, s.p99"
				    " FROM phase_summary s JOIN runs r ON r.run_id = s.run_id"
				    " WHERE (CAST($1 AS TEXT) IS NULL OR r.host = $1)"
				    " AND (CAST($2 AS TEXT) IS NULL OR r.kernel = $2)");

	for (size_t i = 0; i < f->nwhere && n < len; i++)
		n += (size_t)snprintf(sql + n, len - n,
				      " AND EXISTS (SELECT 1 FROM run_config c WHERE"
				      " c.run_id = r.run_id AND c.name = $%zu AND c.value = $%zu)",
				      2 * i + 3, 2 * i + 4);
	if (n < len)
		snprintf(sql + n, len - n, " ORDER BY r.started_utc, r.run_id");
}

int vb_history_load(struct vb_db *db, const struct vb_history_filter *f, struct vb_history *h)
{
	struct load_state ls = { f, h, 0 };
	const char *p[2 + 2 * VB_HISTORY_MAX_WHERE] = { f->host, f->kernel };
	char sql[512 + 120 * VB_HISTORY_MAX_WHERE];
	int rc;

	memset(h, 0, sizeof(*h));
	for (int i = 0; i < VB_PHASE_COUNT; i++)
		h->series[i].phase = (enum vb_phase)i;
	if (f->nwhere > VB_HISTORY_MAX_WHERE)
		return -E2BIG;
	for (size_t i = 0; i < f->nwhere; i++) {
		p[2 + 2 * i] = f->where[i].key;
		p[3 + 2 * i] = f->where[i].value;
	}
	rc = check_keys(db, f);
	load_sql(f, sql, sizeof(sql));
	if (rc == 0)
		rc = vb_db_query(db, sql, 2 + 2 * (int)f->nwhere, p, add_row, &ls);
	if (rc == 0)
		rc = ls.rc;
	if (rc < 0)
		vb_history_release(h);
	return rc;
}

void vb_history_release(struct vb_history *h)
{
	for (int i = 0; i < VB_PHASE_COUNT; i++) {
		struct vb_history_series *s = &h->series[i];

		for (size_t j = 0; j < s->n; j++) {
			free(s->points[j].run_id);
			free(s->points[j].started_utc);
			free(s->points[j].host);
			free(s->points[j].kernel);
			free(s->points[j].version);
		}
		free(s->points);
		free(s->changes);
		memset(s, 0, sizeof(*s));
	}
}
