/* The setup header of a Linux bzImage, read and checked as the x86 boot
 * protocol (Documentation/arch/x86/boot.rst) asks of a boot loader that
 * enters the kernel at its 64-bit entry point.
 *
 * Pure: the caller hands in the image's bytes; nothing is read from a file
 * or written to guest memory here. Each check that can fail has its own
 * fault and its own negative errno, so the caller can say in one line
 * which check a file failed. */
#ifndef VB_BZIMAGE_H
#define VB_BZIMAGE_H

#include <asm/bootparam.h>
#include <stddef.h>
#include <stdint.h>

/* The protected-mode kernel is loaded at 1 MiB (boot.rst's "traditional"
 * address; every bzImage is relocatable from there) and entered 0x200
 * bytes in, at startup_64. */
#define VB_BZIMAGE_LOAD_ADDR   0x100000ull
#define VB_BZIMAGE_ENTRY64_OFF 0x200ull
#define VB_BZIMAGE_HDR_OFFSET  0x1f1u /* struct setup_header in the image */
/* 2.12 is the first version with xloadflags (XLF_KERNEL_64). */
#define VB_BZIMAGE_MIN_VERSION 0x020cu
#define VB_BZIMAGE_HDRS        0x53726448u /* "HdrS" */
#define VB_BZIMAGE_AA55    0xaa55u

enum vb_bzimage_fault {
	VB_BZIMAGE_OK = 0,
	VB_BZIMAGE_SHORT,        /* -ENODATA: shorter than the setup header */
	VB_BZIMAGE_BOOT_FLAG,    /* -EILSEQ: boot_flag is not 0xaa55 */
	VB_BZIMAGE_MAGIC,        /* -ENOEXEC: no "HdrS" magic */
	VB_BZIMAGE_VERSION,      /* -EPROTONOSUPPORT: protocol older than 2.12 */
	VB_BZIMAGE_NOT_64,       /* -EOPNOTSUPP: XLF_KERNEL_64 clear */
	VB_BZIMAGE_SETUP_SECTS,  /* -ERANGE: the setup part runs past the file */
	VB_BZIMAGE_KERNEL_SIZE,  /* -EBADMSG: protected-mode part empty or shorter than syssize */
	VB_BZIMAGE_CMDLINE_SIZE, /* -EINVAL: cmdline_size is 0 */
	VB_BZIMAGE_MEM,          /* -ENOMEM: kernel + init_size (+ initrd) exceed the memory */
	VB_BZIMAGE_FAULT_COUNT,
};

struct vb_bzimage {
	struct setup_header hdr; /* the image's header bytes, zero past its end */
	size_t setup_size;       /* (setup_sects, 0 meaning 4, + 1) * 512 */
	size_t kernel_offset;    /* the protected-mode kernel in the image */
	size_t kernel_size;
	uint64_t load_addr;      /* VB_BZIMAGE_LOAD_ADDR */
	uint64_t entry64;        /* load_addr + VB_BZIMAGE_ENTRY64_OFF */
	uint32_t init_size;      /* bytes the kernel needs from load_addr */
	uint32_t cmdline_size;   /* longest command line, without its NUL */
	uint32_t initrd_addr_max; /* highest byte an initrd may occupy */
	uint16_t version;        /* boot protocol, e.g. 0x020f */
};

/* Read and check the bzImage @img (@len bytes) for a guest of @mem_bytes
 * bytes that also holds an initrd of @initrd_bytes (0: none). Fills @out
 * and returns 0, or returns the fault's negative errno (listed with the
 * enum) with *@fault (if not NULL) naming the failed check; @out is then
 * unspecified. */
int vb_bzimage_parse(const void *img, size_t len, uint64_t mem_bytes,
		     uint64_t initrd_bytes, struct vb_bzimage *out,
		     enum vb_bzimage_fault *fault);

/* A lowercase one-line reason for @fault, e.g. "no 'HdrS' magic at 0x202
 * (not a bzImage)"; never NULL. */
const char *vb_bzimage_fault_str(enum vb_bzimage_fault fault);

#endif
