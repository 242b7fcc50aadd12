/* libFuzzer: loading a --guest file of any content and size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("guest", MFD_CLOEXEC);
	struct vb_guest g = { 0 };
	char path[64];

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* A limit below, at and above the size. */
	for (size_t limit = size ? size - 1 : 0; limit <= size + 1; limit++) {
		int r = vb_guest_load_file(&g, path, limit);

		if (r == 0 && (g.size != size || g.size > limit || !size))
			abort();
		vb_guest_release(&g);
	}
	close(fd);
	return 0;
}
