/* The results directory: its name, its files and their CSV headers (the
 * contract, pinned by tests/golden/headers.txt). Files are created
 * exclusively under a temporary name and renamed into place when
 * complete, so a reader never sees half a file. */
#ifndef VB_RESULTS_H
#define VB_RESULTS_H

#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

#define VB_PHASES_CSV_HEADER "iteration,vm,vcpu,tid,cpu,phase,start_ns,duration_ns,status"
/* With --trace: the kernel's time inside the phase's ioctls (attrib.h). */
#define VB_PHASES_TRACED_CSV_HEADER VB_PHASES_CSV_HEADER ",kernel_ns"
/* --sched-stats appends these (after kernel_ns when traced). */
#define VB_PHASES_SCHED_CSV_COLUMNS ",oncpu_ns,runq_ns,nvcsw,nivcsw,minflt,majflt,migrated"
#define VB_EXITS_CSV_HEADER "iteration,vm,vcpu,seq,exit_reason,duration_ns"
#define VB_SUMMARY_CSV_HEADER \
	"phase,n,min_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,mean_ns,stddev_ns"

/* Create the results directory. With @out, exactly that path (its parent
 * must exist; -EEXIST if it exists: never overwritten). Without, under
 * @parent (created if missing) as <utc>-<host>[-<tag>], adding -2, -3, ...
 * so runs started in the same second get distinct directories. The path is
 * written to @path (@len bytes). 0 or -errno. */
int vb_results_dir_create(const char *out, const char *parent, const char *tag,
			  char *path, size_t len);

/* A results file being written: "<dir>/.<name>.tmp" until committed. */
struct vb_results_file {
	FILE *f;
	char *buf;        /* the stream's buffer, ours: freed at commit or abort */
	char tmp[4096];
	char final[4096];
};

/* Create @dir/@name's temporary exclusively, with a @bufsize stdio buffer
 * (0: BUFSIZ). 0 or -errno. */
int vb_results_file_open(struct vb_results_file *rf, const char *dir, const char *name,
			 size_t bufsize);

/* Flush and close, then rename into place (never over an existing file;
 * where the file system refuses RENAME_NOREPLACE, as 9p and NFS do, through
 * link() with the same guarantees). The rename is what makes a file appear
 * whole to readers; there is no
 * fsync: results guard against a crash of the tool, not of the host, and
 * four fsyncs cost ~0.5 ms, a third of a 1x1 run. On any error the
 * temporary is removed and -errno returned. */
int vb_results_file_commit(struct vb_results_file *rf);

/* Flush and close @f, the temporary @tmp, then rename it to @final; over an
 * existing file only when @replace (reports), never for results. On any
 * error @tmp is removed and -errno returned. Shared by results files and
 * report outputs (outfile.h). */
int vb_file_publish(FILE *f, const char *tmp, const char *final, bool replace);

/* Close and remove the temporary without committing. */
void vb_results_file_abort(struct vb_results_file *rf);

#endif
