/* The subcommands. Each takes argv with argv[0] = its own name, prints its
 * own messages ("vcpubench: ..." on stderr) and returns the exit status:
 * 0 success, 1 run failure, 2 usage error, 3 regression found (compare). */
#ifndef VB_CMD_H
#define VB_CMD_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

int vb_cmd_run(int argc, char **argv);
int vb_cmd_info(int argc, char **argv);
int vb_cmd_guests(int argc, char **argv);
int vb_cmd_report(int argc, char **argv);
int vb_cmd_compare(int argc, char **argv);
int vb_cmd_db(int argc, char **argv);
/* run --db, before the run: 0 when @url could be opened, else one line on
 * stderr and the exit status (2 a bad URL or path, 1 no libpq). */
int vb_cmd_db_check_url(const char *url);
/* run --db: import @dir into @url; 0, or 1 with one line on stderr. */
int vb_cmd_db_import_run(const char *url, const char *dir);
int vb_cmd_completion(int argc, char **argv);
int vb_cmd_man(int argc, char **argv);
const char *vb_cmd_name(size_t i); /* NULL past the last */

/* One option of report, compare or db: its getopt entry and its --help line,
 * from which the man page and the completion are also printed. @arg with
 * '|' lists the choices; a '\n' in @help continues it on the next line. */
struct vb_cmd_option {
	const char *name;
	int val;         /* getopt_long's return */
	const char *arg; /* NULL: takes no value */
	const char *help;
};
const struct vb_cmd_option *vb_cmd_report_options(size_t *n);
const struct vb_cmd_option *vb_cmd_compare_options(size_t *n);
const struct vb_cmd_option *vb_cmd_db_options(size_t *n);
/* The options' lines of --help, the argument at column @col. */
void vb_cmd_options_usage(FILE *f, const struct vb_cmd_option *o, size_t n, int col);
/* getopt_long's table of @o, with its end marker; @lo holds n + 1. */
void vb_cmd_options_getopt(const struct vb_cmd_option *o, size_t n, struct option *lo);

/* Print "vcpubench: <message>\n" on stderr. */
void vb_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
