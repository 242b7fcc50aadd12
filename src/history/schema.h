/* The results database's schema: its tables, its version, migrating an
 * older database forward. */
#ifndef VB_SCHEMA_H
#define VB_SCHEMA_H

#include "db.h"

#define VB_SCHEMA_VERSION 2

/* Create the tables of a new database or migrate an older one forward to
 * VB_SCHEMA_VERSION. -EPROTO (message in db->err) when the database is of a
 * newer version than this tool knows. */
int vb_schema_open(struct vb_db *db);

/* The version recorded in the database (0: none yet). */
int vb_schema_version(struct vb_db *db, int *version);

#endif
