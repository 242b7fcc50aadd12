/* The results database: one small interface, two backends (SQLite, one
 * file; PostgreSQL through libpq), one SQL text for both.
 *
 * Placeholders are written `$1`, `$2`, ... everywhere: PostgreSQL's own
 * syntax, and to SQLite a named parameter "$1" (its `$AAAA` form), which
 * the SQLite backend binds by name (sqlite3_bind_parameter_index), so the
 * order in which they first appear in the text does not matter.
 *
 * Every value crosses as text (NULL for SQL NULL): libpq's text format,
 * and SQLite converts it by the column's affinity (BIGINT, DOUBLE
 * PRECISION), so numbers are stored as numbers. Functions return 0 or
 * -errno with a one-line message in db->err. */
#ifndef VB_DB_H
#define VB_DB_H

#include <stddef.h>

struct vb_db;
struct vb_db_stmt;

/* One result row: @ncols values, NULL for SQL NULL. Return non-zero to stop. */
typedef int (*vb_db_row_fn)(void *arg, size_t ncols, const char *const *vals);

struct vb_db_ops {
	int (*exec)(struct vb_db *db, const char *sql);
	int (*prepare)(struct vb_db *db, const char *sql, int nparams, struct vb_db_stmt **out);
	int (*run)(struct vb_db_stmt *st, const char *const *params);
	void (*finalize)(struct vb_db_stmt *st);
	int (*query)(struct vb_db *db, const char *sql, int nparams, const char *const *params,
		     vb_db_row_fn fn, void *arg);
	/* Bulk rows (PostgreSQL's COPY FROM STDIN, text format): @sql is the
	 * COPY statement, then rows of @n values, then the end, which reports
	 * any error of the rows. NULL in a backend without it (SQLite: its
	 * prepared INSERTs in one transaction are as fast). */
	int (*copy_begin)(struct vb_db *db, const char *sql);
	int (*copy_row)(struct vb_db *db, int n, const char *const *vals);
	int (*copy_end)(struct vb_db *db, int ok);
	/* Import-time tuning (SQLite: WAL, synchronous=NORMAL); may be NULL. */
	int (*tune_import)(struct vb_db *db);
	void (*close)(struct vb_db *db);
};

enum vb_db_kind { VB_DB_SQLITE, VB_DB_POSTGRES };

struct vb_db {
	const struct vb_db_ops *ops;
	enum vb_db_kind kind;
	void *impl;
	char err[512];
};

#define VB_DB_DEFAULT_URL "results/vcpubench.sqlite"

/* Open @url: "postgresql://..." or "postgres://..." (libpq), "sqlite:PATH"
 * or a plain PATH (SQLite, created if missing). -EINVAL: unparsable URL;
 * -ECONNREFUSED: server down or login refused; other -errno. The message
 * is in @err. Does not create the schema (vb_schema_open does). */
int vb_db_open(struct vb_db **out, const char *url, char *err, size_t errlen);
void vb_db_close(struct vb_db *db);

/* Whether @url could be opened, without opening it (nothing is created,
 * no server is contacted): its syntax, and for SQLite a directory that
 * exists and is writable. 0, -EINVAL (message, naming @url, in @err), or
 * -ENOENT/-ENOSYS when libpq cannot be loaded. For `run --db`, before
 * anything is measured. */
int vb_db_check_url(const char *url, char *err, size_t errlen);

int vb_db_exec(struct vb_db *db, const char *sql);
int vb_db_prepare(struct vb_db *db, const char *sql, int nparams, struct vb_db_stmt **out);
int vb_db_run(struct vb_db_stmt *st, const char *const *params);
void vb_db_finalize(struct vb_db *db, struct vb_db_stmt *st);
int vb_db_query(struct vb_db *db, const char *sql, int nparams, const char *const *params,
		vb_db_row_fn fn, void *arg);

/* Backends (db_sqlite.c, db_pg.c). */
int vb_db_sqlite_open(struct vb_db *db, const char *path);
int vb_db_pg_open(struct vb_db *db, const char *conninfo);
int vb_db_pg_check(const char *conninfo, char *err, size_t errlen);

#endif
