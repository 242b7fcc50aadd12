/* The INSERTs of one run. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_columns.h"
#include "import_rows.h"
#include "json_path.h"

static const char *const run_keys[] = {
	"start_utc", "end_utc", "host.hostname", "host.cpu_model", "host.kernel_release",
	"host.kernel_version", "host.kernel_cmdline", "command_line", "host.kvm.module_parameters",
	"config", "tool.version", "tool.git", "host.vm.accel",
};
#define NRUNKEYS (sizeof(run_keys) / sizeof(run_keys[0]))

static const char *flag(json_t *meta, const char *path)
{
	json_t *v = vb_json_path(meta, path);

	return !v ? NULL : json_is_true(v) ? "1" : "0";
}

int vb_import_insert_run(struct vb_db *db, const char *run_id, const char *dir, json_t *meta,
			 const char *meta_text, uint64_t rows)
{
	struct vb_db_stmt *st;
	char *vals[NRUNKEYS] = { 0 };
	const char *p[NRUNKEYS + 6];
	char nrows[24], emulated[2];
	const char *accel;
	int rc;

	for (size_t i = 0; i < NRUNKEYS; i++) {
		vals[i] = vb_json_path_text(meta, run_keys[i], NULL);
		p[i + 2] = vals[i];
	}
	accel = vb_json_path_str(meta, "host.vm.accel", NULL);
	snprintf(emulated, sizeof(emulated), "%d", accel && strcmp(accel, "tcg") == 0);
	snprintf(nrows, sizeof(nrows), "%" PRIu64, rows);
	p[0] = run_id;
	p[1] = dir;
	p[NRUNKEYS + 2] = accel ? emulated : NULL;
	p[NRUNKEYS + 3] = flag(meta, "complete");
	p[NRUNKEYS + 4] = nrows;
	p[NRUNKEYS + 5] = meta_text;
	rc = vb_db_prepare(db,
			   "INSERT INTO runs (run_id, dir, started_utc, ended_utc, host, cpu_model,"
			   " kernel, kernel_version, cmdline, command_line, kvm_params, config,"
			   " tool_version, git, accelerator, emulated, complete, rows_total, meta)"
			   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
			   " $15, $16, $17, $18, $19)",
			   (int)NRUNKEYS + 6, &st);
	if (rc == 0) {
		rc = vb_db_run(st, p);
		vb_db_finalize(db, st);
	}
	for (size_t i = 0; i < NRUNKEYS; i++)
		free(vals[i]);
	return rc;
}

int vb_import_insert_summaries(struct vb_db *db, const char *run_id,
			       const struct vb_rundata *rd)
{
	struct vb_db_stmt *st = NULL;
	int rc = vb_db_prepare(db,
			       "INSERT INTO phase_summary (run_id, phase, n, failed, min, p50,"
			       " p90, p99, max, mean, stddev) VALUES ($1, $2, $3, $4, $5, $6, $7,"
			       " $8, $9, $10, $11)",
			       11, &st);

	for (int ph = 0; rc == 0 && ph < VB_PHASE_COUNT; ph++) {
		const struct vb_summary *s = &rd->summary[ph];
		char num[9][32];
		const char *p[11] = { run_id, vb_phase_name[ph] };

		if (s->n == 0 && rd->failed[ph] == 0)
			continue;
		snprintf(num[0], 32, "%zu", s->n);
		snprintf(num[1], 32, "%" PRIu64, rd->failed[ph]);
		snprintf(num[2], 32, "%" PRIu64, s->min);
		snprintf(num[3], 32, "%" PRIu64, s->p50);
		snprintf(num[4], 32, "%" PRIu64, s->p90);
		snprintf(num[5], 32, "%" PRIu64, s->p99);
		snprintf(num[6], 32, "%" PRIu64, s->max);
		snprintf(num[7], 32, "%.17g", s->mean);
		snprintf(num[8], 32, "%.17g", s->stddev);
		for (int i = 0; i < 9; i++)
			p[i + 2] = s->n || i < 2 ? num[i] : NULL;
		rc = vb_db_run(st, p);
	}
	if (st)
		vb_db_finalize(db, st);
	return rc;
}

/* A CSV file of a run and the table its rows go to: each wanted column
 * has the same name in both; the first @nrequired must be in the file; a
 * column is a number unless its bit in @text is set. */
struct csv_table {
	const char *file, *table;
	const char *const *cols;
	int ncols, nrequired;
	unsigned text;
};

static const char *const sample_cols[] = { "phase",     "start_ns", "duration_ns", "status",
					   "iteration", "vm",       "vcpu" };
static const char *const exit_cols[] = { "exit_reason", "duration_ns", "iteration",
					 "vm",          "vcpu",        "seq" };
static const char *const stat_cols[] = { "stat", "before", "after", "iteration", "vm", "vcpu" };

static const struct csv_table csv_tables[] = {
	{ "phases.csv", "samples", sample_cols, 7, 4, 1u << 0 | 1u << 3 },
	{ "exits.csv", "exits", exit_cols, 6, 2, 1u << 0 },
	{ "kvm_stats.csv", "kvm_stats", stat_cols, 6, 3, 1u << 0 },
};

/* "INSERT INTO t (run_id, a, b) VALUES ($1, $2, $3)" or "COPY t (run_id, a, b) FROM STDIN". */
static void table_sql(const struct csv_table *t, int copy, char *sql, size_t len)
{
	size_t n = (size_t)snprintf(sql, len, "%s %s (run_id", copy ? "COPY" : "INSERT INTO",
				    t->table);

	for (int i = 0; i < t->ncols && n < len; i++)
		n += (size_t)snprintf(sql + n, len - n, ", %s", t->cols[i]);
	if (copy) {
		snprintf(sql + n, len - n, ") FROM STDIN");
		return;
	}
	n += (size_t)snprintf(sql + n, len - n, ") VALUES ($1");
	for (int i = 0; i < t->ncols && n < len; i++)
		n += (size_t)snprintf(sql + n, len - n, ", $%d", i + 2);
	snprintf(sql + n, len - n, ")");
}

/* The current record's values; numbers checked, so a bad file is the
 * file's error (-EINVAL, its line and column), not the server's. */
static int row_values(struct vb_csv_columns *c, const struct csv_table *t, const char **p)
{
	for (int i = 0; i < t->ncols; i++) {
		const char *v = vb_csv_columns_str(c, (size_t)i);
		uint64_t x;
		bool present;

		if (!(t->text >> i & 1) && *v &&
		    vb_csv_columns_u64(c, (size_t)i, true, &x, &present) < 0)
			return -EINVAL;
		p[i + 1] = *v ? v : NULL;
	}
	return 0;
}

static int insert_csv(struct vb_db *db, const char *run_id, const char *dir,
		      const struct csv_table *t, uint64_t *count, char *err, size_t errlen)
{
	struct vb_csv_columns c;
	struct vb_db_stmt *st = NULL;
	char path[4096], sql[512];
	int copy = db->ops->copy_begin != NULL, started, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, t->file);
	rc = vb_csv_columns_open(&c, path, t->cols, (size_t)t->ncols, (size_t)t->nrequired, err,
				 errlen);
	if (rc < 0)
		return rc;
	table_sql(t, copy, sql, sizeof(sql));
	rc = copy ? db->ops->copy_begin(db, sql) : vb_db_prepare(db, sql, t->ncols + 1, &st);
	started = rc == 0;
	while (rc == 0 && (rc = vb_csv_columns_next(&c)) == 1) {
		const char *p[VB_CSV_COLUMNS_MAX + 1] = { run_id };

		rc = row_values(&c, t, p);
		if (rc == 0)
			rc = copy ? db->ops->copy_row(db, t->ncols + 1, p) : vb_db_run(st, p);
		if (rc == 0)
			(*count)++;
	}
	if (copy && started) {
		int end = db->ops->copy_end(db, rc == 0);

		rc = rc ? rc : end;
	}
	if (st)
		vb_db_finalize(db, st);
	vb_csv_columns_close(&c);
	return rc;
}

int vb_import_insert_samples(struct vb_db *db, const char *run_id, const char *dir,
			     uint64_t *count, char *err, size_t errlen)
{
	uint64_t other = 0;
	int rc;

	*count = 0;
	rc = insert_csv(db, run_id, dir, &csv_tables[0], count, err, errlen);
	for (size_t i = 1; rc == 0 && i < sizeof(csv_tables) / sizeof(csv_tables[0]); i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, csv_tables[i].file);
		if (access(path, F_OK) == 0)
			rc = insert_csv(db, run_id, dir, &csv_tables[i], &other, err, errlen);
	}
	return rc;
}
