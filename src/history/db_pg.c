/* The PostgreSQL backend (libpq). */
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dl.h"

/* CONN(db): the connection, and the rows of a COPY gathered to be sent in
 * 64 KiB pieces. */
struct pg {
	PGconn *conn;
	size_t copy_len;
	char copy_buf[65536];
};

#define CONN(db) (((struct pg *)(db)->impl)->conn)

struct vb_db_stmt {
	struct vb_db *db; /* first: vb_db_run() reads it */
	char name[32];
	int nparams;
};

/*
 * libpq is loaded on the first postgresql:// open, not linked: linked, it
 * and the libraries it pulls in (TLS, LDAP, Kerberos...) are mapped and
 * relocated at the start of every vcpubench process, run or not.
 */
#define VB_PQ_FNS(X) \
	X(PQclear) X(PQconnectdb) X(PQconninfoFree) X(PQconninfoParse) X(PQerrorMessage) \
	X(PQexec) X(PQexecParams) X(PQexecPrepared) X(PQfinish) X(PQfreemem) \
	X(PQgetResult) X(PQgetisnull) X(PQgetvalue) X(PQnfields) X(PQntuples) X(PQprepare) \
	X(PQputCopyData) X(PQputCopyEnd) X(PQresultErrorField) X(PQresultErrorMessage) \
	X(PQresultStatus) X(PQsetNoticeProcessor) X(PQstatus)

VB_DL_TABLE(pq, VB_PQ_FNS);

#define PQ pq.fn
#define VB_PQ_LIB "libpq.so.5"

/* Fills @pq once; on failure @err names the library and what is missing. */
static int pq_load(char *err, size_t errlen)
{
	static void *lib;
	char why[256];
	int rc = VB_DL_LOAD(pq, &lib, VB_PQ_LIB, why, sizeof(why));

	if (rc < 0)
		snprintf(err, errlen, "postgresql: %s", why);
	return rc;
}

/* libpq's messages end in a newline and may span lines (a hint after a
 * tab): ours are one line. */
static void oneline(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	for (size_t n = strlen(s); n && s[n - 1] == ' '; n--)
		s[n - 1] = 0;
}

static int fail(struct vb_db *db, const char *what, PGresult *res)
{
	const char *state = res ? PQ.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	/* 53100 disk_full: the server's text ("could not extend file ...")
	 * does not always say so. */
	snprintf(db->err, sizeof(db->err), "postgresql: %s: %s%s", what,
		 state && strcmp(state, "53100") == 0 ? "disk full: " : "",
		 res ? PQ.PQresultErrorMessage(res) : PQ.PQerrorMessage(CONN(db)));
	oneline(db->err);
	PQ.PQclear(res);
	return -EIO;
}

static int check(struct vb_db *db, const char *what, PGresult *res)
{
	ExecStatusType s = PQ.PQresultStatus(res);

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return fail(db, what, res);
	PQ.PQclear(res);
	return 0;
}

static int pg_exec(struct vb_db *db, const char *sql)
{
	return check(db, "exec", PQ.PQexec(CONN(db), sql));
}

static int pg_prepare(struct vb_db *db, const char *sql, int nparams, struct vb_db_stmt **out)
{
	static unsigned counter;
	struct vb_db_stmt *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return -ENOMEM;
	s->db = db;
	s->nparams = nparams;
	snprintf(s->name, sizeof(s->name), "vb_%u", ++counter);
	rc = check(db, "prepare", PQ.PQprepare(CONN(db), s->name, sql, nparams, NULL));
	if (rc < 0) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static int pg_run(struct vb_db_stmt *s, const char *const *params)
{
	return check(s->db, "insert",
		     PQ.PQexecPrepared(CONN(s->db), s->name, s->nparams, params, NULL, NULL, 0));
}

static void pg_finalize(struct vb_db_stmt *s)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
	PQ.PQclear(PQ.PQexec(CONN(s->db), sql));
	free(s);
}

static int pg_query(struct vb_db *db, const char *sql, int nparams, const char *const *params,
		    vb_db_row_fn fn, void *arg)
{
	PGresult *res = PQ.PQexecParams(CONN(db), sql, nparams, NULL, params, NULL, NULL, 0);
	const char *vals[64];
	int nrows, ncols;

	if (PQ.PQresultStatus(res) != PGRES_TUPLES_OK)
		return fail(db, "query", res);
	nrows = PQ.PQntuples(res);
	ncols = PQ.PQnfields(res) > 64 ? 64 : PQ.PQnfields(res);
	for (int r = 0; r < nrows; r++) {
		for (int c = 0; c < ncols; c++)
			vals[c] = PQ.PQgetisnull(res, r, c) ? NULL : PQ.PQgetvalue(res, r, c);
		if (fn(arg, (size_t)ncols, vals))
			break;
	}
	PQ.PQclear(res);
	return 0;
}

/* Rows are gathered here and sent in 64 KiB pieces. */

static int copy_flush(struct vb_db *db)
{
	struct pg *pg = db->impl;
	int rc = pg->copy_len ? PQ.PQputCopyData(pg->conn, pg->copy_buf, (int)pg->copy_len) : 1;

	pg->copy_len = 0;
	return rc == 1 ? 0 : fail(db, "copy", NULL);
}

static int pg_copy_begin(struct vb_db *db, const char *sql)
{
	PGresult *res = PQ.PQexec(CONN(db), sql);

	if (PQ.PQresultStatus(res) != PGRES_COPY_IN)
		return fail(db, "copy", res);
	PQ.PQclear(res);
	((struct pg *)db->impl)->copy_len = 0;
	return 0;
}

/* One value in COPY's text format: \N for NULL, the separators escaped. */
static size_t copy_value(char *out, const char *v)
{
	size_t n = 0;

	if (!v) {
		memcpy(out, "\\N", 2);
		return 2;
	}
	for (; *v; v++) {
		char c = *v;

		if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
			out[n++] = '\\';
			c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : c;
		}
		out[n++] = c;
	}
	return n;
}

static int pg_copy_row(struct vb_db *db, int n, const char *const *vals)
{
	struct pg *pg = db->impl;
	size_t need = 1;

	for (int i = 0; i < n; i++)
		need += 2 * (vals[i] ? strlen(vals[i]) : 2) + 1;
	if (need > sizeof(pg->copy_buf)) {
		snprintf(db->err, sizeof(db->err), "postgresql: copy: a row of %zu bytes", need);
		return -E2BIG;
	}
	if (pg->copy_len + need > sizeof(pg->copy_buf) && copy_flush(db) < 0)
		return -EIO;
	for (int i = 0; i < n; i++) {
		pg->copy_len += copy_value(pg->copy_buf + pg->copy_len, vals[i]);
		pg->copy_buf[pg->copy_len++] = i + 1 < n ? '\t' : '\n';
	}
	return 0;
}

static int pg_copy_end(struct vb_db *db, int ok)
{
	PGresult *res;
	int rc = ok && copy_flush(db) == 0 ? 0 : -EIO;

	if (PQ.PQputCopyEnd(CONN(db), rc == 0 ? NULL : "import failed") != 1)
		return fail(db, "copy", NULL);
	while ((res = PQ.PQgetResult(CONN(db)))) {
		if (PQ.PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
			rc = fail(db, "copy", res);
		else
			PQ.PQclear(res);
	}
	return rc;
}

static void pg_close(struct vb_db *db)
{
	if (db->impl)
		PQ.PQfinish(CONN(db));
	free(db->impl);
	db->impl = NULL;
}

static const struct vb_db_ops pg_ops = {
	.exec = pg_exec, .prepare = pg_prepare, .run = pg_run, .finalize = pg_finalize,
	.query = pg_query, .copy_begin = pg_copy_begin, .copy_row = pg_copy_row,
	.copy_end = pg_copy_end, .tune_import = NULL, .close = pg_close,
};

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* libpq's own parser: a URL it takes is one it can try to connect to. */
static int parse(const char *conninfo, char *out, size_t outlen)
{
	char *err = NULL;
	PQconninfoOption *opts = PQ.PQconninfoParse(conninfo, &err);

	if (!opts) {
		snprintf(out, outlen, "'%s' is not a valid PostgreSQL URL%s%s", conninfo,
			 err ? ": " : "", err ? err : "");
		oneline(out);
		PQ.PQfreemem(err);
		return -EINVAL;
	}
	PQ.PQconninfoFree(opts);
	return 0;
}

int vb_db_pg_check(const char *conninfo, char *err, size_t errlen)
{
	int rc = pq_load(err, errlen);

	return rc ? rc : parse(conninfo, err, errlen);
}

int vb_db_pg_open(struct vb_db *db, const char *conninfo)
{
	int rc;

	db->ops = &pg_ops; /* pg_close() calls no libpq before a connection */
	rc = pq_load(db->err, sizeof(db->err));
	if (rc)
		return rc;
	rc = parse(conninfo, db->err, sizeof(db->err));
	if (rc)
		return rc;
	db->impl = calloc(1, sizeof(struct pg));
	if (db->impl)
		CONN(db) = PQ.PQconnectdb(conninfo);
	if (!db->impl || !CONN(db)) {
		snprintf(db->err, sizeof(db->err), "postgresql: out of memory");
		return -ENOMEM;
	}
	if (PQ.PQstatus(CONN(db)) != CONNECTION_OK) {
		snprintf(db->err, sizeof(db->err), "postgresql: cannot connect: %s",
			 PQ.PQerrorMessage(CONN(db)));
		oneline(db->err);
		return -ECONNREFUSED;
	}
	/* Notices ("relation already exists, skipping") are not ours to print. */
	PQ.PQsetNoticeProcessor(CONN(db), quiet, NULL);
	return pg_exec(db, "SET client_min_messages = warning");
}
