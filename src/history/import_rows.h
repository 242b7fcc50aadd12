/* The rows of one run, each table's INSERT (import.c runs them inside the
 * run's transaction). */
#ifndef VB_IMPORT_ROWS_H
#define VB_IMPORT_ROWS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "rundata.h"

int vb_import_insert_run(struct vb_db *db, const char *run_id, const char *dir, json_t *meta,
			 const char *meta_text, uint64_t rows);
int vb_import_insert_summaries(struct vb_db *db, const char *run_id,
			       const struct vb_rundata *rd);
/* Every row of @dir/phases.csv, and of exits.csv and kvm_stats.csv where
 * present; *@count gets the number of phases.csv's rows. -EINVAL
 * with a message in @err for a malformed file, -EIO from the database. */
int vb_import_insert_samples(struct vb_db *db, const char *run_id, const char *dir,
			     uint64_t *count, char *err, size_t errlen);

#endif
