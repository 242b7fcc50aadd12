/* The man page's option list and the bash completion, both printed from
 * the option table of `vcpubench run` (src/run/options.c) and the command
 * table, as --help is, so the three cannot drift apart. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "guest.h"
#include "options.h"

/* roff: '-' is a hyphen unless escaped, '\' starts an escape. */
static void roff_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '-' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void man_options(FILE *f)
{
	struct vb_run_option_doc d;

	for (size_t i = 0; i < vb_run_options_count(); i++) {
		vb_run_option_doc(i, &d);
		fputs(".TP\n\\fB\\-\\-", f);
		roff_text(f, d.name);
		fputs("\\fR", f);
		if (d.arg) {
			fputs(d.optional_value ? "[=\\fI" : " \\fI", f);
			roff_text(f, d.arg);
			fputs(d.optional_value ? "\\fR]" : "\\fR", f);
		}
		fputc('\n', f);
		roff_text(f, d.help);
		fputc('\n', f);
	}
}

/* vcpubench --help-man TEMPLATE: TEMPLATE with its @RUN_OPTIONS@ line
 * replaced by the options and @VERSION@ by the version. */
int vb_cmd_man(int argc, char **argv)
{
	char line[4096];
	FILE *in;

	if (argc != 2) {
		vb_error("--help-man: needs the template (docs/vcpubench.1.in)");
		return 2;
	}
	in = fopen(argv[1], "r");
	if (!in) {
		vb_error("--help-man: cannot open '%s'", argv[1]);
		return 1;
	}
	while (fgets(line, sizeof(line), in)) {
		char *v = strstr(line, "@VERSION@");

		if (strcmp(line, "@RUN_OPTIONS@\n") == 0)
			man_options(stdout);
		else if (v)
			printf("%.*s%s%s", (int)(v - line), line, VB_VERSION, v + 9);
		else
			fputs(line, stdout);
	}
	fclose(in);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* The words after `case $prev in` for each option that takes a value. */
static void completion_values(FILE *f)
{
	struct vb_run_option_doc d;

	for (size_t i = 0; i < vb_run_options_count(); i++) {
		vb_run_option_doc(i, &d);
		if (!d.arg || d.optional_value)
			continue;
		fprintf(f, "\t\t--%s) ", d.name);
		if (d.choice) {
			fputs("COMPREPLY=($(compgen -W '", f);
			for (const char *p = d.arg; *p; p++)
				fputc(*p == '|' ? ' ' : *p, f);
			fputs("' -- \"$cur\")) ;;\n", f);
		} else if (strcmp(d.name, "guest") == 0) {
			fputs("COMPREPLY=($(compgen -W '", f);
			for (size_t g = 0; g < vb_guest_builtin_count(); g++)
				fprintf(f, "%s%s", g ? " " : "", vb_guest_builtin(g)->name);
			fputs("' -- \"$cur\") $(compgen -f -- \"$cur\")) ;;\n", f);
		} else if (strstr(d.arg, "DIR")) {
			fputs("COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n", f);
		} else if (strstr(d.arg, "FILE")) {
			fputs("COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n", f);
		} else {
			fputs("COMPREPLY=() ;;\n", f); /* a number or a label: nothing to offer */
		}
	}
}

static void completion_bash(FILE *f)
{
	struct vb_run_option_doc d;

	fputs("# bash completion for vcpubench, printed by 'vcpubench completion bash'\n"
	      "_vcpubench() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W '", f);
	for (size_t i = 0; vb_cmd_name(i); i++)
		fprintf(f, "%s ", vb_cmd_name(i));
	fputs("--help --version' -- \"$cur\"))\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tcase ${COMP_WORDS[1]} in\n"
	      "\trun)\n"
	      "\t\tcase $prev in\n", f);
	completion_values(f);
	fputs("\t\t*) COMPREPLY=($(compgen -W '", f);
	for (size_t i = 0; i < vb_run_options_count(); i++) {
		vb_run_option_doc(i, &d);
		fprintf(f, "%s--%s", i ? " " : "", d.name);
	}
	fputs("' -- \"$cur\")) ;;\n"
	      "\t\tesac ;;\n"
	      "\treport|compare)\n"
	      "\t\tif [[ $cur == -* ]]; then\n"
	      "\t\t\tCOMPREPLY=($(compgen -W '--format --out --help' -- \"$cur\"))\n"
	      "\t\telse\n"
	      "\t\t\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n"
	      "\t\tfi ;;\n"
	      "\tinfo) COMPREPLY=($(compgen -W '--json' -- \"$cur\")) ;;\n"
	      "\tcompletion) COMPREPLY=($(compgen -W 'bash' -- \"$cur\")) ;;\n"
	      "\tesac\n"
	      "}\n"
	      "complete -F _vcpubench vcpubench\n", f);
}

int vb_cmd_completion(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "bash") != 0) {
		vb_error("completion: '%s' is not a shell this prints (only 'bash')",
			 argc > 1 ? argv[1] : "");
		return 2;
	}
	completion_bash(stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
