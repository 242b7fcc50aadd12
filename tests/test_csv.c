/* CSV writer and streaming reader: round trips, quoting, errors with file,
 * line and column, strict number parsing. */
#include <errno.h>

#include "check.h"
#include "csv.h"

static FILE *from_text(const char *text)
{
	FILE *f = tmpfile();

	fputs(text, f);
	rewind(f);
	return f;
}

static void test_write_quoting(void)
{
	static const char *in[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "", "cr\r" };
	static const char *want = "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"||\"cr\r\"|";
	char out[128] = { 0 };
	FILE *f = tmpfile();

	for (size_t i = 0; i < 6; i++) {
		CHECK(vb_csv_write_field(f, in[i]) != EOF);
		fputc('|', f);
	}
	rewind(f);
	CHECK(fread(out, 1, sizeof(out) - 1, f) > 0);
	CHECK_EQ_STR(out, want);
	fclose(f);
}

/* What the writer writes, the reader reads back field for field. */
static void test_round_trip(void)
{
	static const char *in[] = { "x,y", "\"q\"", "multi\nline", "", "end" };
	FILE *f = tmpfile();
	struct vb_csv_reader *r;
	char **fl;
	size_t n;

	for (size_t i = 0; i < 5; i++) {
		if (i)
			fputc(',', f);
		vb_csv_write_field(f, in[i]);
	}
	fputs("\nnext,row\n", f);
	rewind(f);
	r = vb_csv_reader_from_stream(f, "rt.csv");
	CHECK(vb_csv_reader_next(r, &fl, &n) == 1);
	CHECK_EQ_U64(n, 5);
	for (size_t i = 0; i < 5 && i < n; i++)
		CHECK_EQ_STR(fl[i], in[i]);
	CHECK_EQ_U64(vb_csv_reader_line(r), 1);
	CHECK(vb_csv_reader_next(r, &fl, &n) == 1);
	CHECK_EQ_U64(vb_csv_reader_line(r), 3); /* the quoted newline counted */
	CHECK_EQ_U64(n, 2);
	CHECK_EQ_STR(fl[1], "row");
	CHECK(vb_csv_reader_next(r, &fl, &n) == 0);
	vb_csv_reader_free(r);
	fclose(f);
}

static void test_read_shapes(void)
{
	FILE *f = from_text("a,b\r\n,\n1,2"); /* CRLF, empty fields, no final newline */
	struct vb_csv_reader *r = vb_csv_reader_from_stream(f, "s.csv");
	char **fl;
	size_t n;

	CHECK(vb_csv_reader_next(r, &fl, &n) == 1 && n == 2);
	CHECK_EQ_STR(fl[1], "b");
	CHECK(vb_csv_reader_next(r, &fl, &n) == 1 && n == 2);
	CHECK_EQ_STR(fl[0], "");
	CHECK_EQ_STR(fl[1], "");
	CHECK(vb_csv_reader_next(r, &fl, &n) == 1 && n == 2);
	CHECK_EQ_STR(fl[1], "2");
	CHECK_EQ_U64(vb_csv_reader_line(r), 3);
	CHECK(vb_csv_reader_next(r, &fl, &n) == 0);
	vb_csv_reader_free(r);
	fclose(f);

	f = from_text(""); /* an empty file has no records */
	r = vb_csv_reader_from_stream(f, "e.csv");
	CHECK(vb_csv_reader_next(r, &fl, &n) == 0);
	vb_csv_reader_free(r);
	fclose(f);
}

static void expect_error(const char *text, const char *want)
{
	FILE *f = from_text(text);
	struct vb_csv_reader *r = vb_csv_reader_from_stream(f, "bad.csv");
	char **fl;
	size_t n;
	int got;

	while ((got = vb_csv_reader_next(r, &fl, &n)) == 1)
		;
	CHECK(got == -1);
	CHECK_EQ_STR(vb_csv_reader_error(r), want);
	vb_csv_reader_free(r);
	fclose(f);
}

static void test_errors(void)
{
	expect_error("h1,h2\n1,\"open\n", "bad.csv:2:2: unterminated quoted field");
	expect_error("h\n\"a\"b\n", "bad.csv:2:1: text after a closing quote");
	expect_error("h,i\nx,y\nab\"c\n", "bad.csv:3:1: quote inside an unquoted field");
	expect_error("a\rb\n", "bad.csv:1:1: carriage return outside quotes");
}

static void test_open_missing(void)
{
	errno = 0;
	CHECK(vb_csv_reader_open("/nonexistent/x.csv") == NULL);
	CHECK(errno == ENOENT);
}

static void test_parse_numbers(void)
{
	uint64_t u;
	int64_t i;

	CHECK(vb_csv_parse_u64("0", &u) == 0 && u == 0);
	CHECK(vb_csv_parse_u64("18446744073709551615", &u) == 0 && u == UINT64_MAX);
	CHECK(vb_csv_parse_u64("18446744073709551616", &u) == -EINVAL);
	CHECK(vb_csv_parse_u64("", &u) == -EINVAL);
	CHECK(vb_csv_parse_u64("-1", &u) == -EINVAL);
	CHECK(vb_csv_parse_u64("+1", &u) == -EINVAL);
	CHECK(vb_csv_parse_u64(" 1", &u) == -EINVAL);
	CHECK(vb_csv_parse_u64("1x", &u) == -EINVAL);
	CHECK(vb_csv_parse_u64("1.5", &u) == -EINVAL);
	CHECK(vb_csv_parse_i64("-1", &i) == 0 && i == -1);
	CHECK(vb_csv_parse_i64("-9223372036854775808", &i) == 0 && i == INT64_MIN);
	CHECK(vb_csv_parse_i64("9223372036854775807", &i) == 0 && i == INT64_MAX);
	CHECK(vb_csv_parse_i64("9223372036854775808", &i) == -EINVAL);
	CHECK(vb_csv_parse_i64("-9223372036854775809", &i) == -EINVAL);
	CHECK(vb_csv_parse_i64("-", &i) == -EINVAL);
	CHECK(vb_csv_parse_i64("--1", &i) == -EINVAL);
}

int main(void)
{
	test_write_quoting();
	test_round_trip();
	test_read_shapes();
	test_errors();
	test_open_missing();
	test_parse_numbers();
	return vb_check_exit();
}
