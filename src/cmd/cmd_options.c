/* The option tables of report and compare (struct vb_cmd_option) as
 * getopt_long's table and as --help lines, so that the parser, --help, the
 * man page and the completion all read one list. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

void vb_cmd_options_getopt(const struct vb_cmd_option *o, size_t n, struct option *lo)
{
	for (size_t i = 0; i < n; i++)
		lo[i] = (struct option){ o[i].name, o[i].arg ? required_argument : no_argument,
					 NULL, o[i].val };
	lo[n] = (struct option){ 0 };
}

/* "  --name ARG" then the help from column @col; a name too long for it
 * puts the help on the next line, each '\n' in it starts a new line there. */
void vb_cmd_options_usage(FILE *f, const struct vb_cmd_option *o, size_t n, int col)
{
	for (size_t i = 0; i < n; i++) {
		const char *h = o[i].help;
		int w = fprintf(f, "  --%s%s%s", o[i].name, o[i].arg ? " " : "",
				o[i].arg ? o[i].arg : "");

		if (w >= col) {
			fputc('\n', f);
			w = 0;
		}
		for (;;) {
			const char *nl = strchr(h, '\n');
			int len = nl ? (int)(nl - h) : (int)strlen(h);

			fprintf(f, "%*s%.*s\n", col - w, "", len, h);
			if (!nl)
				break;
			h = nl + 1;
			w = 0;
		}
	}
}
