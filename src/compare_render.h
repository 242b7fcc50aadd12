/* A comparison (compare.h) as text for a terminal, Markdown, or JSON. */
#ifndef VB_COMPARE_RENDER_H
#define VB_COMPARE_RENDER_H

#include <stdio.h>

#include "compare.h"

enum vb_compare_format { VB_COMPARE_TEXT, VB_COMPARE_MD, VB_COMPARE_JSON };

/* Parse "text", "md" or "json"; -EINVAL for anything else. */
int vb_compare_format_parse(const char *s, enum vb_compare_format *fmt);

/* Write @c of @base against @new_ to @f. 0, -ENOMEM or -EIO. */
int vb_compare_write(const struct vb_comparison *c, const struct vb_rundata *base,
		     const struct vb_rundata *new_, enum vb_compare_format fmt, FILE *f);

#endif
