/* CSV by column name (csv_columns.h). */
#include "csv_columns.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Large enough that a million-row file costs a few dozen read() calls. */
#define READ_BUFFER (1 << 20)

static int fail(struct vb_csv_columns *c, int err, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct vb_csv_columns *c, int err, size_t col, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->path,
			 vb_csv_reader_line(c->reader), col);

	if (n < 0 || (size_t)n >= c->errlen)
		return err;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return err;
}

/* The reader's own message, which already names path, line and column. */
static int reader_fail(struct vb_csv_columns *c)
{
	snprintf(c->err, c->errlen, "%s", vb_csv_reader_error(c->reader));
	return strstr(c->err, "read error") ? -EIO : -EINVAL;
}

static int map_header(struct vb_csv_columns *c, size_t nnames, size_t nrequired)
{
	size_t nf;
	int r = vb_csv_reader_next(c->reader, &c->fields, &nf);

	if (r < 0)
		return reader_fail(c);
	if (r == 0)
		return fail(c, -EINVAL, 1, "empty file, expected a header line");
	c->nheader = nf;
	for (size_t i = 0; i < nnames; i++) {
		c->index[i] = VB_CSV_COLUMN_ABSENT;
		for (size_t f = 0; f < nf; f++)
			if (strcmp(c->fields[f], c->names[i]) == 0)
				c->index[i] = f;
		if (c->index[i] == VB_CSV_COLUMN_ABSENT && i < nrequired)
			return fail(c, -EINVAL, nf + 1, "missing column '%s' in the header",
				    c->names[i]);
	}
	return 0;
}

int vb_csv_columns_open(struct vb_csv_columns *c, const char *path, const char *const *names,
			size_t nnames, size_t nrequired, char *err, size_t errlen)
{
	FILE *f;
	int r;

	*c = (struct vb_csv_columns){ .names = names, .err = err, .errlen = errlen };
	if (nnames > VB_CSV_COLUMNS_MAX)
		return -E2BIG;
	snprintf(c->path, sizeof(c->path), "%s", path);
	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return r;
	}
	setvbuf(f, NULL, _IOFBF, READ_BUFFER);
	c->file = f;
	c->reader = vb_csv_reader_from_stream(f, path);
	if (!c->reader) {
		vb_csv_columns_close(c);
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	r = map_header(c, nnames, nrequired);
	if (r)
		vb_csv_columns_close(c);
	return r;
}

int vb_csv_columns_next(struct vb_csv_columns *c)
{
	size_t nf;
	int r = vb_csv_reader_next(c->reader, &c->fields, &nf);

	if (r <= 0)
		return r < 0 ? reader_fail(c) : 0;
	if (nf < c->nheader)
		return fail(c, -EINVAL, nf + 1, "record has %zu fields, the header %zu", nf,
			    c->nheader);
	if (nf > c->nheader)
		return fail(c, -EINVAL, c->nheader + 1, "record has %zu fields, the header %zu",
			    nf, c->nheader);
	return 1;
}

const char *vb_csv_columns_str(const struct vb_csv_columns *c, size_t i)
{
	size_t f = c->index[i];

	return f == VB_CSV_COLUMN_ABSENT ? "" : c->fields[f];
}

int vb_csv_columns_u64(struct vb_csv_columns *c, size_t i, bool may_be_empty, uint64_t *out,
		       bool *present)
{
	const char *s = vb_csv_columns_str(c, i);

	if (present)
		*present = *s != '\0';
	if (!*s && may_be_empty)
		return 0;
	if (vb_csv_parse_u64(s, out) == 0)
		return 0;
	return fail(c, -EINVAL, c->index[i] + 1, "%s '%s' is not a non-negative integer",
		    c->names[i], s);
}

size_t vb_csv_columns_line(const struct vb_csv_columns *c)
{
	return vb_csv_reader_line(c->reader);
}

void vb_csv_columns_close(struct vb_csv_columns *c)
{
	/* A reader made from a stream leaves closing it to us. */
	vb_csv_reader_free(c->reader);
	if (c->file)
		fclose(c->file);
	c->reader = NULL;
	c->file = NULL;
}
