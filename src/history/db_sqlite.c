/* The SQLite backend: one file, created if missing. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

struct vb_db_stmt {
	struct vb_db *db; /* first: vb_db_run() reads it */
	sqlite3_stmt *st;
	int nparams;
	int index[32];    /* SQLite's index of "$1".."$n" */
};

static int fail(struct vb_db *db, const char *what)
{
	snprintf(db->err, sizeof(db->err), "sqlite: %s: %s", what,
		 sqlite3_errmsg(db->impl));
	return -EIO;
}

static int sq_exec(struct vb_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->impl, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(db->err, sizeof(db->err), "sqlite: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return -EIO;
	}
	return 0;
}

static int sq_prepare(struct vb_db *db, const char *sql, int nparams, struct vb_db_stmt **out)
{
	struct vb_db_stmt *s;
	char name[8];

	if (nparams > 32)
		return -E2BIG;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->db = db;
	s->nparams = nparams;
	if (sqlite3_prepare_v2(db->impl, sql, -1, &s->st, NULL) != SQLITE_OK) {
		free(s);
		return fail(db, "prepare");
	}
	for (int i = 0; i < nparams; i++) {
		snprintf(name, sizeof(name), "$%d", i + 1);
		s->index[i] = sqlite3_bind_parameter_index(s->st, name);
	}
	*out = s;
	return 0;
}

/* A decimal integer is bound as one: SQLite would convert the text by the
 * column's affinity anyway, and binding the number skips that step. */
static int bind_one(sqlite3_stmt *st, int idx, const char *v)
{
	const char *p = v + (*v == '-');
	long long x = 0;
	int digits = 0;

	for (; *p >= '0' && *p <= '9' && digits < 18; p++, digits++)
		x = x * 10 + (*p - '0');
	if (digits && !*p && !(digits > 1 && v[*v == '-'] == '0'))
		return sqlite3_bind_int64(st, idx, *v == '-' ? -x : x);
	return sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
}

static int bind_all(struct vb_db_stmt *s, const char *const *params)
{
	for (int i = 0; i < s->nparams; i++) {
		int rc;

		if (!s->index[i])
			continue;
		rc = params[i] ? bind_one(s->st, s->index[i], params[i])
			       : sqlite3_bind_null(s->st, s->index[i]);
		if (rc != SQLITE_OK)
			return fail(s->db, "bind");
	}
	return 0;
}

static int sq_run(struct vb_db_stmt *s, const char *const *params)
{
	int rc = bind_all(s, params);

	if (rc == 0 && sqlite3_step(s->st) != SQLITE_DONE)
		rc = fail(s->db, "step");
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	return rc;
}

static void sq_finalize(struct vb_db_stmt *s)
{
	sqlite3_finalize(s->st);
	free(s);
}

static int sq_query(struct vb_db *db, const char *sql, int nparams, const char *const *params,
		    vb_db_row_fn fn, void *arg)
{
	struct vb_db_stmt *s;
	const char *vals[64];
	int rc = sq_prepare(db, sql, nparams, &s);

	if (rc < 0)
		return rc;
	rc = bind_all(s, params);
	while (rc == 0) {
		int step = sqlite3_step(s->st);
		int n = sqlite3_column_count(s->st);

		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			rc = fail(db, "query");
			break;
		}
		n = n > 64 ? 64 : n;
		for (int i = 0; i < n; i++)
			vals[i] = (const char *)sqlite3_column_text(s->st, i);
		if (fn(arg, (size_t)n, vals))
			break;
	}
	sq_finalize(s);
	return rc;
}

static int sq_tune_import(struct vb_db *db)
{
	return sq_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
}

static void sq_close(struct vb_db *db)
{
	sqlite3_close(db->impl);
	db->impl = NULL;
}

static const struct vb_db_ops sqlite_ops = {
	.exec = sq_exec, .prepare = sq_prepare, .run = sq_run, .finalize = sq_finalize,
	.query = sq_query, .tune_import = sq_tune_import, .close = sq_close,
};

int vb_db_sqlite_open(struct vb_db *db, const char *path)
{
	sqlite3 *h = NULL;

	db->ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		snprintf(db->err, sizeof(db->err), "sqlite: %s: %s", path,
			 h ? sqlite3_errmsg(h) : "cannot open");
		sqlite3_close(h);
		return -EIO;
	}
	db->impl = h;
	sqlite3_busy_timeout(h, 5000);
	return sq_exec(db, "PRAGMA foreign_keys=ON;");
}
