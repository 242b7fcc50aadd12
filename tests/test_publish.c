/* Publishing a results file: the name appears only with complete contents
 * and never replaces an existing file, also on file systems that refuse
 * RENAME_NOREPLACE (9p, NFS, FUSE) or hard links. A seccomp filter in a
 * child process makes those refusals real on any host. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "results.h"
#include "seccomp_filter.h"

enum fs_mode { FS_NATIVE, FS_NO_NOREPLACE, FS_NO_LINK };
static const char *const fs_mode_name[] = { "native", "no RENAME_NOREPLACE",
					    "no RENAME_NOREPLACE, no hard links" };

static void read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* Everything in @dir, temporaries included ("." and ".." excepted). */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static int publish_text(const char *dir, const char *name, const char *text)
{
	struct vb_results_file rf;
	int r = vb_results_file_open(&rf, dir, name, 0);

	if (r)
		return r;
	fputs(text, rf.f);
	return vb_results_file_commit(&rf);
}

/* Publish by hand from @tmp: what a second writer racing for @final does
 * after vb_results_file_open() found the name free. */
static int publish_raw(const char *tmp, const char *final, const char *text, bool replace)
{
	FILE *f = fopen(tmp, "wx");

	if (!f)
		return -errno;
	fputs(text, f);
	return vb_file_publish(f, tmp, final, replace);
}

static void check_publish(const char *dir)
{
	char final[4096 + 32], tmp[4096 + 32], got[64];

	snprintf(final, sizeof(final), "%s/meta.json", dir);
	snprintf(tmp, sizeof(tmp), "%s/.race.tmp", dir);
	CHECK(publish_text(dir, "meta.json", "{\"first\": 1}\n") == 0);
	read_text(final, got, sizeof(got));
	CHECK_EQ_STR(got, "{\"first\": 1}\n");
	CHECK_EQ_U64(count_entries(dir), 1);

	/* A second result under the same name fails and the first stays whole. */
	CHECK(publish_text(dir, "meta.json", "second\n") == -EEXIST);
	CHECK(publish_raw(tmp, final, "second\n", false) == -EEXIST);
	read_text(final, got, sizeof(got));
	CHECK_EQ_STR(got, "{\"first\": 1}\n");
	CHECK_EQ_U64(count_entries(dir), 1);

	/* Reports (outfile.c) do replace. */
	CHECK(publish_raw(tmp, final, "report\n", true) == 0);
	read_text(final, got, sizeof(got));
	CHECK_EQ_STR(got, "report\n");
	CHECK_EQ_U64(count_entries(dir), 1);
	unlink(final);
}

/* The filter must really be in force, or the test proves nothing: without
 * it both calls below fail with ENOENT. */
static void check_filter(enum fs_mode mode)
{
	errno = 0;
	CHECK(syscall(SYS_renameat2, AT_FDCWD, "/nonexistent/a", AT_FDCWD,
		      "/nonexistent/b", RENAME_NOREPLACE) < 0 && errno == EINVAL);
	errno = 0;
	CHECK(link("/nonexistent/a", "/nonexistent/b") < 0 &&
	      errno == (mode == FS_NO_LINK ? EPERM : ENOENT));
}

static void run_child(enum fs_mode mode)
{
	const char *tmpdir = getenv("TMPDIR");
	char dir[4096];
	int r;

	vb_check_failures = 0; /* count this child's own failures only */
	if (mode != FS_NATIVE) {
		r = vb_seccomp_install(mode == FS_NO_LINK);
		if (r)
			VB_SKIP("cannot install a seccomp filter: %s", strerror(-r));
		check_filter(mode);
	}
	snprintf(dir, sizeof(dir), "%s/vb-publish-XXXXXX", tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "cannot create '%s': %s\n", dir, strerror(errno));
		exit(1);
	}
	check_publish(dir);
	if (rmdir(dir) < 0)
		fprintf(stderr, "cannot remove '%s': %s\n", dir, strerror(errno));
	exit(vb_check_exit());
}

/* In a child: a seccomp filter cannot be removed once installed. */
static void test_publish(enum fs_mode mode)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		run_child(mode);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		fprintf(stderr, "cannot fork or wait: %s\n", strerror(errno));
		vb_check_failures++;
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 4)
		VB_SKIP("no seccomp filters on this host");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "publish (%s) failed\n", fs_mode_name[mode]);
		vb_check_failures++;
	}
}

int main(void)
{
	test_publish(FS_NATIVE);
	test_publish(FS_NO_NOREPLACE);
	test_publish(FS_NO_LINK);
	return vb_check_exit();
}
