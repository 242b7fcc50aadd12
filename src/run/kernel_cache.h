/* --linux: the kernel the project already fetches for its test VM
 * (tools/vm, tools/lib/kernel.sh), Debian's linux-image-amd64, found in
 * that cache rather than downloaded at run time. */
#ifndef VB_KERNEL_CACHE_H
#define VB_KERNEL_CACHE_H

#include <stddef.h>

/* The package name tools/vm resolves by default. */
#define VB_KERNEL_CACHE_DEFAULT "linux-image-amd64"

/* Into @path: the vmlinuz of VB_KERNEL_CACHE_DEFAULT in the cache at
 * $VB_CACHE, $XDG_CACHE_HOME/vcpubench or ~/.cache/vcpubench (as
 * kernel.sh picks it), and into @where the entry looked at. 0, -ENOENT
 * (not fetched yet), -ENAMETOOLONG. */
int vb_kernel_cache_default(char *path, size_t len, char *where, size_t wlen);

#endif
