/* The absent-hardware table: open addressing with linear probing, at most
 * half full so a probe stays short, never resized (no allocation on a
 * vCPU's exit path). */
#include "absent.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ABSENT_MAX_LIMIT ((size_t)1 << 20)

int vb_absent_init(struct vb_absent *a, size_t max)
{
	size_t n = 1;

	if (max == 0 || max > ABSENT_MAX_LIMIT)
		return -EINVAL;
	while (n < 2 * max)
		n <<= 1;
	*a = (struct vb_absent){ .nslots = n, .max = max };
	a->slots = calloc(n, sizeof(*a->slots));
	return a->slots ? 0 : -ENOMEM;
}

void vb_absent_release(struct vb_absent *a)
{
	if (!a)
		return;
	free(a->slots);
	*a = (struct vb_absent){ 0 };
}

static size_t hash(enum vb_access_kind kind, uint64_t addr, bool write)
{
	uint64_t h = (addr << 2 | (uint64_t)kind << 1 | write) * 0x9e3779b97f4a7c15u;

	return (size_t)(h >> 32);
}

/* The slot of the key, or a free one to take it, or NULL when the table is
 * at its bound and the key is not in it. */
static struct vb_absent_entry *lookup(struct vb_absent *a, enum vb_access_kind kind,
				      uint64_t addr, bool write)
{
	size_t mask = a->nslots - 1;

	for (size_t i = hash(kind, addr, write) & mask;; i = (i + 1) & mask) {
		struct vb_absent_entry *e = &a->slots[i];

		if (e->count == 0) {
			if (a->used == a->max)
				return NULL;
			a->used++;
			*e = (struct vb_absent_entry){ .addr = addr, .kind = kind, .write = write };
			return e;
		}
		if (e->addr == addr && e->kind == kind && e->write == write)
			return e;
	}
}

void vb_absent_access(struct vb_absent *a, enum vb_access_kind kind, uint64_t addr, bool write,
		      uint8_t *data, unsigned size, uint64_t dur_ns)
{
	struct vb_absent_entry *e;

	if (!write)
		memset(data, 0xff, size);
	e = lookup(a, kind, addr, write);
	if (!e) {
		a->overflow++;
		a->overflow_ns += dur_ns;
		return;
	}
	e->count++;
	e->total_ns += dur_ns;
}

size_t vb_absent_entries(const struct vb_absent *a)
{
	return a->used;
}

uint64_t vb_absent_overflow(const struct vb_absent *a, uint64_t *total_ns)
{
	if (total_ns)
		*total_ns = a->overflow_ns;
	return a->overflow;
}

const struct vb_absent_entry *vb_absent_next(const struct vb_absent *a, size_t *pos)
{
	for (; *pos < a->nslots; (*pos)++)
		if (a->slots[*pos].count)
			return &a->slots[(*pos)++];
	return NULL;
}
