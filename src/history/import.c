/* Importing one run: meta.json to `runs`, per-phase summaries (from
 * report/rundata.c, the same numbers `report` prints) to `phase_summary`,
 * every row of phases.csv to `samples`, inside one transaction. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_columns.h"
#include "import.h"
#include "import_rows.h"
#include "json_path.h"
#include "run_config.h"
#include "rundata.h"

static int exists_cb(void *arg, size_t ncols, const char *const *vals)
{
	(void)ncols;
	(void)vals;
	*(int *)arg = 1;
	return 1;
}

static int run_present(struct vb_db *db, const char *run_id, int *present)
{
	const char *p[1] = { run_id };

	*present = 0;
	return vb_db_query(db, "SELECT 1 FROM runs WHERE run_id = $1", 1, p, exists_cb, present);
}

/* 64-bit FNV-1a, twice with different bases: stable, not cryptographic. */
static uint64_t fnv(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void vb_import_run_id(const char *meta_text, char out[33])
{
	json_t *m = json_loads(meta_text, 0, NULL);
	const char *keys[] = { "start_utc", "host.hostname", "command_line", "config",
			       "host.kernel_release" };
	uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *t = vb_json_path_text(m, keys[i], "");

		a = fnv(t ? t : "", fnv("\x1f", a));
		b = fnv(t ? t : "", fnv("\x1e", b));
		free(t);
	}
	json_decref(m);
	snprintf(out, 33, "%016" PRIx64 "%016" PRIx64, a, b);
}

static struct vb_import_item *add_item(struct vb_import *imp, const char *dir)
{
	struct vb_import_item *it;

	if (imp->n == imp->cap) {
		size_t cap = imp->cap ? imp->cap * 2 : 16;
		void *p = realloc(imp->items, cap * sizeof(*imp->items));

		if (!p)
			return NULL;
		imp->items = p;
		imp->cap = cap;
	}
	it = &imp->items[imp->n];
	memset(it, 0, sizeof(*it));
	it->dir = strdup(dir);
	if (!it->dir)
		return NULL;
	imp->n++;
	return it;
}

static int is_file(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Fill @it for @dir; the transaction is the caller's. */
static int import_rows(struct vb_db *db, struct vb_import_item *it, json_t *meta,
		       const char *meta_text)
{
	struct vb_rundata rd;
	int rc = vb_rundata_load(&rd, it->dir, it->err, sizeof(it->err));

	if (rc < 0)
		return rc;
	rc = vb_import_insert_run(db, it->run_id, it->dir, meta, meta_text, rd.rows);
	if (rc == 0)
		rc = vb_run_config_insert(db, it->run_id, json_object_get(meta, "config"));
	if (rc == 0)
		rc = vb_import_insert_summaries(db, it->run_id, &rd);
	vb_rundata_release(&rd);
	if (rc == 0)
		rc = vb_import_insert_samples(db, it->run_id, it->dir, &it->samples, it->err,
					      sizeof(it->err));
	if (rc < 0 && !it->err[0])
		snprintf(it->err, sizeof(it->err), "%s", db->err);
	return rc;
}

static char *read_meta(const char *dir, char *err, size_t errlen)
{
	char path[4096];
	json_error_t je;
	json_t *m;
	char *text;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	m = json_load_file(path, 0, &je);
	if (!m) {
		snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return NULL;
	}
	text = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(m);
	return text;
}

/* One results directory. Returns -errno only for a failure of the
 * database (the import stops); a bad directory is recorded in @it. */
static int import_run(struct vb_db *db, struct vb_import *imp, const char *dir)
{
	struct vb_import_item *it = add_item(imp, dir);
	char *text;
	json_t *meta;
	int present, rc;

	if (!it)
		return -ENOMEM;
	it->status = VB_IMPORT_FAILED;
	text = read_meta(dir, it->err, sizeof(it->err));
	if (!text) {
		imp->failed++;
		return 0;
	}
	meta = json_loads(text, 0, NULL);
	vb_import_run_id(text, it->run_id);
	rc = run_present(db, it->run_id, &present);
	if (rc == 0 && present) {
		it->status = VB_IMPORT_SKIPPED;
		imp->skipped++;
	} else if (rc == 0 && (rc = vb_db_exec(db, "BEGIN")) == 0) {
		rc = import_rows(db, it, meta, text);
		if (rc == 0)
			rc = vb_db_exec(db, "COMMIT");
		if (rc == 0) {
			it->status = VB_IMPORT_ADDED;
			imp->added++;
			imp->samples += it->samples;
		} else {
			char keep[sizeof(db->err)];

			if (!it->err[0]) /* the COMMIT's */
				snprintf(it->err, sizeof(it->err), "%s", db->err);
			snprintf(keep, sizeof(keep), "%s", db->err);
			vb_db_exec(db, "ROLLBACK");
			snprintf(db->err, sizeof(db->err), "%s", keep);
			imp->failed++;
			/* A bad file is the directory's fault; anything else is the database's. */
			rc = (rc == -EIO) ? rc : 0;
		}
	}
	json_decref(meta);
	free(text);
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* @dir holds no results directory: say why. */
static int not_results(struct vb_import *imp, const char *dir, int open_err)
{
	struct vb_import_item *it = add_item(imp, dir);

	if (!it)
		return -ENOMEM;
	it->status = VB_IMPORT_FAILED;
	if (!open_err)
		snprintf(it->err, sizeof(it->err),
			 "not a results directory: no phases.csv in it or below it");
	else
		snprintf(it->err, sizeof(it->err), "cannot open: %s", strerror(open_err));
	imp->failed++;
	return 0;
}

/* A directory of results directories: each subdirectory, in name order. */
static int import_tree(struct vb_db *db, struct vb_import *imp, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int rc = 0, any = 0, open_err;

	if (is_file(dir, "phases.csv"))
		return import_run(db, imp, dir);
	d = depth < 4 ? opendir(dir) : NULL;
	open_err = d ? 0 : errno;
	while (d && (e = readdir(d))) {
		char sub[4096];
		struct stat st;
		char **p;

		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || stat(sub, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		p = realloc(names, (n + 1) * sizeof(*names));
		if (!p || !(p[n] = strdup(sub))) {
			names = p ? p : names;
			rc = -ENOMEM;
			break;
		}
		names = p;
		n++;
	}
	if (d)
		closedir(d);
	if (n > 1) /* an empty list has no buffer to hand to qsort */
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t before = imp->n;

		if (rc == 0)
			rc = import_tree(db, imp, names[i], depth + 1);
		any |= imp->n > before;
		free(names[i]);
	}
	free(names);
	if (rc == 0 && !any && depth == 0)
		rc = not_results(imp, dir, open_err);
	return rc;
}

int vb_import_path(struct vb_db *db, const char *dir, struct vb_import *imp)
{
	if (db->ops->tune_import) {
		int rc = db->ops->tune_import(db);

		if (rc < 0)
			return rc;
	}
	return import_tree(db, imp, dir, 0);
}

void vb_import_release(struct vb_import *imp)
{
	for (size_t i = 0; i < imp->n; i++)
		free(imp->items[i].dir);
	free(imp->items);
	memset(imp, 0, sizeof(*imp));
}
