/* --kernel: what the guests' devices saw, written as the VMs end:
 * console.csv (ts_ns,vm,line: every console line on the host clock) and
 * absent.csv (vm,kind,addr,write,count,total_ns: each absent port or MMIO
 * address the guest touched), and per VM the milestone it reached and
 * what its init reported, for meta.json. Recorded iterations only. */
#ifndef VB_GUEST_FILES_H
#define VB_GUEST_FILES_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

#include "devices.h"
#include "outfile.h"
#include "runner.h"

struct vb_guest_files {
	struct vb_outfile console, absent;
	pthread_mutex_t lock;
	json_t *vms;                /* [{iteration, vm, milestone, cpus, mem_kib, io_exits, ...}] */
	uint64_t console_truncated; /* console bytes dropped past the limit */
	uint64_t absent_overflow;   /* accesses past the absent table's size */
	int error;                  /* first write error, -errno */
};

/* Open both files in @dir. 0 or -errno (nothing left behind). */
int vb_guest_files_open(struct vb_guest_files *g, const char *dir);

/* A runner on_vm_end callback (@arg: struct vb_guest_files). */
void vb_guest_files_vm_end(void *arg, const struct vb_vm_end *e);

/* Publish both files and return the first error (0 or -errno); the
 * meta.json section {console_truncated_bytes, absent_overflow, vms} is
 * handed to *@meta (new reference). */
int vb_guest_files_close(struct vb_guest_files *g, json_t **meta);

#endif
