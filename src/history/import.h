/* Importing results directories into the database: a results directory
 * is one run; a directory without phases.csv (a sweep, a tools/kernels
 * output, a set of rounds) imports each results directory below it, each
 * as its own run. Each run goes in whole or not at all (one transaction),
 * and a run already present (same run id) is skipped. */
#ifndef VB_IMPORT_H
#define VB_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

enum vb_import_status { VB_IMPORT_ADDED, VB_IMPORT_SKIPPED, VB_IMPORT_FAILED };

struct vb_import_item {
	char *dir;
	char run_id[33];
	enum vb_import_status status;
	uint64_t samples;           /* sample rows inserted */
	char err[5120];             /* VB_IMPORT_FAILED: why (paths are long) */
};

struct vb_import {
	struct vb_import_item *items;
	size_t n, cap;
	size_t added, skipped, failed;
	uint64_t samples;
};

/* Import @dir (a results directory or a directory of them) into @db, whose
 * schema is open. A directory that fails is recorded in @imp and the
 * others still go in. Returns 0, or -errno (message in db->err) when the
 * database itself fails (a lost connection, a full disk) or memory runs
 * out. */
int vb_import_path(struct vb_db *db, const char *dir, struct vb_import *imp);

void vb_import_release(struct vb_import *imp);

/* The run id of a run's meta.json: a hash of what identifies a run (start
 * time, host, command line, config), 32 hex digits into @out. */
void vb_import_run_id(const char *meta_text, char out[33]);

#endif
