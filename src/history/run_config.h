/* The table run_config: a run's configuration (meta.json's "config") as
 * one row per key, so that `db history --where KEY=VALUE` is one SQL text
 * for both backends (their JSON functions differ: SQLite's json_extract,
 * PostgreSQL's ->> on a json value).
 *
 * A value is stored as text: a string as itself ("none", "pio"), any other
 * value as its compact JSON (4, true, 10.0, [0,1]); a null is not stored. */
#ifndef VB_RUN_CONFIG_H
#define VB_RUN_CONFIG_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"

/* One row per key of @config (an object; anything else inserts nothing).
 * Inside the caller's transaction. 0 or -errno, message in db->err. */
int vb_run_config_insert(struct vb_db *db, const char *run_id, json_t *config);

/* The rows of every run already in the database, from runs.config: the
 * migration to the schema version that added the table. */
int vb_run_config_fill(struct vb_db *db);

/* Whether any run has a config key @key: 0 (*@known set) or -errno. */
int vb_run_config_known(struct vb_db *db, const char *key, int *known);

#endif
