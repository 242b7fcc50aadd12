/* Where tools/vm leaves Debian's kernel (kernel_cache.h). */
#include "kernel_cache.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

/* kernel.sh's cache root: $VB_CACHE, else $XDG_CACHE_HOME/vcpubench, else
 * $HOME/.cache/vcpubench; its by-name/<package> link points at the
 * unpacked package of the version resolved. */
static int cache_entry(char *buf, size_t len)
{
	const char *vb = getenv("VB_CACHE"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (vb && *vb)
		n = snprintf(buf, len, "%s/kernels/by-name/%s", vb, VB_KERNEL_CACHE_DEFAULT);
	else if (xdg && *xdg)
		n = snprintf(buf, len, "%s/vcpubench/kernels/by-name/%s", xdg,
			     VB_KERNEL_CACHE_DEFAULT);
	else
		n = snprintf(buf, len, "%s/.cache/vcpubench/kernels/by-name/%s",
			     home && *home ? home : "/root", VB_KERNEL_CACHE_DEFAULT);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int vb_kernel_cache_default(char *path, size_t len, char *where, size_t wlen)
{
	char pattern[4200];
	glob_t g;
	int r = cache_entry(where, wlen), n;

	if (r)
		return r;
	n = snprintf(pattern, sizeof(pattern), "%s/root/boot/vmlinuz-*", where);
	if (n < 0 || (size_t)n >= sizeof(pattern))
		return -ENAMETOOLONG;
	if (glob(pattern, 0, NULL, &g) != 0)
		return -ENOENT;
	n = snprintf(path, len, "%s", g.gl_pathv[0]);
	globfree(&g);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
