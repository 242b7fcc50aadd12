/* Append-only page store in mmap'd chunks (pagestore.h). */
#include "pagestore.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

struct rec {
	uint32_t tag, len; /* len 0: end of the chunk's records */
};

#define ALIGN8(x) (((x) + 7u) & ~(size_t)7u)

void vb_pagestore_init(struct vb_pagestore *s, size_t chunk_size)
{
	*s = (struct vb_pagestore){ .chunk_size = ALIGN8(chunk_size) };
}

static int new_chunk(struct vb_pagestore *s)
{
	void *p;

	if (s->nchunks == VB_PAGESTORE_MAX_CHUNKS)
		return -ENOMEM;
	p = mmap(NULL, s->chunk_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	s->chunk[s->nchunks++] = p;
	s->used = 0;
	return 0;
}

int vb_pagestore_append(struct vb_pagestore *s, uint32_t tag, const void *data, uint32_t len)
{
	size_t need = sizeof(struct rec) + ALIGN8(len);
	struct rec *r;

	/* Room for this record and the end marker after it. */
	if (need + sizeof(struct rec) > s->chunk_size || len == 0)
		return -E2BIG;
	if (!s->nchunks || s->used + need + sizeof(struct rec) > s->chunk_size) {
		int err = new_chunk(s);

		if (err)
			return err;
	}
	r = (struct rec *)(s->chunk[s->nchunks - 1] + s->used);
	r->tag = tag;
	r->len = len;
	memcpy(r + 1, data, len);
	s->used += need;
	/* Fresh anonymous memory reads as zero: the next header is the end
	 * marker until something is appended there. */
	s->pages++;
	s->bytes += len;
	return 0;
}

int vb_pagestore_for_each(const struct vb_pagestore *s,
			  int (*fn)(void *ctx, uint32_t tag, void *data, uint32_t len), void *ctx)
{
	for (size_t c = 0; c < s->nchunks; c++) {
		size_t off = 0;

		while (off + sizeof(struct rec) <= s->chunk_size) {
			struct rec *r = (struct rec *)(s->chunk[c] + off);
			int err;

			if (r->len == 0)
				break;
			err = fn(ctx, r->tag, r + 1, r->len);
			if (err)
				return err;
			off += sizeof(*r) + ALIGN8(r->len);
		}
	}
	return 0;
}

void vb_pagestore_release(struct vb_pagestore *s)
{
	for (size_t c = 0; c < s->nchunks; c++)
		munmap(s->chunk[c], s->chunk_size);
	vb_pagestore_init(s, s->chunk_size);
}
