/* The man page's option lists and the bash completion, both printed from
 * the option table of `vcpubench run` (src/run/options.c), those of report
 * and compare (struct vb_cmd_option) and the command table, as --help is,
 * so they cannot drift apart. */
#include <stdbool.h>
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

/* The options of report or compare, as man_options() those of run. */
static void man_cmd_options(FILE *f, const struct vb_cmd_option *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fputs(".TP\n\\fB\\-\\-", f);
		roff_text(f, o[i].name);
		fputs("\\fR", f);
		if (o[i].arg) {
			fputs(" \\fI", f);
			roff_text(f, o[i].arg);
			fputs("\\fR", f);
		}
		fputc('\n', f);
		for (const char *h = o[i].help; *h; h++) /* one paragraph: fill the lines */
			if (*h == '\n')
				fputc(' ', f);
			else
				roff_text(f, (char[]){ *h, 0 });
		fputc('\n', f);
	}
}

/* Whether @line is the placeholder line @name. */
static bool is_line(const char *line, const char *name)
{
	size_t n = strlen(name);

	return strncmp(line, name, n) == 0 && strcmp(line + n, "\n") == 0;
}

/* vcpubench --help-man TEMPLATE: TEMPLATE with its @RUN_OPTIONS@,
 * @REPORT_OPTIONS@, @COMPARE_OPTIONS@ and @DB_OPTIONS@ lines replaced by those options
 * and @VERSION@ by the version. */
int vb_cmd_man(int argc, char **argv)
{
	char line[4096];
	const struct vb_cmd_option *o;
	size_t n;
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

		if (is_line(line, "@RUN_OPTIONS@")) {
			man_options(stdout);
		} else if (is_line(line, "@REPORT_OPTIONS@")) {
			o = vb_cmd_report_options(&n);
			man_cmd_options(stdout, o, n);
		} else if (is_line(line, "@COMPARE_OPTIONS@")) {
			o = vb_cmd_compare_options(&n);
			man_cmd_options(stdout, o, n);
		} else if (is_line(line, "@DB_OPTIONS@")) {
			o = vb_cmd_db_options(&n);
			man_cmd_options(stdout, o, n);
		} else if (v)
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

/* report or compare: the choices or files after an option that takes a
 * value, its options after '-', else a results directory. */
static void completion_cmd(FILE *f, const char *cmd, const struct vb_cmd_option *o, size_t n)
{
	fprintf(f, "\t%s)\n\t\tcase $prev in\n", cmd);
	for (size_t i = 0; i < n; i++) {
		if (!o[i].arg)
			continue;
		fprintf(f, "\t\t--%s) ", o[i].name);
		if (strchr(o[i].arg, '|')) {
			fputs("COMPREPLY=($(compgen -W '", f);
			for (const char *p = o[i].arg; *p; p++)
				fputc(*p == '|' ? ' ' : *p, f);
			fputs("' -- \"$cur\")) ;;\n", f);
		} else if (strstr(o[i].arg, "FILE")) {
			fputs("COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n", f);
		} else {
			fputs("COMPREPLY=() ;;\n", f);
		}
	}
	fputs("\t\t*) if [[ $cur == -* ]]; then\n\t\t\tCOMPREPLY=($(compgen -W '", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s--%s", i ? " " : "", o[i].name);
	fputs("' -- \"$cur\"))\n"
	      "\t\telse\n"
	      "\t\t\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n"
	      "\t\tfi ;;\n"
	      "\t\tesac ;;\n",
	      f);
}

static void completion_bash(FILE *f)
{
	struct vb_run_option_doc d;
	const struct vb_cmd_option *o;
	size_t n;

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
	      "\t\tesac ;;\n",
	      f);
	o = vb_cmd_report_options(&n);
	completion_cmd(f, "report", o, n);
	o = vb_cmd_compare_options(&n);
	completion_cmd(f, "compare", o, n);
	fputs("\tdb) if [ \"$COMP_CWORD\" -eq 2 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W 'import history' -- \"$cur\"))\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tcase ${COMP_WORDS[2]} in\n",
	      f);
	o = vb_cmd_db_options(&n);
	completion_cmd(f, "import|history", o, n);
	fputs("\tesac ;;\n", f);
	fputs("\tinfo) COMPREPLY=($(compgen -W '--json' -- \"$cur\")) ;;\n"
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
