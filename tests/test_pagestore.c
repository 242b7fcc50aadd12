/* The trace page store: records come back in order and intact, across
 * chunk boundaries; oversize and empty records are refused. */
#include <errno.h>

#include "check.h"
#include "pagestore.h"

struct walk {
	uint32_t next;
	int bad;
};

static int check_rec(void *ctx, uint32_t tag, void *data, uint32_t len)
{
	struct walk *w = ctx;
	const unsigned char *d = data;

	if (tag != w->next || len != 1 + tag % 300)
		w->bad++;
	for (uint32_t i = 0; i < len; i++)
		if (d[i] != (unsigned char)(tag + i))
			w->bad++;
	w->next++;
	return 0;
}

static int stop_at_3(void *ctx, uint32_t tag, void *data, uint32_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return tag == 3 ? 42 : 0;
}

int main(void)
{
	struct vb_pagestore s;
	unsigned char buf[300];
	struct walk w = { 0, 0 };

	vb_pagestore_init(&s, 4096);
	for (uint32_t tag = 0; tag < 5000; tag++) {
		uint32_t len = 1 + tag % 300;

		for (uint32_t i = 0; i < len; i++)
			buf[i] = (unsigned char)(tag + i);
		CHECK(vb_pagestore_append(&s, tag, buf, len) == 0);
	}
	CHECK(s.nchunks > 100); /* many chunk boundaries crossed */
	CHECK_EQ_U64(s.pages, 5000);
	CHECK(vb_pagestore_for_each(&s, check_rec, &w) == 0);
	CHECK_EQ_U64(w.next, 5000);
	CHECK_EQ_U64(w.bad, 0);
	CHECK(vb_pagestore_for_each(&s, stop_at_3, NULL) == 42);
	CHECK(vb_pagestore_append(&s, 1, buf, 0) == -E2BIG);
	{
		static unsigned char big[4096];

		CHECK(vb_pagestore_append(&s, 1, big, sizeof(big)) == -E2BIG);
	}
	vb_pagestore_release(&s);
	CHECK_EQ_U64(s.nchunks, 0);
	return vb_check_exit();
}
