/* The SQLite backend: one file, created if missing. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dl.h"

/*
 * libsqlite3 is loaded on the first SQLite open, not linked: linked, its
 * ~1,600 symbol relocations (it is built -z now) are paid at the start of
 * every vcpubench process, a run without --db included.
 */
#define VB_SQ_FNS(X) \
	X(sqlite3_bind_int64) X(sqlite3_bind_null) X(sqlite3_bind_parameter_index) \
	X(sqlite3_bind_text) X(sqlite3_busy_timeout) X(sqlite3_clear_bindings) X(sqlite3_close) \
	X(sqlite3_column_count) X(sqlite3_column_text) X(sqlite3_errmsg) X(sqlite3_exec) \
	X(sqlite3_finalize) X(sqlite3_free) X(sqlite3_open_v2) X(sqlite3_prepare_v2) \
	X(sqlite3_reset) X(sqlite3_step)

VB_DL_TABLE(sq, VB_SQ_FNS);

#define SQ sq.fn
#define VB_SQ_LIB "libsqlite3.so.0"

struct vb_db_stmt {
	struct vb_db *db; /* first: vb_db_run() reads it */
	sqlite3_stmt *st;
	int nparams;
	int index[32];    /* SQLite's index of "$1".."$n" */
};

static int fail(struct vb_db *db, const char *what)
{
	snprintf(db->err, sizeof(db->err), "sqlite: %s: %s", what,
		 SQ.sqlite3_errmsg(db->impl));
	return -EIO;
}

static int sq_exec(struct vb_db *db, const char *sql)
{
	char *msg = NULL;

	if (SQ.sqlite3_exec(db->impl, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(db->err, sizeof(db->err), "sqlite: %s", msg ? msg : "error");
		SQ.sqlite3_free(msg);
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
	if (SQ.sqlite3_prepare_v2(db->impl, sql, -1, &s->st, NULL) != SQLITE_OK) {
		free(s);
		return fail(db, "prepare");
	}
	for (int i = 0; i < nparams; i++) {
		snprintf(name, sizeof(name), "$%d", i + 1);
		s->index[i] = SQ.sqlite3_bind_parameter_index(s->st, name);
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
		return SQ.sqlite3_bind_int64(st, idx, *v == '-' ? -x : x);
	return SQ.sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
}

static int bind_all(struct vb_db_stmt *s, const char *const *params)
{
	for (int i = 0; i < s->nparams; i++) {
		int rc;

		if (!s->index[i])
			continue;
		rc = params[i] ? bind_one(s->st, s->index[i], params[i])
			       : SQ.sqlite3_bind_null(s->st, s->index[i]);
		if (rc != SQLITE_OK)
			return fail(s->db, "bind");
	}
	return 0;
}

static int sq_run(struct vb_db_stmt *s, const char *const *params)
{
	int rc = bind_all(s, params);

	if (rc == 0 && SQ.sqlite3_step(s->st) != SQLITE_DONE)
		rc = fail(s->db, "step");
	SQ.sqlite3_reset(s->st);
	SQ.sqlite3_clear_bindings(s->st);
	return rc;
}

static void sq_finalize(struct vb_db_stmt *s)
{
	SQ.sqlite3_finalize(s->st);
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
		int step = SQ.sqlite3_step(s->st);
		int n = SQ.sqlite3_column_count(s->st);

		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			rc = fail(db, "query");
			break;
		}
		n = n > 64 ? 64 : n;
		for (int i = 0; i < n; i++)
			vals[i] = (const char *)SQ.sqlite3_column_text(s->st, i);
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
	SQ.sqlite3_close(db->impl);
	db->impl = NULL;
}

static const struct vb_db_ops sqlite_ops = {
	.exec = sq_exec, .prepare = sq_prepare, .run = sq_run, .finalize = sq_finalize,
	.query = sq_query, .tune_import = sq_tune_import, .close = sq_close,
};

int vb_db_sqlite_open(struct vb_db *db, const char *path)
{
	static void *lib;
	sqlite3 *h = NULL;
	char err[sizeof(db->err) - 16];
	int rc;

	/* No ops until it is loaded: a failed open must not close through it. */
	rc = VB_DL_LOAD(sq, &lib, VB_SQ_LIB, err, sizeof(err));
	if (rc < 0) {
		snprintf(db->err, sizeof(db->err), "sqlite: %s", err);
		return rc;
	}
	db->ops = &sqlite_ops;
	if (SQ.sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		snprintf(db->err, sizeof(db->err), "sqlite: %s: %s", path,
			 h ? SQ.sqlite3_errmsg(h) : "cannot open");
		SQ.sqlite3_close(h);
		return -EIO;
	}
	db->impl = h;
	SQ.sqlite3_busy_timeout(h, 5000);
	return sq_exec(db, "PRAGMA foreign_keys=ON;");
}
