/* Comparisons (compare.h) as text for a terminal, Markdown, JSON, or one
 * HTML page with the report's plots of every run. */
#ifndef VB_COMPARE_RENDER_H
#define VB_COMPARE_RENDER_H

#include <stdio.h>

#include "compare.h"
#include "report.h"

enum vb_compare_format { VB_COMPARE_TEXT, VB_COMPARE_MD, VB_COMPARE_JSON, VB_COMPARE_HTML };

/* Parse "text", "md", "json" or "html"; -EINVAL for anything else. */
int vb_compare_format_parse(const char *s, enum vb_compare_format *fmt);

/* Write @n comparisons to @f: @c[i] is @rep->runs[i + 1] (NEW) against
 * @rep->runs[0] (BASE). JSON is one object for one comparison, an array
 * for several. For HTML, @note receives why plots are missing, as
 * vb_report_write_html(). 0, -ENOMEM or -EIO. */
int vb_compare_write(const struct vb_comparison *c, size_t n, const struct vb_report *rep,
		     enum vb_compare_format fmt, FILE *f, char *note, size_t notelen);

#endif
