/* An append-only store of trace buffer pages, for the trace reader.
 *
 * Why not malloc: while VMs are alive, every change the allocator makes to
 * the process's mappings (heap growth by mprotect, trimming by munmap)
 * fires KVM's MMU notifier for every live VM (kvm_unmap_hva_range, taking
 * their mmu_lock): the tool would perturb what it measures. The store maps
 * large chunks once with MAP_NORESERVE (mapping new memory notifies no
 * one) and only appends inside them; nothing is unmapped before
 * vb_pagestore_release().
 *
 * One writer appends; readers iterate only after the writer is done. */
#ifndef VB_PAGESTORE_H
#define VB_PAGESTORE_H

#include <stddef.h>
#include <stdint.h>

#define VB_PAGESTORE_MAX_CHUNKS 1024

struct vb_pagestore {
	size_t chunk_size;
	char *chunk[VB_PAGESTORE_MAX_CHUNKS];
	size_t nchunks, used; /* bytes used in the last chunk */
	uint64_t pages, bytes;
};

/* An empty store whose chunks are @chunk_size bytes (a multiple of 8, at
 * least a page larger than any record). */
void vb_pagestore_init(struct vb_pagestore *s, size_t chunk_size);

/* Append @len bytes of @data tagged @tag. 0, -ENOMEM, or -E2BIG when @len
 * does not fit a chunk. */
int vb_pagestore_append(struct vb_pagestore *s, uint32_t tag, const void *data, uint32_t len);

/* Call @fn for every record in append order; a non-zero return stops the
 * walk and is returned. */
int vb_pagestore_for_each(const struct vb_pagestore *s,
			  int (*fn)(void *ctx, uint32_t tag, void *data, uint32_t len), void *ctx);

void vb_pagestore_release(struct vb_pagestore *s);

#endif
