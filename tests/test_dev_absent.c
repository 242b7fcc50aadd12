/* Absent hardware: all ones of the access size, writes dropped, counted
 * per (kind, address, direction) with time, bounded. */
#include <errno.h>

#include "absent.h"
#include "check.h"

static const struct vb_absent_entry *find(const struct vb_absent *a, enum vb_access_kind kind,
					  uint64_t addr, bool write)
{
	const struct vb_absent_entry *e;
	size_t pos = 0;

	while ((e = vb_absent_next(a, &pos)))
		if (e->kind == kind && e->addr == addr && e->write == write)
			return e;
	return NULL;
}

static void test_all_ones(void)
{
	struct vb_absent a;
	uint8_t buf[9];

	CHECK(vb_absent_init(&a, 16) == 0);
	for (unsigned size = 1; size <= 8; size *= 2) {
		memset(buf, 0x11, sizeof(buf));
		vb_absent_access(&a, VB_ACCESS_MMIO, 0xfee00000, false, buf, size, 5);
		for (unsigned i = 0; i < sizeof(buf); i++)
			CHECK_EQ_U64(buf[i], i < size ? 0xff : 0x11);
	}
	/* A write leaves the caller's data alone. */
	memset(buf, 0x22, sizeof(buf));
	vb_absent_access(&a, VB_ACCESS_PIO, 0x80, true, buf, 1, 7);
	CHECK_EQ_U64(buf[0], 0x22);
	vb_absent_access(&a, VB_ACCESS_PIO, 0x80, true, buf, 1, 8);
	/* Same address, other direction or kind: other keys. */
	vb_absent_access(&a, VB_ACCESS_PIO, 0x80, false, buf, 1, 1);
	vb_absent_access(&a, VB_ACCESS_MMIO, 0x80, true, buf, 4, 1);
	CHECK_EQ_U64(vb_absent_entries(&a), 4);
	CHECK_EQ_U64(find(&a, VB_ACCESS_MMIO, 0xfee00000, false)->count, 4);
	CHECK_EQ_U64(find(&a, VB_ACCESS_MMIO, 0xfee00000, false)->total_ns, 20);
	CHECK_EQ_U64(find(&a, VB_ACCESS_PIO, 0x80, true)->count, 2);
	CHECK_EQ_U64(find(&a, VB_ACCESS_PIO, 0x80, true)->total_ns, 15);
	CHECK_EQ_U64(find(&a, VB_ACCESS_PIO, 0x80, false)->count, 1);
	CHECK_EQ_U64(find(&a, VB_ACCESS_MMIO, 0x80, true)->count, 1);
	CHECK(find(&a, VB_ACCESS_MMIO, 0x80, false) == NULL);
	CHECK_EQ_U64(vb_absent_overflow(&a, NULL), 0);
	vb_absent_release(&a);
	vb_absent_release(NULL);
}

/* Three keys fit; the fourth and later only count as overflow, while the
 * three held keep counting. */
static void test_overflow(void)
{
	struct vb_absent a;
	uint8_t b = 0;
	uint64_t ns = 0, total = 0;
	size_t pos = 0, n = 0;

	CHECK(vb_absent_init(&a, 0) == -EINVAL);
	CHECK(vb_absent_init(&a, 3) == 0);
	for (uint64_t port = 0x100; port < 0x110; port++)
		vb_absent_access(&a, VB_ACCESS_PIO, port, false, &b, 1, 10);
	vb_absent_access(&a, VB_ACCESS_PIO, 0x101, false, &b, 1, 10);
	CHECK_EQ_U64(vb_absent_entries(&a), 3);
	CHECK_EQ_U64(vb_absent_overflow(&a, &ns), 13);
	CHECK_EQ_U64(ns, 130);
	CHECK_EQ_U64(find(&a, VB_ACCESS_PIO, 0x101, false)->count, 2);
	for (const struct vb_absent_entry *e; (e = vb_absent_next(&a, &pos)); n++)
		total += e->count;
	CHECK_EQ_U64(n, 3);
	CHECK_EQ_U64(total + vb_absent_overflow(&a, NULL), 17);
	vb_absent_release(&a);
}

/* Many keys that collide in the low bits (page-aligned MMIO) still each
 * find their own slot. */
static void test_many(void)
{
	struct vb_absent a;
	uint8_t b[4];

	CHECK(vb_absent_init(&a, 1000) == 0);
	for (int round = 0; round < 3; round++)
		for (uint64_t i = 0; i < 1000; i++)
			vb_absent_access(&a, VB_ACCESS_MMIO, 0xd0000000 + (i << 12), round == 2,
					 b, 4, 1);
	CHECK_EQ_U64(vb_absent_entries(&a), 1000);
	CHECK_EQ_U64(vb_absent_overflow(&a, NULL), 1000); /* the writes */
	for (uint64_t i = 0; i < 1000; i += 111)
		CHECK_EQ_U64(find(&a, VB_ACCESS_MMIO, 0xd0000000 + (i << 12), false)->count, 2);
	vb_absent_release(&a);
}

int main(void)
{
	test_all_ones();
	test_overflow();
	test_many();
	return vb_check_exit();
}
