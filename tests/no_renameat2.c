/* Run a command as if on 9p: renameat2() with flags fails with EINVAL
 * (seccomp_filter.h), so the end-to-end tests can drive the real binary
 * through the fallback publish path on any host.
 * Usage: no_renameat2 COMMAND [ARG]... */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "seccomp_filter.h"

int main(int argc, char **argv)
{
	int r;

	if (argc < 2) {
		fprintf(stderr, "usage: no_renameat2 command [arg]...\n");
		return 2;
	}
	r = vb_seccomp_install(false);
	if (r) {
		fprintf(stderr, "no_renameat2: cannot install the seccomp filter: %s\n",
			strerror(-r));
		return 4; /* skip: the host has no seccomp filters */
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "no_renameat2: cannot run '%s': %s\n", argv[1], strerror(errno));
	return 127;
}
