/* `db history`: per phase, the series of each run's median and p99 in
 * start-time order, with what identifies the run (host, kernel, date,
 * version). A series has room for the change points a detector finds in it
 * (indices into its points), filled by the caller. */
#ifndef VB_HISTORY_H
#define VB_HISTORY_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "phase.h"

struct vb_table;

struct vb_history_point {
	char *run_id, *started_utc, *host, *kernel, *version;
	uint64_t n;
	double p50, p99; /* ns */
};

struct vb_history_change {
	size_t at;            /* index of the first point after the change */
	double before, after; /* the series' level (median of p50, ns) either side */
	double rel_change;    /* (after - before) / before */
	double p_value;
};

struct vb_history_series {
	enum vb_phase phase;
	struct vb_history_point *points;
	size_t n, cap;
	struct vb_history_change *changes; /* NULL/0 until a detector fills them */
	size_t nchanges;
};

struct vb_history {
	struct vb_history_series series[VB_PHASE_COUNT]; /* phase order; n == 0: not shown */
};

/* One --where: the runs whose config has @key with @value (run_config.h
 * says how a value is written). */
struct vb_history_where {
	const char *key, *value;
};

#define VB_HISTORY_MAX_WHERE 8

struct vb_history_filter {
	const char *const *phases; /* NULL: every phase */
	size_t nphases;
	const char *host, *kernel; /* NULL: any */
	const struct vb_history_where *where; /* all of them hold (AND) */
	size_t nwhere;             /* at most VB_HISTORY_MAX_WHERE */
};

enum vb_history_format { VB_HISTORY_TEXT, VB_HISTORY_CSV, VB_HISTORY_JSON, VB_HISTORY_MD, VB_HISTORY_HTML };

/* Fill @h from @db (its schema open). 0 or -errno, message in db->err;
 * -ENOENT: a --where key no run in the database has (f->where[i].key). */
int vb_history_load(struct vb_db *db, const struct vb_history_filter *f, struct vb_history *h);
void vb_history_release(struct vb_history *h);

struct vb_cp_options;

/* Fill each series' change points (E-Divisive means over its p50s, in run
 * order) by @opt (NULL: the defaults). 0, -EINVAL, -ENOMEM. */
int vb_history_detect(struct vb_history *h, const struct vb_cp_options *opt);

/* Write @h to @out in @fmt. 0 or -EIO. */
int vb_history_write(FILE *out, const struct vb_history *h, enum vb_history_format fmt);

/* For the renderers (history_write.c, history_html.c): @s as a table (one
 * row per run; NULL when out of memory), and one change point as a line of
 * text after @indent. */
struct vb_table *vb_history_table(const struct vb_history_series *s);
int vb_history_change_line(FILE *out, const char *indent, const struct vb_history_series *s,
			   const struct vb_history_change *c);
int vb_history_write_md(FILE *out, const struct vb_history *h);
int vb_history_write_html(FILE *out, const struct vb_history *h);

#endif
