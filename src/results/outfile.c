/* Atomically replaced output files (outfile.h). */
#include "outfile.h"
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkostemp creates 0600; give the report the mode open(0666) would. The
 * umask can only be read by setting it: fine, reports are single-threaded. */
static void default_mode(int fd)
{
	mode_t mask = umask(022);

	umask(mask);
	fchmod(fd, 0666 & ~mask);
}

int vb_outfile_open(struct vb_outfile *o, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	int fd, n;

	*o = (struct vb_outfile){ 0 };
	if (snprintf(o->path, sizeof(o->path), "%s", path) >= (int)sizeof(o->path))
		return -ENAMETOOLONG;
	/* Same directory as @path: rename() cannot cross file systems. */
	n = snprintf(o->tmp, sizeof(o->tmp), "%.*s.%s.XXXXXX", dirlen, path,
		     slash ? slash + 1 : path);
	if (n < 0 || (size_t)n >= sizeof(o->tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	default_mode(fd);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int err = -errno;

		close(fd);
		unlink(o->tmp);
		return err;
	}
	return 0;
}

int vb_outfile_commit(struct vb_outfile *o)
{
	FILE *f = o->f;

	o->f = NULL;
	return vb_file_publish(f, o->tmp, o->path, true);
}

void vb_outfile_abort(struct vb_outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	unlink(o->tmp);
}
