/* An output file that appears complete or not at all: written to a
 * temporary next to @path and renamed over it only when everything was
 * written, so an error (or a kill) never leaves half a report. Unlike a
 * results file, an existing report is replaced: reports are derived data
 * and rewriting one is the normal case. */
#ifndef VB_OUTFILE_H
#define VB_OUTFILE_H

#include <stdio.h>

struct vb_outfile {
	FILE *f;
	char tmp[4096];
	char path[4096];
};

/* Create the temporary "<dir>/.<name>.XXXXXX" for @path. 0 or -errno. */
int vb_outfile_open(struct vb_outfile *o, const char *path);

/* Flush, close and rename over @path (vb_file_publish()). On error the
 * temporary is removed and -errno returned; @path is untouched. */
int vb_outfile_commit(struct vb_outfile *o);

/* Close and remove the temporary; @path is untouched. */
void vb_outfile_abort(struct vb_outfile *o);

#endif
