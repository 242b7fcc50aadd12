/* Reading a CSV file by column name: the header line says where each
 * wanted column is, so files may reorder columns or gain new ones (a traced
 * phases.csv gains kernel_ns) and older readers keep working. Every record
 * must have as many fields as the header. Errors are "path:line:col: what",
 * col being the 1-based field number, as the CSV reader reports them. */
#ifndef VB_CSV_COLUMNS_H
#define VB_CSV_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"

#define VB_CSV_COLUMNS_MAX 16
#define VB_CSV_COLUMN_ABSENT ((size_t)-1)

struct vb_csv_columns {
	struct vb_csv_reader *reader;
	FILE *file;                      /* the reader's stream (ours) */
	char path[4096];
	size_t nheader;                  /* fields in the header line */
	size_t index[VB_CSV_COLUMNS_MAX]; /* field of each wanted column, or _ABSENT */
	const char *const *names;        /* the wanted columns (borrowed) */
	char **fields;                   /* the current record */
	char *err;                       /* caller's message buffer */
	size_t errlen;
};

/* Open @path and read its header. @names lists @nnames wanted columns; the
 * first @nrequired must be present, the others may be absent (then
 * index[i] is VB_CSV_COLUMN_ABSENT). Returns 0; -errno when the file cannot
 * be opened (message "cannot open 'path': ..."); -EINVAL when the file is
 * empty or lacks a required column (message with line and column). The
 * message goes to @err (@errlen bytes), which must outlive @c. */
int vb_csv_columns_open(struct vb_csv_columns *c, const char *path, const char *const *names,
			size_t nnames, size_t nrequired, char *err, size_t errlen);

/* Next record: 1, 0 at end of file, -EINVAL when it is malformed or has
 * another number of fields than the header, -EIO on a read error. */
int vb_csv_columns_next(struct vb_csv_columns *c);

/* Wanted column @i of the current record; "" when the column is absent. */
const char *vb_csv_columns_str(const struct vb_csv_columns *c, size_t i);

/* Wanted column @i as an unsigned decimal: 0, or -EINVAL with a message
 * naming line, column and value. With @may_be_empty an empty field (an id
 * that does not apply) is accepted and sets *present to false; *present may
 * be NULL otherwise. */
int vb_csv_columns_u64(struct vb_csv_columns *c, size_t i, bool may_be_empty, uint64_t *out,
		       bool *present);

/* 1-based line of the current record. */
size_t vb_csv_columns_line(const struct vb_csv_columns *c);

void vb_csv_columns_close(struct vb_csv_columns *c);

#endif
