/* --kernel: a Linux bzImage and its initrd, read once before the run and
 * checked against --mem and --cmdline, then copied into every VM's memory
 * (kernel_load) beside the zero page it is given (boot_params). */
#ifndef VB_KERNEL_H
#define VB_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "bzimage.h"
#include "guest.h"

struct vb_kernel {
	struct vb_guest image;  /* the file's bytes (vb_guest_load_file) */
	struct vb_guest initrd; /* size 0: none */
	struct vb_bzimage bz;
	uint64_t initrd_addr;   /* guest-physical, 0: none */
	const char *cmdline;
	size_t cmdline_len;
	enum vb_bzimage_fault fault; /* after -ENOEXEC-like parse failures */
	const char *path;       /* the bzImage's file, borrowed: its System.map beside it */
};

/* What vb_kernel_load() found wrong, for the caller's one line. */
enum vb_kernel_error {
	VB_KERNEL_ERR_NONE,
	VB_KERNEL_ERR_KERNEL_FILE,  /* the bzImage cannot be read (errno) */
	VB_KERNEL_ERR_INITRD_FILE,  /* the initrd cannot be read (errno) */
	VB_KERNEL_ERR_BZIMAGE,      /* a header check failed: @fault */
	VB_KERNEL_ERR_CMDLINE,      /* longer than the header allows */
	VB_KERNEL_ERR_MEM,          /* kernel + initrd do not fit in @mem_bytes */
};

/* Read and check @path for a guest of @mem_bytes with @cmdline, and its
 * initrd: the file @initrd_path, or without one @initrd (in memory, not
 * copied; NULL: none). 0, or -errno with *@what saying which step failed;
 * @k is released on failure. */
int vb_kernel_load(struct vb_kernel *k, const char *path, const char *initrd_path,
		   const struct vb_guest *initrd, const char *cmdline, uint64_t mem_bytes,
		   enum vb_kernel_error *what);
void vb_kernel_release(struct vb_kernel *k);

/* kernel_load: copy the protected-mode kernel to 1 MiB and the initrd to
 * its place in @mem (@mem_size bytes). 0 or -EFAULT. */
int vb_kernel_copy(const struct vb_kernel *k, void *mem, size_t mem_size);
/* boot_params: the zero page, command line and e820 into @mem. */
int vb_kernel_boot_params(const struct vb_kernel *k, void *mem, size_t mem_size);

#endif
