/* CSV as vcpubench writes and reads it: RFC 4180 (comma separator, fields
 * with comma, quote, CR or LF are quoted, quotes doubled), "\n" line ends,
 * a header line first. The reader streams (one record in memory at a time)
 * and knows the line of every record, for error messages like
 * "phases.csv:17:6: 'x' is not a number" where 6 is the 1-based column
 * (field number) of the record: what a user counts in a spreadsheet. */
#ifndef VB_CSV_H
#define VB_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Write @s as one CSV field (quoted only when needed). Returns what fputs
 * returns (EOF on error). */
int vb_csv_write_field(FILE *f, const char *s);

struct vb_csv_reader; /* opaque */

/* Open @path for reading. NULL with errno set on failure. */
struct vb_csv_reader *vb_csv_reader_open(const char *path);
/* Read from an already open stream (not closed by vb_csv_reader_free()); @name is used in messages. */
struct vb_csv_reader *vb_csv_reader_from_stream(FILE *f, const char *name);
void vb_csv_reader_free(struct vb_csv_reader *r);

/* Read the next record. Returns 1 with *fields and *nfields set (valid until the
 * next call), 0 at end of file, or -1 on a malformed record (unterminated
 * quote, ...) or I/O error, with vb_csv_reader_error() describing it. */
int vb_csv_reader_next(struct vb_csv_reader *r, char ***fields, size_t *nfields);

/* 1-based line of the record last returned (its first line). */
size_t vb_csv_reader_line(const struct vb_csv_reader *r);

/* "name:line:col: what" of the last error (col: 1-based field number);
 * the reader owns the string. */
const char *vb_csv_reader_error(const struct vb_csv_reader *r);

/* Strict field parsers: the whole field must be a decimal number in range,
 * no sign for unsigned, no spaces. 0 on success, -EINVAL otherwise. */
int vb_csv_parse_u64(const char *s, uint64_t *out);
int vb_csv_parse_i64(const char *s, int64_t *out);

#endif
