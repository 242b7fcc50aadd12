/* Choosing the backend from the URL. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A scheme other than ours ("mysql://x") is a mistake, not a file name. */
static int foreign_scheme(const char *url)
{
	const char *p = url;

	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '+')
		p++;
	return p > url && strncmp(p, "://", 3) == 0;
}

int vb_db_open(struct vb_db **out, const char *url, char *err, size_t errlen)
{
	struct vb_db *db;
	int rc;

	*out = NULL;
	if (!url || !*url) {
		snprintf(err, errlen, "empty database URL");
		return -EINVAL;
	}
	db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	if (starts(url, "postgresql://") || starts(url, "postgres://")) {
		db->kind = VB_DB_POSTGRES;
		rc = vb_db_pg_open(db, url);
	} else if (foreign_scheme(url)) {
		snprintf(db->err, sizeof(db->err),
			 "'%s' is not a database URL (postgresql://..., sqlite:PATH or a file path)",
			 url);
		rc = -EINVAL;
	} else {
		const char *path = starts(url, "sqlite:") ? url + 7 : url;

		if (starts(path, "//"))
			path += 2;
		db->kind = VB_DB_SQLITE;
		rc = *path ? vb_db_sqlite_open(db, path) : -EINVAL;
		if (!*path)
			snprintf(db->err, sizeof(db->err), "'%s' names no file", url);
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s", db->err);
		if (db->ops)
			db->ops->close(db);
		free(db);
		return rc;
	}
	*out = db;
	return 0;
}

void vb_db_close(struct vb_db *db)
{
	if (!db)
		return;
	db->ops->close(db);
	free(db);
}

int vb_db_exec(struct vb_db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

int vb_db_prepare(struct vb_db *db, const char *sql, int nparams, struct vb_db_stmt **out)
{
	return db->ops->prepare(db, sql, nparams, out);
}

int vb_db_run(struct vb_db_stmt *st, const char *const *params)
{
	/* Each backend's stmt starts with its db pointer (see the backends). */
	struct vb_db *db = *(struct vb_db **)st;

	return db->ops->run(st, params);
}

void vb_db_finalize(struct vb_db *db, struct vb_db_stmt *st)
{
	if (st)
		db->ops->finalize(st);
}

int vb_db_query(struct vb_db *db, const char *sql, int nparams, const char *const *params,
		vb_db_row_fn fn, void *arg)
{
	return db->ops->query(db, sql, nparams, params, fn, arg);
}
