/* End-to-end helpers: run the real vcpubench binary (VB_BINARY) and read
 * what it wrote back through the project's own CSV reader and jansson. */
#ifndef VB_TEST_E2E_H
#define VB_TEST_E2E_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "csv.h"

struct e2e {
	int status;          /* exit status, or 128 + signal */
	char out[1 << 16];   /* stdout */
	char err[1 << 14];   /* stderr */
};

/* Options for e2e_spawn: a resource limit to set in the child. */
struct e2e_opts {
	int rlimit;          /* RLIMIT_* or -1 */
	rlim_t rlimit_value;
	const char *cwd;
};

static inline void e2e_need_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0 && (errno == ENOENT || errno == ENODEV || errno == ENXIO))
		VB_SKIP("no /dev/kvm on this host (%s)", strerror(errno));
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		VB_SKIP("no permission to open /dev/kvm (%s)", strerror(errno));
	if (fd < 0) {
		fprintf(stderr, "cannot open /dev/kvm: %s\n", strerror(errno));
		exit(1);
	}
	close(fd);
}

static inline size_t e2e_slurp(int fd, char *buf, size_t len)
{
	char rest[4096];
	size_t n = 0;
	ssize_t r = 1;

	while (n + 1 < len && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += (size_t)r;
	/* Drain what does not fit, or the child blocks on a full pipe. */
	while (r > 0)
		r = read(fd, rest, sizeof(rest));
	buf[n] = '\0';
	return n;
}

/* Start the binary with @args (NULL-terminated, without argv[0]); the
 * caller reads/waits. Returns the pid; *out_fd and *err_fd are pipes. */
static inline pid_t e2e_spawn(const char *const *args, const struct e2e_opts *o, int *out_fd,
		       int *err_fd)
{
	int po[2], pe[2];
	pid_t pid;

	if (pipe(po) || pipe(pe))
		abort();
	pid = fork();
	if (pid == 0) {
		const char *argv[64];
		int n = 0;

		argv[n++] = VB_BINARY;
		while (*args && n < 63)
			argv[n++] = *args++;
		argv[n] = NULL;
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		if (o && o->rlimit >= 0) {
			struct rlimit rl = { o->rlimit_value, o->rlimit_value };

			setrlimit(o->rlimit, &rl);
		}
		if (o && o->cwd && chdir(o->cwd))
			_exit(127);
		execv(VB_BINARY, (char *const *)argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	*out_fd = po[0];
	*err_fd = pe[0];
	return pid;
}

static inline int e2e_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static inline int e2e_run_opts(struct e2e *r, const struct e2e_opts *o, const char *const *args)
{
	int ofd, efd;
	pid_t pid = e2e_spawn(args, o, &ofd, &efd);

	/* stderr is small; read stdout first, then stderr (tests keep output small). */
	e2e_slurp(ofd, r->out, sizeof(r->out));
	e2e_slurp(efd, r->err, sizeof(r->err));
	close(ofd);
	close(efd);
	r->status = e2e_wait(pid);
	return r->status;
}

#define E2E_RUN(r, ...) e2e_run_opts((r), NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* A fresh empty directory name under /tmp (the directory is not created). */
static inline void e2e_tmpname(char *buf, size_t len, const char *what)
{
	static int seq;
	char dir[] = "/tmp/vb-e2e-XXXXXX";

	if (!mkdtemp(dir))
		abort();
	snprintf(buf, len, "%s/%s%d", dir, what, seq++);
}

/* Rows of @dir/@file whose column @col equals @value (NULL: all rows);
 * -1 when the file cannot be read or is malformed. */
static inline long e2e_count(const char *dir, const char *file, size_t col, const char *value)
{
	char path[1024];
	struct vb_csv_reader *rd;
	char **f;
	size_t n;
	long rows = 0;
	int r, first = 1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	rd = vb_csv_reader_open(path);
	if (!rd)
		return -1;
	while ((r = vb_csv_reader_next(rd, &f, &n)) == 1) {
		if (first) {
			first = 0;
			continue;
		}
		if (!value || (col < n && strcmp(f[col], value) == 0))
			rows++;
	}
	vb_csv_reader_free(rd);
	return r < 0 ? -1 : rows;
}

/* Copy column @col of data row @row (0-based, header excluded) of
 * @dir/@file into @buf; 0, or -1 when there is no such cell. */
static inline int e2e_cell(const char *dir, const char *file, long row, size_t col, char *buf,
		    size_t len)
{
	char path[1024];
	struct vb_csv_reader *rd;
	char **f;
	size_t n;
	long i = -1;
	int found = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	rd = vb_csv_reader_open(path);
	while (rd && found && vb_csv_reader_next(rd, &f, &n) == 1)
		if (i++ == row && col < n) {
			snprintf(buf, len, "%s", f[col]);
			found = 0;
		}
	vb_csv_reader_free(rd);
	return found;
}

/* A usage error: exit 2 and exactly one line on stderr, "vcpubench: ..."
 * containing @want. */
static inline void e2e_usage_error(const char *want, const char *const *args)
{
	struct e2e r;
	const char *nl;

	e2e_run_opts(&r, NULL, args);
	CHECK_EQ_U64(r.status, 2);
	nl = strchr(r.err, '\n');
	CHECK(nl && nl[1] == '\0');
	if (!strstr(r.err, want))
		fprintf(stderr, "stderr '%s' lacks '%s'\n", r.err, want);
	CHECK(strstr(r.err, want) != NULL);
	CHECK(strncmp(r.err, "vcpubench: ", 11) == 0);
}

static inline json_t *e2e_meta(const char *dir)
{
	char path[1024];
	json_error_t e;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	return json_load_file(path, 0, &e);
}

/* A fresh results directory name in @dir and a guest file "<dir>.bin"
 * holding @code, in @file. */
static inline void e2e_guest_file(char *dir, size_t dlen, char *file, size_t flen,
				  const char *what, const unsigned char *code, size_t n)
{
	FILE *f;

	e2e_tmpname(dir, dlen, what);
	snprintf(file, flen, "%s.bin", dir);
	f = fopen(file, "wb");
	if (!f || fwrite(code, 1, n, f) != n)
		abort();
	fclose(f);
}

/* How many tracefs instances of ours ("vcpubench-*") exist now. */
static inline int e2e_instances(void)
{
	DIR *d = opendir("/sys/kernel/tracing/instances");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, "vcpubench-", 10) == 0;
	if (d)
		closedir(d);
	return n;
}

static inline int e2e_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Wait up to 60 s for a spawned run's results directory @dir: it is made
 * after the run blocked SIGINT and SIGTERM, so a signal sent from then on
 * is the run's to handle. A fixed sleep is not enough where the process
 * itself starts slowly (a sanitizer build in an emulated VM). */
static inline int e2e_wait_started(const char *dir)
{
	for (int i = 0; i < 6000 && !e2e_exists(dir); i++)
		usleep(10000);
	return e2e_exists(dir);
}

/* Wait up to 60 s until process @pid holds a file descriptor whose link
 * starts with @target ("anon_inode:kvm-vcpu"): proof that the run got that
 * far, where its CSV rows are still in a buffer (they reach the disk when
 * the run flushes, which is what a signal test checks). */
static inline int e2e_wait_fd(pid_t pid, const char *target)
{
	char dir[64], link[256];

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	for (int i = 0; i < 6000; i++) {
		DIR *d = opendir(dir);
		struct dirent *e;
		int found = 0;

		while (d && !found && (e = readdir(d))) {
			ssize_t n;

			n = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
			if (n > 0) {
				link[n] = '\0';
				found = strncmp(link, target, strlen(target)) == 0;
			}
		}
		if (d)
			closedir(d);
		if (found)
			return 1;
		usleep(10000);
	}
	return 0;
}

#endif
