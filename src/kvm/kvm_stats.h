/* KVM binary statistics (KVM_GET_STATS_FD) of one VM or vCPU, read before
 * its first run and again when teardown starts, and written as
 * kvm_stats.csv rows (iteration,vm,vcpu,stat,before,after). Needs no
 * tracefs access. Histogram stats give one row per bucket: "name[i]". */
#ifndef VB_KVM_STATS_H
#define VB_KVM_STATS_H

#include <stddef.h>
#include <stdint.h>

#define VB_KVM_STATS_CSV_HEADER "iteration,vm,vcpu,stat,before,after"

struct vb_kvm_stats {
	int fd;
	uint32_t ndesc, name_size, data_offset;
	char *descs;            /* ndesc descriptors of stride sizeof(desc) + name_size */
	size_t data_size;       /* bytes of the data block */
	uint64_t *before, *after;
};

/* Open the stats of the VM or vCPU @obj_fd. 0 or -errno; on error @st holds
 * nothing to release. */
int vb_kvm_stats_open(struct vb_kvm_stats *st, int obj_fd);

/* Read the current values into st->before (@after false) or st->after. */
int vb_kvm_stats_read(struct vb_kvm_stats *st, int after);

void vb_kvm_stats_release(struct vb_kvm_stats *st);

/* kvm_stats.csv, shared by all vCPU threads (writes are serialised). */
struct vb_kvm_stats_file;

struct vb_kvm_stats_file *vb_kvm_stats_file_open(const char *dir);
/* Append @st's rows; thread-safe. 0 or -errno (also remembered for close). */
int vb_kvm_stats_file_write(struct vb_kvm_stats_file *f, int iteration, int vm, int vcpu,
			    const struct vb_kvm_stats *st);
/* Put the file in place and free @f. 0 or the first -errno. */
int vb_kvm_stats_file_close(struct vb_kvm_stats_file *f);

#endif
