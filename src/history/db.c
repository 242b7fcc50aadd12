/* Choosing the backend from the URL. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The backend @url names and, for SQLite, its file (in @url); 0, or
 * -EINVAL with the message in @err. */
static int parse_url(const char *url, enum vb_db_kind *kind, const char **path, char *err,
		     size_t errlen)
{
	*path = NULL;
	if (!url || !*url) {
		snprintf(err, errlen, "empty database URL");
		return -EINVAL;
	}
	if (starts(url, "postgresql://") || starts(url, "postgres://")) {
		*kind = VB_DB_POSTGRES;
		return 0;
	}
	if (foreign_scheme(url)) {
		snprintf(err, errlen,
			 "'%s' is not a database URL (postgresql://..., sqlite:PATH or a file path)",
			 url);
		return -EINVAL;
	}
	*kind = VB_DB_SQLITE;
	*path = starts(url, "sqlite:") ? url + 7 : url;
	if (starts(*path, "//"))
		*path += 2;
	if (!**path) {
		snprintf(err, errlen, "'%s' names no file", url);
		return -EINVAL;
	}
	return 0;
}

int vb_db_open(struct vb_db **out, const char *url, char *err, size_t errlen)
{
	enum vb_db_kind kind;
	const char *path;
	struct vb_db *db;
	int rc;

	*out = NULL;
	rc = parse_url(url, &kind, &path, err, errlen);
	if (rc < 0)
		return rc;
	db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	db->kind = kind;
	rc = kind == VB_DB_POSTGRES ? vb_db_pg_open(db, url) : vb_db_sqlite_open(db, path);
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

/* SQLite writes the file and, in WAL mode, two more beside it: the
 * directory must be there and writable, and the file, if there, too. */
static int check_sqlite_path(const char *url, const char *path, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	struct stat st;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "'%s': directory '%s' %s", url, dir,
			 errno == ENOENT ? "does not exist" : "is not a directory");
		return -EINVAL;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		snprintf(err, errlen, "'%s': directory '%s' is not writable: %s", url, dir,
			 strerror(errno));
		return -EINVAL;
	}
	if (stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || access(path, R_OK | W_OK) < 0)) {
		snprintf(err, errlen, "'%s' is not a writable file", url);
		return -EINVAL;
	}
	return 0;
}

int vb_db_check_url(const char *url, char *err, size_t errlen)
{
	enum vb_db_kind kind;
	const char *path;
	int rc = parse_url(url, &kind, &path, err, errlen);

	if (rc < 0)
		return rc;
	return kind == VB_DB_POSTGRES ? vb_db_pg_check(url, err, errlen)
				      : check_sqlite_path(url, path, err, errlen);
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
