/* The subcommands. Each takes argv with argv[0] = its own name, prints its
 * own messages ("vcpubench: ..." on stderr) and returns the exit status:
 * 0 success, 1 run failure, 2 usage error, 3 regression found (compare). */
#ifndef VB_CMD_H
#define VB_CMD_H

#include <stddef.h>

int vb_cmd_run(int argc, char **argv);
int vb_cmd_info(int argc, char **argv);
int vb_cmd_guests(int argc, char **argv);
int vb_cmd_report(int argc, char **argv);
int vb_cmd_compare(int argc, char **argv);
int vb_cmd_db(int argc, char **argv);
/* run --db: import @dir into @url; 0, or 1 with one line on stderr. */
int vb_cmd_db_import_run(const char *url, const char *dir);
int vb_cmd_completion(int argc, char **argv);
int vb_cmd_man(int argc, char **argv);
const char *vb_cmd_name(size_t i); /* NULL past the last */

/* Print "vcpubench: <message>\n" on stderr. */
void vb_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
