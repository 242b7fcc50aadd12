/* One schema for both backends: only types and syntax both dialects take
 * (TEXT, BIGINT, DOUBLE PRECISION, no AUTOINCREMENT/SERIAL), and
 * "IF NOT EXISTS" so creating is idempotent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "run_config.h"
#include "schema.h"

/* migrations[i] brings a database from version i to i + 1. samples has
 * no index: nothing here reads it by key, and maintaining one on a 32-digit
 * run id cost a third of the import's time. */
static const char *const migrations[] = {
	"CREATE TABLE IF NOT EXISTS runs ("
	" run_id TEXT PRIMARY KEY,"
	" dir TEXT, started_utc TEXT, ended_utc TEXT,"
	" host TEXT, cpu_model TEXT, kernel TEXT, kernel_version TEXT, cmdline TEXT,"
	" command_line TEXT, kvm_params TEXT, config TEXT,"
	" tool_version TEXT, git TEXT, accelerator TEXT, emulated BIGINT, complete BIGINT,"
	" rows_total BIGINT, meta TEXT);"
	"CREATE TABLE IF NOT EXISTS phase_summary ("
	" run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
	" phase TEXT NOT NULL, n BIGINT, failed BIGINT,"
	" min DOUBLE PRECISION, p50 DOUBLE PRECISION, p90 DOUBLE PRECISION,"
	" p99 DOUBLE PRECISION, max DOUBLE PRECISION, mean DOUBLE PRECISION,"
	" stddev DOUBLE PRECISION, PRIMARY KEY (run_id, phase));"
	"CREATE TABLE IF NOT EXISTS samples ("
	" run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
	" iteration BIGINT, vm BIGINT, vcpu BIGINT, phase TEXT NOT NULL,"
	" start_ns BIGINT, duration_ns BIGINT, status TEXT);"
	"CREATE TABLE IF NOT EXISTS exits ("
	" run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
	" iteration BIGINT, vm BIGINT, vcpu BIGINT, seq BIGINT, exit_reason TEXT,"
	" duration_ns BIGINT);"
	"CREATE TABLE IF NOT EXISTS kvm_stats ("
	" run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
	" iteration BIGINT, vm BIGINT, vcpu BIGINT, stat TEXT, before BIGINT, after BIGINT);"
	"CREATE INDEX IF NOT EXISTS runs_started ON runs (started_utc);",
	/* 2: the config as rows, for db history --where (run_config.h). */
	"CREATE TABLE IF NOT EXISTS run_config ("
	" run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
	" name TEXT NOT NULL, value TEXT, PRIMARY KEY (run_id, name));",
};

/* fills[i], after migrations[i], derives in C what SQL alone cannot (NULL: nothing). */
static int (*const fills[])(struct vb_db *db) = { NULL, vb_run_config_fill };

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(NMIGRATIONS == VB_SCHEMA_VERSION, "one migration per version");
_Static_assert(sizeof(fills) / sizeof(fills[0]) == NMIGRATIONS, "one fill per migration");

static int take_int(void *arg, size_t ncols, const char *const *vals)
{
	if (ncols > 0 && vals[0])
		*(int *)arg = atoi(vals[0]);
	return 1;
}

int vb_schema_version(struct vb_db *db, int *version)
{
	*version = 0;
	return vb_db_query(db, "SELECT MAX(version) FROM schema_version", 0, NULL, take_int,
			   version);
}

static int migrate(struct vb_db *db, int from)
{
	char sql[128];
	int rc = vb_db_exec(db, migrations[from]);

	if (rc == 0 && fills[from])
		rc = fills[from](db);
	if (rc == 0) {
		snprintf(sql, sizeof(sql), "INSERT INTO schema_version (version) VALUES (%d)",
			 from + 1);
		rc = vb_db_exec(db, sql);
	}
	return rc;
}

int vb_schema_open(struct vb_db *db)
{
	int version, rc;

	rc = vb_db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version ("
			    " version BIGINT PRIMARY KEY)");
	if (rc == 0)
		rc = vb_db_exec(db, "BEGIN");
	if (rc < 0)
		return rc;
	rc = vb_schema_version(db, &version);
	if (rc == 0 && version > VB_SCHEMA_VERSION) {
		snprintf(db->err, sizeof(db->err),
			 "database schema version %d is newer than this vcpubench's (%d)", version,
			 VB_SCHEMA_VERSION);
		rc = -EPROTO;
	}
	for (int v = version; rc == 0 && v < VB_SCHEMA_VERSION; v++)
		rc = migrate(db, v);
	if (rc < 0) {
		char keep[sizeof(db->err)];

		snprintf(keep, sizeof(keep), "%s", db->err);
		vb_db_exec(db, "ROLLBACK");
		snprintf(db->err, sizeof(db->err), "%s", keep);
		return rc;
	}
	return vb_db_exec(db, "COMMIT");
}
