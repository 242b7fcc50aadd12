/* Text, Markdown and HTML tables (table.h). */
#include "table.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct column {
	char *header;
	char *sep;
	enum vb_align align;
	size_t width; /* text width in characters, computed when rendering */
};

struct group {
	size_t first, count;
	char *label;
};

struct vb_table {
	struct column *cols;
	size_t ncols;
	struct group *groups;
	size_t ngroups;
	char **cells;  /* row-major, ncols per row; NULL: empty cell */
	size_t nrows, rows_cap;
	size_t next;   /* next cell of the current row */
	int error;     /* first building error */
};

struct vb_table *vb_table_new(void)
{
	return calloc(1, sizeof(struct vb_table));
}

void vb_table_free(struct vb_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++) {
		free(t->cols[i].header);
		free(t->cols[i].sep);
	}
	for (size_t i = 0; i < t->ngroups; i++)
		free(t->groups[i].label);
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cols);
	free(t->groups);
	free(t->cells);
	free(t);
}

static int failed(struct vb_table *t, int err)
{
	if (!t->error)
		t->error = err;
	return err;
}

int vb_table_column(struct vb_table *t, const char *header, enum vb_align align, const char *sep)
{
	struct column *c;

	if (t->nrows)
		return failed(t, -EINVAL); /* columns come before rows */
	c = realloc(t->cols, (t->ncols + 1) * sizeof(*c));
	if (!c)
		return failed(t, -ENOMEM);
	t->cols = c;
	c += t->ncols;
	*c = (struct column){ .header = strdup(header), .sep = strdup(sep ? sep : "  "),
			      .align = align };
	if (!c->header || !c->sep) {
		free(c->header);
		free(c->sep);
		return failed(t, -ENOMEM);
	}
	t->ncols++;
	return 0;
}

int vb_table_group(struct vb_table *t, size_t first, size_t count, const char *label)
{
	struct group *g;

	if (!count || first + count > t->ncols)
		return failed(t, -EINVAL);
	g = realloc(t->groups, (t->ngroups + 1) * sizeof(*g));
	if (!g)
		return failed(t, -ENOMEM);
	t->groups = g;
	g[t->ngroups] = (struct group){ first, count, strdup(label) };
	if (!g[t->ngroups].label)
		return failed(t, -ENOMEM);
	t->ngroups++;
	return 0;
}

int vb_table_row(struct vb_table *t)
{
	if (t->nrows == t->rows_cap) {
		size_t cap = t->rows_cap ? 2 * t->rows_cap : 32;
		char **c = realloc(t->cells, cap * t->ncols * sizeof(*c));

		if (!c)
			return failed(t, -ENOMEM);
		t->cells = c;
		t->rows_cap = cap;
	}
	memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof(*t->cells));
	t->nrows++;
	t->next = 0;
	return 0;
}

int vb_table_cell(struct vb_table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (!t->nrows || t->next >= t->ncols)
		return failed(t, -EINVAL);
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return failed(t, -ENOMEM);
	t->cells[(t->nrows - 1) * t->ncols + t->next++] = s;
	return 0;
}

static const char *cell(const struct vb_table *t, size_t row, size_t col)
{
	const char *s = t->cells[row * t->ncols + col];

	return s ? s : "";
}

/* Characters, not bytes: UTF-8 continuation bytes do not count. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

static void put_aligned(FILE *f, const char *s, size_t w, enum vb_align a, bool last)
{
	size_t sw = width(s);
	size_t gap = sw < w ? w - sw : 0;

	if (a == VB_ALIGN_RIGHT)
		pad(f, gap);
	fputs(s, f);
	if (a == VB_ALIGN_LEFT && !last)
		pad(f, gap); /* no trailing blanks at the end of a line */
}

/* Total text width of columns [first, first + count), separators between. */
static size_t span_width(const struct vb_table *t, size_t first, size_t count)
{
	size_t w = 0;

	for (size_t i = first; i < first + count; i++)
		w += t->cols[i].width + (i > first ? width(t->cols[i].sep) : 0);
	return w;
}

static void compute_widths(const struct vb_table *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		size_t w = width(t->cols[c].header);

		for (size_t r = 0; r < t->nrows; r++)
			if (width(cell(t, r, c)) > w)
				w = width(cell(t, r, c));
		t->cols[c].width = w;
	}
	/* A group label wider than its columns widens its last column. */
	for (size_t g = 0; g < t->ngroups; g++) {
		const struct group *gr = &t->groups[g];
		size_t need = width(gr->label), have = span_width(t, gr->first, gr->count);

		if (need > have)
			t->cols[gr->first + gr->count - 1].width += need - have;
	}
}

static void write_groups_text(const struct vb_table *t, FILE *f, const char *indent)
{
	size_t col = 0;

	fputs(indent, f);
	for (size_t g = 0; g < t->ngroups; g++) {
		const struct group *gr = &t->groups[g];

		if (gr->first > col)
			pad(f, span_width(t, col, gr->first - col) +
				       (col ? width(t->cols[col].sep) : 0));
		if (gr->first > 0)
			pad(f, width(t->cols[gr->first].sep));
		put_aligned(f, gr->label, span_width(t, gr->first, gr->count), VB_ALIGN_LEFT,
			    g + 1 == t->ngroups);
		col = gr->first + gr->count;
	}
	fputc('\n', f);
}

/* A column with its own separator is joined to the one before: in the
 * header line their headers read as one ("mean ± σ") over both. */
static bool joined(const struct vb_table *t, size_t c)
{
	return c + 1 < t->ncols && strcmp(t->cols[c + 1].sep, "  ") != 0;
}

static void write_header_text(const struct vb_table *t, FILE *f, const char *indent)
{
	fputs(indent, f);
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			pad(f, width(t->cols[c].sep));
		if (!joined(t, c)) {
			put_aligned(f, t->cols[c].header, t->cols[c].width, t->cols[c].align,
				    c + 1 == t->ncols);
			continue;
		}
		char *h = NULL;

		if (asprintf(&h, "%s%s%s", t->cols[c].header, t->cols[c + 1].sep,
			     t->cols[c + 1].header) < 0)
			h = NULL;
		put_aligned(f, h ? h : "", span_width(t, c, 2), VB_ALIGN_RIGHT, c + 2 == t->ncols);
		free(h);
		c++;
	}
	fputc('\n', f);
}

static void write_row_text(const struct vb_table *t, FILE *f, const char *indent, size_t row)
{
	fputs(indent, f);
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputs(t->cols[c].sep, f);
		put_aligned(f, cell(t, row, c), t->cols[c].width, t->cols[c].align,
			    c + 1 == t->ncols);
	}
	fputc('\n', f);
}

int vb_table_write_text(const struct vb_table *t, FILE *f, const char *indent)
{
	if (t->error)
		return t->error;
	compute_widths(t);
	if (t->ngroups)
		write_groups_text(t, f, indent);
	write_header_text(t, f, indent);
	for (size_t r = 0; r < t->nrows; r++)
		write_row_text(t, f, indent, r);
	return ferror(f) ? -EIO : 0;
}

static const struct group *group_of(const struct vb_table *t, size_t col)
{
	for (size_t g = 0; g < t->ngroups; g++)
		if (col >= t->groups[g].first && col < t->groups[g].first + t->groups[g].count)
			return &t->groups[g];
	return NULL;
}

/* Markdown cells cannot hold '|' or line breaks unescaped. */
static void md_cell(FILE *f, const char *s)
{
	fputc(' ', f);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputs(" |", f);
}

int vb_table_write_md(const struct vb_table *t, FILE *f)
{
	if (t->error)
		return t->error;
	fputc('|', f);
	for (size_t c = 0; c < t->ncols; c++) {
		const struct group *g = group_of(t, c);
		char *h = NULL;

		if (g && asprintf(&h, "%s %s", g->label, t->cols[c].header) < 0)
			return -ENOMEM;
		md_cell(f, h ? h : t->cols[c].header);
		free(h);
	}
	fputs("\n|", f);
	for (size_t c = 0; c < t->ncols; c++)
		fputs(t->cols[c].align == VB_ALIGN_RIGHT ? " ---: |" : " :--- |", f);
	fputc('\n', f);
	for (size_t r = 0; r < t->nrows; r++) {
		fputc('|', f);
		for (size_t c = 0; c < t->ncols; c++)
			md_cell(f, cell(t, r, c));
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

int vb_html_escape(FILE *f, const char *s)
{
	int r = 0;

	for (; *s && r != EOF; s++) {
		switch (*s) {
		case '&': r = fputs("&amp;", f); break;
		case '<': r = fputs("&lt;", f); break;
		case '>': r = fputs("&gt;", f); break;
		case '"': r = fputs("&quot;", f); break;
		case '\'': r = fputs("&#39;", f); break;
		default: r = fputc(*s, f) == EOF ? EOF : 0;
		}
	}
	return r;
}

static void html_cell(FILE *f, const char *tag, const char *s, enum vb_align a, size_t span)
{
	fprintf(f, "<%s", tag);
	if (span > 1)
		fprintf(f, " colspan=\"%zu\"", span);
	if (a == VB_ALIGN_RIGHT)
		fputs(" class=\"num\"", f);
	fputc('>', f);
	vb_html_escape(f, s);
	fprintf(f, "</%s>", tag);
}

static void write_groups_html(const struct vb_table *t, FILE *f)
{
	size_t col = 0;

	fputs("<tr>", f);
	for (size_t g = 0; g < t->ngroups; g++) {
		if (t->groups[g].first > col)
			html_cell(f, "th", "", VB_ALIGN_LEFT, t->groups[g].first - col);
		html_cell(f, "th", t->groups[g].label, VB_ALIGN_LEFT, t->groups[g].count);
		col = t->groups[g].first + t->groups[g].count;
	}
	if (col < t->ncols)
		html_cell(f, "th", "", VB_ALIGN_LEFT, t->ncols - col);
	fputs("</tr>\n", f);
}

int vb_table_write_html(const struct vb_table *t, FILE *f)
{
	if (t->error)
		return t->error;
	fputs("<table>\n<thead>\n", f);
	if (t->ngroups)
		write_groups_html(t, f);
	fputs("<tr>", f);
	for (size_t c = 0; c < t->ncols; c++)
		html_cell(f, "th", t->cols[c].header, t->cols[c].align, 1);
	fputs("</tr>\n</thead>\n<tbody>\n", f);
	for (size_t r = 0; r < t->nrows; r++) {
		fputs("<tr>", f);
		for (size_t c = 0; c < t->ncols; c++)
			html_cell(f, "td", cell(t, r, c), t->cols[c].align, 1);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
	return ferror(f) ? -EIO : 0;
}
