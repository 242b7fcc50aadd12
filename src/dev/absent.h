/* Absent hardware: every port or MMIO address no device claims reads all
 * ones (an undriven bus) and drops writes. Each (kind, address,
 * direction) is counted, with the exit time spent on it, so a run shows
 * what the guest probed and what that cost. The table is bounded: once
 * it holds @max entries, accesses to new keys are only counted in
 * "overflow".
 *
 * Pure: no locking (struct vb_devices serialises). */
#ifndef VB_ABSENT_H
#define VB_ABSENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vb_access_kind {
	VB_ACCESS_PIO,
	VB_ACCESS_MMIO,
};

/* One key's counts. count 0 marks a free slot. */
struct vb_absent_entry {
	uint64_t addr;
	enum vb_access_kind kind;
	bool write;
	uint64_t count;
	uint64_t total_ns; /* sum of the exits' durations the caller passed */
};

/* Members are private to absent.c. */
struct vb_absent {
	struct vb_absent_entry *slots;
	size_t nslots, max, used;
	uint64_t overflow, overflow_ns;
};

/* Room for @max distinct keys (1..2^20). 0, -EINVAL, -ENOMEM. */
int vb_absent_init(struct vb_absent *a, size_t max);
void vb_absent_release(struct vb_absent *a);

/* One access of @size bytes (1..8) at @addr: a read fills @data with
 * 0xff; either is counted with @dur_ns. */
void vb_absent_access(struct vb_absent *a, enum vb_access_kind kind, uint64_t addr, bool write,
		      uint8_t *data, unsigned size, uint64_t dur_ns);

/* Distinct keys held. */
size_t vb_absent_entries(const struct vb_absent *a);
/* Accesses to keys that found no room, and their total time. */
uint64_t vb_absent_overflow(const struct vb_absent *a, uint64_t *total_ns);
/* Iteration in no particular order: start with *@pos = 0; returns the
 * next entry, or NULL at the end. */
const struct vb_absent_entry *vb_absent_next(const struct vb_absent *a, size_t *pos);

#endif
