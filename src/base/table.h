/* A table of text cells, rendered three ways from the same content: aligned
 * plain text for a terminal (widths counted in characters, not bytes, so
 * "µs" and "±" align), a Markdown table, and an HTML <table>. Reports
 * build one table and pick the renderer, so the formats cannot drift.
 *
 * Building never fails loudly: the first allocation failure is remembered
 * and returned by every writer, so callers may check once at the end. */
#ifndef VB_TABLE_H
#define VB_TABLE_H

#include <stddef.h>
#include <stdio.h>

enum vb_align { VB_ALIGN_LEFT, VB_ALIGN_RIGHT };

struct vb_table; /* opaque */

/* NULL with errno set on failure. */
struct vb_table *vb_table_new(void);
void vb_table_free(struct vb_table *t);

/* Append a column. @sep is what separates it from the previous column in
 * text ("  " when NULL; " ± " puts a sign between a mean and its spread),
 * and is left out of Markdown and HTML. 0 or -ENOMEM. */
int vb_table_column(struct vb_table *t, const char *header, enum vb_align align, const char *sep);

/* Label the @count columns from @first as one group (one run among
 * several): a line above the headers in text, a spanning header cell in
 * HTML, a prefix of each header in Markdown. 0, -EINVAL or -ENOMEM. */
int vb_table_group(struct vb_table *t, size_t first, size_t count, const char *label);

/* Start a new row; cells are then appended left to right. 0 or -ENOMEM. */
int vb_table_row(struct vb_table *t);

/* Append a printf-formatted cell to the current row. 0, -EINVAL (no row or
 * the row is full) or -ENOMEM. */
int vb_table_cell(struct vb_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Render to @f. @indent prefixes every text line. Return 0, the first
 * building error, or -EIO when writing failed. */
int vb_table_write_text(const struct vb_table *t, FILE *f, const char *indent);
int vb_table_write_md(const struct vb_table *t, FILE *f);
int vb_table_write_html(const struct vb_table *t, FILE *f);

/* Write @s with &, <, >, " and ' escaped for HTML text and attributes.
 * What fputs returns. */
int vb_html_escape(FILE *f, const char *s);

#endif
