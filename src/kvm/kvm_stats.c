/* KVM binary statistics (kvm_stats.h). */
#include "kvm_stats.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "results.h"

static const struct kvm_stats_desc *desc_at(const struct vb_kvm_stats *st, uint32_t i)
{
	return (const void *)(st->descs + i * (sizeof(struct kvm_stats_desc) + st->name_size));
}

static int pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int vb_kvm_stats_open(struct vb_kvm_stats *st, int obj_fd)
{
	struct kvm_stats_header h;
	size_t stride;
	int r;

	*st = (struct vb_kvm_stats){ .fd = ioctl(obj_fd, KVM_GET_STATS_FD, NULL) };
	if (st->fd < 0)
		return -errno;
	r = pread_all(st->fd, &h, sizeof(h), 0);
	if (r)
		goto error;
	stride = sizeof(struct kvm_stats_desc) + h.name_size;
	st->ndesc = h.num_desc;
	st->name_size = h.name_size;
	st->data_offset = h.data_offset;
	st->descs = malloc(h.num_desc * stride + 1);
	r = st->descs ? pread_all(st->fd, st->descs, h.num_desc * stride, h.desc_offset) : -ENOMEM;
	if (r)
		goto error;
	for (uint32_t i = 0; i < st->ndesc; i++) {
		const struct kvm_stats_desc *d = desc_at(st, i);
		size_t end = d->offset + d->size * sizeof(uint64_t);

		if (end > st->data_size)
			st->data_size = end;
	}
	st->before = calloc(1, st->data_size + 1);
	st->after = calloc(1, st->data_size + 1);
	if (!st->before || !st->after) {
		r = -ENOMEM;
		goto error;
	}
	return 0;
error:
	vb_kvm_stats_release(st);
	return r;
}

int vb_kvm_stats_read(struct vb_kvm_stats *st, int after)
{
	return pread_all(st->fd, after ? st->after : st->before, st->data_size, st->data_offset);
}

void vb_kvm_stats_release(struct vb_kvm_stats *st)
{
	if (st->fd >= 0)
		close(st->fd);
	free(st->descs);
	free(st->before);
	free(st->after);
	*st = (struct vb_kvm_stats){ .fd = -1 };
}

struct vb_kvm_stats_file {
	pthread_mutex_t lock;
	struct vb_results_file rf;
	int err;
};

struct vb_kvm_stats_file *vb_kvm_stats_file_open(const char *dir)
{
	struct vb_kvm_stats_file *f = calloc(1, sizeof(*f));
	int r;

	if (!f)
		return NULL;
	r = vb_results_file_open(&f->rf, dir, "kvm_stats.csv", 1u << 20);
	if (r) {
		free(f);
		errno = -r;
		return NULL;
	}
	pthread_mutex_init(&f->lock, NULL);
	fputs(VB_KVM_STATS_CSV_HEADER "\n", f->rf.f);
	return f;
}

static void put_id(FILE *out, int id)
{
	if (id >= 0)
		fprintf(out, "%d", id);
	fputc(',', out);
}

static void write_rows(FILE *out, int iteration, int vm, int vcpu, const struct vb_kvm_stats *st)
{
	for (uint32_t i = 0; i < st->ndesc; i++) {
		const struct kvm_stats_desc *d = desc_at(st, i);
		const uint64_t *b = (const void *)((const char *)st->before + d->offset);
		const uint64_t *a = (const void *)((const char *)st->after + d->offset);

		for (uint16_t k = 0; k < d->size; k++) {
			fprintf(out, "%d,", iteration);
			put_id(out, vm);
			put_id(out, vcpu);
			if (d->size > 1)
				fprintf(out, "%s[%u],", d->name, k);
			else
				fprintf(out, "%s,", d->name);
			fprintf(out, "%" PRIu64 ",%" PRIu64 "\n", b[k], a[k]);
		}
	}
}

int vb_kvm_stats_file_write(struct vb_kvm_stats_file *f, int iteration, int vm, int vcpu,
			    const struct vb_kvm_stats *st)
{
	int err;

	pthread_mutex_lock(&f->lock);
	if (!f->err) {
		write_rows(f->rf.f, iteration, vm, vcpu, st);
		if (ferror(f->rf.f))
			f->err = errno ? -errno : -EIO;
	}
	err = f->err;
	pthread_mutex_unlock(&f->lock);
	return err;
}

int vb_kvm_stats_file_close(struct vb_kvm_stats_file *f)
{
	int r;

	if (!f)
		return 0;
	if (f->err) {
		vb_results_file_abort(&f->rf);
		r = f->err;
	} else {
		r = vb_results_file_commit(&f->rf);
	}
	pthread_mutex_destroy(&f->lock);
	free(f);
	return r;
}
