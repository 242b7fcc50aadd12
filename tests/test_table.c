/* Tables: text aligned by characters (µ, ± and σ are two bytes in UTF-8),
 * a sign between joined columns, group labels; Markdown and HTML escape
 * what would break them. */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "table.h"

static char *render(struct vb_table *t, int how)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (how == 0)
		CHECK(vb_table_write_text(t, f, "") == 0);
	else if (how == 1)
		CHECK(vb_table_write_md(t, f) == 0);
	else
		CHECK(vb_table_write_html(t, f) == 0);
	fclose(f);
	return buf;
}

static struct vb_table *sample(void)
{
	struct vb_table *t = vb_table_new();

	vb_table_column(t, "phase (µs)", VB_ALIGN_LEFT, NULL);
	vb_table_column(t, "mean", VB_ALIGN_RIGHT, NULL);
	vb_table_column(t, "σ", VB_ALIGN_RIGHT, " ± ");
	vb_table_row(t);
	vb_table_cell(t, "%s", "vm_create");
	vb_table_cell(t, "%.2f", 227.92);
	vb_table_cell(t, "%.2f", 170.69);
	vb_table_row(t);
	vb_table_cell(t, "%s", "a|b<c>");
	vb_table_cell(t, "%.2f", 3.0);
	vb_table_cell(t, "%.2f", 0.5);
	return t;
}

static void test_text(void)
{
	struct vb_table *t = sample();
	char *s = render(t, 0);

	CHECK_EQ_STR(s, "phase (µs)         mean ± σ\n"
			"vm_create   227.92 ± 170.69\n"
			"a|b<c>        3.00 ±   0.50\n");
	free(s);
	vb_table_free(t);
}

static void test_groups(void)
{
	struct vb_table *t = vb_table_new();
	char *s;

	vb_table_column(t, "phase", VB_ALIGN_LEFT, NULL);
	vb_table_column(t, "n", VB_ALIGN_RIGHT, NULL);
	vb_table_column(t, "n", VB_ALIGN_RIGHT, NULL);
	CHECK(vb_table_group(t, 1, 1, "[1] a") == 0);
	CHECK(vb_table_group(t, 2, 1, "[2] b") == 0);
	vb_table_row(t);
	vb_table_cell(t, "%s", "x");
	vb_table_cell(t, "%d", 1);
	vb_table_cell(t, "%d", 22);
	s = render(t, 0);
	/* A label wider than its columns widens them. */
	CHECK_EQ_STR(s, "       [1] a  [2] b\n"
			"phase      n      n\n"
			"x          1     22\n");
	free(s);
	vb_table_free(t);
}

static void test_errors(void)
{
	struct vb_table *t = vb_table_new();

	vb_table_column(t, "phase", VB_ALIGN_LEFT, NULL);
	CHECK(vb_table_group(t, 0, 5, "too wide") == -EINVAL);
	CHECK(vb_table_cell(t, "%d", 3) == -EINVAL); /* no row yet */
	vb_table_row(t);
	vb_table_cell(t, "%s", "x");
	CHECK(vb_table_cell(t, "%d", 3) == -EINVAL); /* the row is full */
	/* The remembered error fails every writer, before it writes anything. */
	CHECK(vb_table_write_text(t, stdout, "") == -EINVAL);
	CHECK(vb_table_write_md(t, stdout) == -EINVAL);
	CHECK(vb_table_write_html(t, stdout) == -EINVAL);
	vb_table_free(t);
}

static void test_md_html(void)
{
	struct vb_table *t = sample();
	char *md = render(t, 1), *html = render(t, 2);

	CHECK_EQ_STR(md, "| phase (µs) | mean | σ |\n"
			 "| :--- | ---: | ---: |\n"
			 "| vm_create | 227.92 | 170.69 |\n"
			 "| a\\|b<c> | 3.00 | 0.50 |\n");
	CHECK(strstr(html, "<td>a|b&lt;c&gt;</td>") != NULL);
	CHECK(strstr(html, "<th class=\"num\">σ</th>") != NULL);
	free(md);
	free(html);
	vb_table_free(t);
}

int main(void)
{
	test_text();
	test_groups();
	test_errors();
	test_md_html();
	return vb_check_exit();
}
