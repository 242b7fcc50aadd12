/* The gnuplot driver (plot.h). */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_DATA 16

struct vb_plot {
	char dir[4096];
	char script_path[4200], svg_path[4200], err_path[4200];
	char data_path[MAX_DATA][4200];
	FILE *script;
	FILE *data[MAX_DATA];
	size_t ndata;
	pid_t pid;          /* 0: not running */
	char error[512];
};

/* Close a stream; true when anything written to it was lost. */
static bool close_lost(FILE **f)
{
	bool lost = false;

	if (*f) {
		lost = ferror(*f) != 0;
		lost |= fclose(*f) != 0;
	}
	*f = NULL;
	return lost;
}

/* Close the script and data files; true when any write was lost. */
static bool close_files(struct vb_plot *p)
{
	bool lost = close_lost(&p->script);

	for (size_t i = 0; i < p->ndata; i++)
		lost |= close_lost(&p->data[i]);
	return lost;
}

struct vb_plot *vb_plot_new(void)
{
	const char *tmp = getenv("TMPDIR");
	struct vb_plot *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	snprintf(p->dir, sizeof(p->dir), "%s/vcpubench-plot-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(p->dir)) {
		free(p);
		return NULL;
	}
	snprintf(p->script_path, sizeof(p->script_path), "%s/script.gp", p->dir);
	snprintf(p->svg_path, sizeof(p->svg_path), "%s/plot.svg", p->dir);
	snprintf(p->err_path, sizeof(p->err_path), "%s/stderr.txt", p->dir);
	p->script = fopen(p->script_path, "wxe");
	if (!p->script) {
		int err = errno;

		vb_plot_free(p);
		errno = err;
		return NULL;
	}
	return p;
}

FILE *vb_plot_script(struct vb_plot *p)
{
	return p->script;
}

FILE *vb_plot_data(struct vb_plot *p, const char **path)
{
	char *dp;

	if (p->ndata == MAX_DATA || p->pid) {
		errno = p->pid ? EBUSY : EMFILE;
		return NULL;
	}
	dp = p->data_path[p->ndata];
	/* The directory name and a number: the name always fits. */
	memcpy(dp, p->dir, strlen(p->dir));
	snprintf(dp + strlen(p->dir), sizeof(p->data_path[0]) - strlen(p->dir), "/data%zu.dat",
		 p->ndata);
	p->data[p->ndata] = fopen(dp, "wxe");
	if (!p->data[p->ndata])
		return NULL;
	*path = dp;
	return p->data[p->ndata++];
}

static int spawn(struct vb_plot *p)
{
	const char *prog = getenv("VB_GNUPLOT");
	/* -d: no ~/.gnuplot or other init files: the same plot on every host. */
	char *argv[] = { (char *)(prog && *prog ? prog : "gnuplot"), (char *)"-d", NULL };
	posix_spawn_file_actions_t fa;
	int r;

	r = posix_spawn_file_actions_init(&fa);
	if (r)
		return -r;
	r = posix_spawn_file_actions_addopen(&fa, 0, p->script_path, O_RDONLY, 0);
	if (!r)
		r = posix_spawn_file_actions_addopen(&fa, 1, p->svg_path,
						     O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (!r)
		r = posix_spawn_file_actions_addopen(&fa, 2, p->err_path,
						     O_WRONLY | O_CREAT | O_EXCL, 0600);
	/* glibc reports a failed exec here (ENOENT: no gnuplot), not as exit 127. */
	if (!r)
		r = posix_spawnp(&p->pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r)
		p->pid = 0;
	return -r;
}

int vb_plot_start(struct vb_plot *p)
{
	if (p->pid)
		return -EBUSY;
	if (close_files(p))
		return -EIO;
	return spawn(p);
}

/* The whole of @path, NUL-terminated, in *@out. */
static int slurp(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		return -errno;
	do {
		if (cap - n < 65536) {
			char *b = realloc(buf, cap ? 2 * cap : 65536);

			if (!b) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = b;
			cap = cap ? 2 * cap : 65536;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	buf[n] = '\0';
	fclose(f);
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

static int wait_gnuplot(struct vb_plot *p)
{
	int st;

	while (waitpid(p->pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	p->pid = 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -EPROTO;
}

/* gnuplot's first complaint, which says what and where in the script. */
static void read_error(struct vb_plot *p)
{
	char *text, *line, *end;

	if (slurp(p->err_path, &text, NULL))
		return;
	line = text + strspn(text, " \n");
	end = strchr(line, '\n');
	if (end)
		*end = '\0';
	snprintf(p->error, sizeof(p->error), "%s", *line ? line : "gnuplot failed");
	free(text);
}

int vb_plot_finish(struct vb_plot *p, char **svg)
{
	size_t len;
	int r;

	if (!p->pid)
		return -ECHILD;
	r = wait_gnuplot(p);
	if (r == -EPROTO) {
		read_error(p);
		return r;
	}
	if (r)
		return r;
	r = slurp(p->svg_path, svg, &len);
	if (r)
		return r;
	if (!strstr(*svg, "<svg")) {
		snprintf(p->error, sizeof(p->error), "gnuplot wrote no SVG");
		free(*svg);
		*svg = NULL;
		return -EPROTO;
	}
	return 0;
}

const char *vb_plot_error(const struct vb_plot *p)
{
	return p->error;
}

void vb_plot_free(struct vb_plot *p)
{
	if (!p)
		return;
	if (p->pid)
		wait_gnuplot(p);
	close_files(p);
	unlink(p->script_path);
	unlink(p->svg_path);
	unlink(p->err_path);
	for (size_t i = 0; i < p->ndata; i++)
		unlink(p->data_path[i]);
	rmdir(p->dir);
	free(p);
}

void vb_plot_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}
