/* Attribution rules (attrib.h) on synthetic windows and events. */
#include "attrib.h"
#include "check.h"

/* Thread 10: a 100..200, b 200..300 (touching a), container 400..700 with
 * a nested 450..500; thread 20: one window 150..250. */
static const struct vb_window W[] = {
	{ 100, 200, 10 }, /* 0 */
	{ 200, 300, 10 }, /* 1 */
	{ 400, 700, 10 }, /* 2: guest_load */
	{ 450, 500, 10 }, /* 3: gdt_write inside it */
	{ 150, 250, 20 }, /* 4 */
};
#define NW (sizeof(W) / sizeof(W[0]))

static struct vb_attribution one(uint64_t ts, int32_t tid)
{
	struct vb_tevent e = { ts, tid, VB_EVENT_OTHER };
	struct vb_attribution a;
	uint64_t k[NW];

	CHECK(vb_attrib_run(W, NW, &e, 1, &a, k) == 0);
	return a;
}

#define EXPECT(ts, tid, want_place, want_window)                             \
	do {                                                                 \
		struct vb_attribution a_ = one(ts, tid);                     \
		CHECK_EQ_U64(a_.place, want_place);                          \
		CHECK_EQ_U64((uint64_t)a_.window, (uint64_t)(want_window));  \
	} while (0)

static void test_boundaries(void)
{
	EXPECT(100, 10, VB_PLACE_INSIDE, 0);  /* start is inside */
	EXPECT(199, 10, VB_PLACE_INSIDE, 0);
	EXPECT(200, 10, VB_PLACE_INSIDE, 1);  /* touching: the later window wins */
	EXPECT(300, 10, VB_PLACE_INSIDE, 1);  /* end is inside */
	EXPECT(301, 10, VB_PLACE_BETWEEN, 1); /* after b, before the container */
	EXPECT(99, 10, VB_PLACE_BETWEEN, -1); /* before the thread's first phase */
	EXPECT(800, 10, VB_PLACE_BETWEEN, 2); /* after the last: previous is the container */
}

static void test_nesting(void)
{
	EXPECT(420, 10, VB_PLACE_INSIDE, 2); /* container before the nested window */
	EXPECT(470, 10, VB_PLACE_INSIDE, 3); /* innermost */
	EXPECT(600, 10, VB_PLACE_INSIDE, 2); /* container after the nested window */
}

static void test_threads(void)
{
	EXPECT(200, 20, VB_PLACE_INSIDE, 4); /* same time, other thread: its own window */
	EXPECT(120, 20, VB_PLACE_BETWEEN, -1);
	EXPECT(200, 30, VB_PLACE_NONE, -1);  /* unknown thread */
}

/* kernel_ns: only ioctl intervals wholly inside one window count; events
 * arrive in any order. */
static void test_kernel_ns(void)
{
	struct vb_tevent ev[] = {
		{ 230, 10, VB_EVENT_IOCTL_EXIT },  /* pairs with 210: window 1 */
		{ 210, 10, VB_EVENT_IOCTL_ENTER },
		{ 250, 10, VB_EVENT_IOCTL_ENTER }, /* second ioctl in window 1 */
		{ 260, 10, VB_EVENT_OTHER },
		{ 290, 10, VB_EVENT_IOCTL_EXIT },
		{ 180, 10, VB_EVENT_IOCTL_ENTER }, /* crosses 0 -> 1: counted nowhere */
		{ 205, 10, VB_EVENT_IOCTL_EXIT },
		{ 160, 20, VB_EVENT_IOCTL_ENTER }, /* thread 20 */
		{ 170, 20, VB_EVENT_IOCTL_EXIT },
		{ 460, 10, VB_EVENT_IOCTL_EXIT },  /* an exit without enter: ignored */
	};
	size_t ne = sizeof(ev) / sizeof(ev[0]);
	struct vb_attribution a[sizeof(ev) / sizeof(ev[0])];
	uint64_t k[NW];

	CHECK(vb_attrib_run(W, NW, ev, ne, a, k) == 0);
	CHECK_EQ_U64(k[0], VB_ATTRIB_NONE);
	CHECK_EQ_U64(k[1], (230 - 210) + (290 - 250));
	CHECK_EQ_U64(k[2], VB_ATTRIB_NONE);
	CHECK_EQ_U64(k[3], VB_ATTRIB_NONE);
	CHECK_EQ_U64(k[4], 10);
	CHECK_EQ_U64(a[3].window, 1);
	CHECK_EQ_U64(a[9].window, 3);
}

static void test_empty(void)
{
	struct vb_tevent e = { 5, 1, VB_EVENT_OTHER };
	struct vb_attribution a;
	uint64_t k[1];

	CHECK(vb_attrib_run(NULL, 0, &e, 1, &a, k) == 0);
	CHECK_EQ_U64(a.place, VB_PLACE_NONE);
	CHECK(vb_attrib_run(W, NW, NULL, 0, NULL, (uint64_t[NW]){ 0 }) == 0);
}

int main(void)
{
	test_boundaries();
	test_nesting();
	test_threads();
	test_kernel_ns();
	test_empty();
	return vb_check_exit();
}
