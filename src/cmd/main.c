/* vcpubench: how fast does this host bring up N vCPUs, where does the time
 * go, and did this kernel make it better or worse? */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", vb_cmd_run, "create VMs and vCPUs, time every phase, write a results directory" },
	{ "info", vb_cmd_info, "host, kernel, KVM capabilities, clock cost, tracing" },
	{ "guests", vb_cmd_guests, "the built-in guests and what each does" },
	{ "report", vb_cmd_report, "summarise results as text, Markdown, HTML with plots, CSV or JSON" },
	{ "compare", vb_cmd_compare, "per-phase changes between two runs, with statistical verdicts" },
	{ "db", vb_cmd_db, "import results into a database (SQLite, PostgreSQL); history of each phase" },
	{ "completion", vb_cmd_completion, "print the bash completion script ('completion bash')" },
};

void vb_error(const char *fmt, ...)
{
	va_list ap;
	char msg[2048];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Messages quote paths and values the user gave: one printable line. */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(stderr, "vcpubench: %s\n", msg);
}

static void usage(FILE *f)
{
	fputs("usage: vcpubench <command> [options]\n\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'vcpubench <command> --help' describes a command's options.\n", f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--help-man") == 0) /* hidden: the build makes vcpubench.1 */
		return vb_cmd_man(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0) {
		printf("vcpubench %s (%s)\n", VB_VERSION, VB_GIT_HASH);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	vb_error("'%s' is not a command; see 'vcpubench --help'", argv[1]);
	return 2;
}

/* The commands' names, for the completion and the man page. */
const char *vb_cmd_name(size_t i)
{
	return i < sizeof(commands) / sizeof(commands[0]) ? commands[i].name : NULL;
}
