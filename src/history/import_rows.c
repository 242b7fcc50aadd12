/* The INSERTs of one run. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Columns of phases.csv we keep; the first four are required. */
static const char *const sample_cols[] = { "phase",     "start_ns", "duration_ns",
					   "status",    "iteration", "vm", "vcpu" };

int vb_import_insert_samples(struct vb_db *db, const char *run_id, const char *dir,
			     uint64_t *count, char *err, size_t errlen)
{
	struct vb_csv_columns c;
	struct vb_db_stmt *st = NULL;
	char path[4096];
	int copy = db->ops->copy_begin != NULL, started, rc;

	*count = 0;
	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	rc = vb_csv_columns_open(&c, path, sample_cols, 7, 4, err, errlen);
	if (rc < 0)
		return rc;
	if (copy)
		rc = db->ops->copy_begin(db, "COPY samples (run_id, iteration, vm, vcpu, phase,"
					 " start_ns, duration_ns, status) FROM STDIN");
	else
		rc = vb_db_prepare(db,
				   "INSERT INTO samples (run_id, iteration, vm, vcpu, phase,"
				   " start_ns, duration_ns, status) VALUES ($1, $2, $3, $4, $5,"
				   " $6, $7, $8)",
				   8, &st);
	started = rc == 0;
	while (rc == 0 && (rc = vb_csv_columns_next(&c)) == 1) {
		const char *p[8] = { run_id };
		static const int order[8] = { -1, 4, 5, 6, 0, 1, 2, 3 };

		for (int i = 1; i < 8; i++) {
			const char *v = vb_csv_columns_str(&c, (size_t)order[i]);

			p[i] = *v ? v : NULL;
		}
		rc = copy ? db->ops->copy_row(db, 8, p) : vb_db_run(st, p);
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
