/* RFC 4180 CSV writing and streaming reading (csv.h). */
#include "csv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int vb_csv_write_field(FILE *f, const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")])
		return fputs(s, f);
	if (fputc('"', f) == EOF)
		return EOF;
	for (; *s; s++)
		if ((*s == '"' && fputc('"', f) == EOF) || fputc(*s, f) == EOF)
			return EOF;
	return fputc('"', f) == EOF ? EOF : 0;
}

struct vb_csv_reader {
	FILE *f;
	bool owned;
	char *name;
	size_t line;        /* line the next record starts on */
	size_t record_line; /* line of the record last returned */
	char *buf;          /* the record's fields, NUL-separated */
	size_t len, cap;
	size_t *start;      /* offset of each field in buf */
	char **fields;
	size_t nfields, fcap;
	char error[512];
};

static struct vb_csv_reader *reader_new(FILE *f, const char *name, bool owned)
{
	struct vb_csv_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->name = strdup(name);
	if (!r->name) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->f = f;
	r->owned = owned;
	r->line = 1;
	return r;
}

struct vb_csv_reader *vb_csv_reader_open(const char *path)
{
	FILE *f = fopen(path, "re");
	struct vb_csv_reader *r;

	if (!f)
		return NULL;
	r = reader_new(f, path, true);
	if (!r)
		fclose(f);
	return r;
}

struct vb_csv_reader *vb_csv_reader_from_stream(FILE *f, const char *name)
{
	return reader_new(f, name, false);
}

void vb_csv_reader_free(struct vb_csv_reader *r)
{
	if (!r)
		return;
	if (r->owned)
		fclose(r->f);
	free(r->name);
	free(r->buf);
	free(r->start);
	free(r->fields);
	free(r);
}

static int put_char(struct vb_csv_reader *r, char c)
{
	if (r->len == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		char *b = realloc(r->buf, cap);

		if (!b)
			return -1;
		r->buf = b;
		r->cap = cap;
	}
	r->buf[r->len++] = c;
	return 0;
}

/* Start a new field at the current end of buf. */
static int new_field(struct vb_csv_reader *r)
{
	if (r->nfields == r->fcap) {
		size_t cap = r->fcap ? 2 * r->fcap : 16;
		size_t *s = realloc(r->start, cap * sizeof(*s));

		if (!s)
			return -1;
		r->start = s;
		char **fl = realloc(r->fields, cap * sizeof(*fl));

		if (!fl)
			return -1;
		r->fields = fl;
		r->fcap = cap;
	}
	r->start[r->nfields++] = r->len;
	return 0;
}

static int fail(struct vb_csv_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct vb_csv_reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->error, sizeof(r->error), "%s:%zu:%zu: ", r->name, r->record_line,
			 r->nfields ? r->nfields : 1);

	va_start(ap, fmt);
	vsnprintf(r->error + n, sizeof(r->error) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Read one quoted field's content after its opening quote. */
static int read_quoted(struct vb_csv_reader *r)
{
	for (;;) {
		int c = getc_unlocked(r->f);

		if (c == EOF)
			return fail(r, "unterminated quoted field");
		if (c == '\n')
			r->line++;
		if (c == '"') {
			c = getc_unlocked(r->f);
			if (c != '"') {
				if (c != EOF)
					ungetc(c, r->f);
				return 0;
			}
		}
		if (put_char(r, (char)c))
			return fail(r, "out of memory");
	}
}

int vb_csv_reader_next(struct vb_csv_reader *r, char ***fields, size_t *nfields)
{
	int c = getc_unlocked(r->f);

	r->len = 0;
	r->nfields = 0;
	r->record_line = r->line;
	if (c == EOF)
		return ferror(r->f) ? fail(r, "read error: %s", strerror(errno)) : 0;
	if (new_field(r))
		return fail(r, "out of memory");
	for (;; c = getc_unlocked(r->f)) {
		if (c == '"' && r->len == r->start[r->nfields - 1]) {
			if (read_quoted(r))
				return -1;
			c = getc_unlocked(r->f);
			if (c != ',' && c != '\n' && c != '\r' && c != EOF)
				return fail(r, "text after a closing quote");
		}
		if (c == '\r') {
			c = getc_unlocked(r->f);
			if (c != '\n')
				return fail(r, "carriage return outside quotes");
		}
		if (c == EOF || c == '\n') {
			if (c == '\n')
				r->line++;
			if (c == EOF && ferror(r->f))
				return fail(r, "read error: %s", strerror(errno));
			break;
		}
		if (c == ',') {
			if (put_char(r, '\0') || new_field(r))
				return fail(r, "out of memory");
			continue;
		}
		if (c == '"')
			return fail(r, "quote inside an unquoted field");
		if (put_char(r, (char)c))
			return fail(r, "out of memory");
	}
	if (put_char(r, '\0'))
		return fail(r, "out of memory");
	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i] = r->buf + r->start[i];
	*fields = r->fields;
	*nfields = r->nfields;
	return 1;
}

size_t vb_csv_reader_line(const struct vb_csv_reader *r)
{
	return r->record_line;
}

const char *vb_csv_reader_error(const struct vb_csv_reader *r)
{
	return r->error;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int vb_csv_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!all_digits(s))
		return -EINVAL;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int vb_csv_parse_i64(const char *s, int64_t *out)
{
	bool neg = *s == '-';
	uint64_t v;

	if (vb_csv_parse_u64(s + neg, &v))
		return -EINVAL;
	if (v > (uint64_t)INT64_MAX + neg)
		return -EINVAL;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}
