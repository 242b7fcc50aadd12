#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int make_default_name(char *path, size_t len, const char *parent, const char *tag,
			     unsigned attempt)
{
	char host[256] = "host", stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int n;

	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	n = snprintf(path, len, "%s/%s-%s%s%s", parent, stamp, host, tag ? "-" : "", tag ? tag : "");
	if (n >= 0 && attempt > 1 && (size_t)n < len)
		n += snprintf(path + n, len - (size_t)n, "-%u", attempt);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int vb_results_dir_create(const char *out, const char *parent, const char *tag,
			  char *path, size_t len)
{
	if (out) {
		if (strlen(out) >= len)
			return -ENAMETOOLONG;
		strcpy(path, out);
		return mkdir(path, 0755) < 0 ? -errno : 0;
	}
	if (mkdir(parent, 0755) < 0 && errno != EEXIST)
		return -errno;
	/* mkdir is the exclusive create: the first name nobody holds wins. */
	for (unsigned attempt = 1; attempt < 1000; attempt++) {
		int r = make_default_name(path, len, parent, tag, attempt);

		if (r)
			return r;
		if (mkdir(path, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int vb_results_file_open(struct vb_results_file *rf, const char *dir, const char *name,
			 size_t bufsize)
{
	int fd;

	*rf = (struct vb_results_file){ 0 };
	if ((size_t)snprintf(rf->tmp, sizeof(rf->tmp), "%s/.%s.tmp", dir, name) >= sizeof(rf->tmp) ||
	    (size_t)snprintf(rf->final, sizeof(rf->final), "%s/%s", dir, name) >= sizeof(rf->final))
		return -ENAMETOOLONG;
	/* The final name must be free too: results are never overwritten. */
	if (access(rf->final, F_OK) == 0)
		return -EEXIST;
	fd = open(rf->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	/* Our own buffer: given none, glibc sizes one from an fstat() (one
	 * more syscall per file) at st_blksize, 4 KiB, whatever @bufsize asks,
	 * so the writer thread would write() every 4 KiB during the run. */
	rf->buf = malloc(bufsize ? bufsize : BUFSIZ);
	rf->f = rf->buf ? fdopen(fd, "w") : NULL;
	if (!rf->f) {
		int err = rf->buf ? errno : ENOMEM;

		close(fd);
		unlink(rf->tmp);
		free(rf->buf);
		rf->buf = NULL;
		return -err;
	}
	setvbuf(rf->f, rf->buf, _IOFBF, bufsize ? bufsize : BUFSIZ);
	return 0;
}

/* Move @tmp to @final, failing with -EEXIST rather than replacing it, on
 * any file system. 9p, NFS and many FUSE file systems refuse
 * RENAME_NOREPLACE (EINVAL); link() gives the same guarantees there: it
 * fails if the name is taken and makes it appear with complete contents.
 * Without hard links either, the name is reserved with O_EXCL and the
 * rename goes over that reservation: still never over someone else's file,
 * but an empty file is visible for the instant between the two calls.
 * On error @final is not created; the caller removes @tmp. */
static int publish_noreplace(const char *tmp, const char *final)
{
	int fd;

	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -errno;
	if (link(tmp, final) == 0) {
		/* Published; a stray hidden temporary is all a failure here leaves. */
		unlink(tmp);
		return 0;
	}
	if (errno != EPERM && errno != ENOSYS && errno != EOPNOTSUPP)
		return -errno;
	fd = open(final, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	if (rename(tmp, final) < 0) {
		int err = -errno;

		unlink(final); /* our own empty reservation */
		return err;
	}
	return 0;
}

int vb_file_publish(FILE *f, const char *tmp, const char *final, bool replace)
{
	int err = 0;

	errno = 0;
	if (fflush(f) != 0 || ferror(f))
		err = errno ? -errno : -EIO;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (!err && replace && rename(tmp, final) < 0)
		err = -errno;
	else if (!err && !replace)
		err = publish_noreplace(tmp, final);
	if (err)
		unlink(tmp);
	return err;
}

int vb_results_file_commit(struct vb_results_file *rf)
{
	FILE *f = rf->f;
	int err;

	rf->f = NULL;
	err = vb_file_publish(f, rf->tmp, rf->final, false);
	free(rf->buf);
	rf->buf = NULL;
	return err;
}

void vb_results_file_abort(struct vb_results_file *rf)
{
	if (rf->f)
		fclose(rf->f);
	rf->f = NULL;
	free(rf->buf);
	rf->buf = NULL;
	unlink(rf->tmp);
}
