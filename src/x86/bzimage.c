/* The bzImage setup header checks, in boot.rst's order: what a boot loader
 * must see before it may trust the fields it then uses. */
#include "bzimage.h"

#include <errno.h>
#include <string.h>

#define SECTOR 512u
#define PAGE   4096ull
/* boot.rst: the header ends at 0x202 + the byte at 0x201 (the jump's
 * offset); fields past that end are absent and read as zero. */
#define HDR_JUMP_OFF 0x201u
#define HDR_END_BASE 0x202u
/* boot.rst's default for protocols before 2.03; 2.12 has the field. */
#define INITRD_ADDR_MAX_DEFAULT 0x37ffffffu

static const struct {
	int err;
	const char *str;
} faults[VB_BZIMAGE_FAULT_COUNT] = {
	[VB_BZIMAGE_OK] = {0, "ok"},
	[VB_BZIMAGE_SHORT] = {-ENODATA, "file too short for a setup header (not a bzImage)"},
	[VB_BZIMAGE_BOOT_FLAG] = {-EILSEQ, "boot_flag at 0x1fe is not 0xaa55 (not a bzImage)"},
	[VB_BZIMAGE_MAGIC] = {-ENOEXEC, "no 'HdrS' magic at 0x202 (not a bzImage)"},
	[VB_BZIMAGE_VERSION] = {-EPROTONOSUPPORT,
				"boot protocol older than 2.12 (no xloadflags)"},
	[VB_BZIMAGE_NOT_64] = {-EOPNOTSUPP,
			       "xloadflags has no XLF_KERNEL_64 (no 64-bit entry point)"},
	[VB_BZIMAGE_SETUP_SECTS] = {-ERANGE, "setup_sects runs past the end of the file"},
	[VB_BZIMAGE_KERNEL_SIZE] = {-EBADMSG,
				    "protected-mode kernel missing or shorter than syssize"},
	[VB_BZIMAGE_CMDLINE_SIZE] = {-EINVAL, "cmdline_size is 0"},
	[VB_BZIMAGE_MEM] = {-ENOMEM,
			    "memory too small for kernel at 1 MiB + init_size (+ initrd)"},
};

const char *vb_bzimage_fault_str(enum vb_bzimage_fault fault)
{
	if ((unsigned)fault >= VB_BZIMAGE_FAULT_COUNT)
		return "unknown bzImage fault";
	return faults[fault].str;
}

static int fail(enum vb_bzimage_fault f, enum vb_bzimage_fault *fault)
{
	if (fault)
		*fault = f;
	return faults[f].err;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Copy the header as boot.rst says: from 0x1f1 to its declared end, and
 * no further than struct setup_header (a newer kernel's extra fields are
 * not ours to read). */
static void copy_header(const uint8_t *p, struct setup_header *hdr)
{
	size_t end = HDR_END_BASE + p[HDR_JUMP_OFF];
	size_t n = end > VB_BZIMAGE_HDR_OFFSET ? end - VB_BZIMAGE_HDR_OFFSET : 0;

	if (n > sizeof(*hdr))
		n = sizeof(*hdr);
	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr, p + VB_BZIMAGE_HDR_OFFSET, n);
}

static enum vb_bzimage_fault check_header(const struct setup_header *h)
{
	if (h->boot_flag != VB_BZIMAGE_AA55)
		return VB_BZIMAGE_BOOT_FLAG;
	if (h->header != VB_BZIMAGE_HDRS)
		return VB_BZIMAGE_MAGIC;
	if (h->version < VB_BZIMAGE_MIN_VERSION)
		return VB_BZIMAGE_VERSION;
	if (!(h->xloadflags & XLF_KERNEL_64))
		return VB_BZIMAGE_NOT_64;
	if (h->cmdline_size == 0)
		return VB_BZIMAGE_CMDLINE_SIZE;
	return VB_BZIMAGE_OK;
}

/* The image's layout: setup sectors, then the protected-mode kernel,
 * whose size in 16-byte paragraphs is syssize. */
static enum vb_bzimage_fault check_layout(struct vb_bzimage *bz, size_t len)
{
	unsigned sects = bz->hdr.setup_sects ? bz->hdr.setup_sects : 4;

	bz->setup_size = ((size_t)sects + 1) * SECTOR;
	if (bz->setup_size > len)
		return VB_BZIMAGE_SETUP_SECTS;
	bz->kernel_offset = bz->setup_size;
	bz->kernel_size = len - bz->setup_size;
	if (bz->kernel_size == 0 || bz->kernel_size < (uint64_t)bz->hdr.syssize * 16)
		return VB_BZIMAGE_KERNEL_SIZE;
	return VB_BZIMAGE_OK;
}

/* The kernel decompresses in place from 1 MiB and needs init_size bytes
 * there (at least its own size); an initrd goes page-aligned above it. */
static enum vb_bzimage_fault check_mem(const struct vb_bzimage *bz, uint64_t mem_bytes,
				       uint64_t initrd_bytes)
{
	uint64_t need = bz->init_size > bz->kernel_size ? bz->init_size : bz->kernel_size;
	uint64_t end = align_up(bz->load_addr + need, PAGE) + align_up(initrd_bytes, PAGE);

	return end > mem_bytes ? VB_BZIMAGE_MEM : VB_BZIMAGE_OK;
}

int vb_bzimage_parse(const void *img, size_t len, uint64_t mem_bytes,
		     uint64_t initrd_bytes, struct vb_bzimage *out,
		     enum vb_bzimage_fault *fault)
{
	enum vb_bzimage_fault f;

	if (len < VB_BZIMAGE_HDR_OFFSET + sizeof(struct setup_header))
		return fail(VB_BZIMAGE_SHORT, fault);
	memset(out, 0, sizeof(*out));
	copy_header(img, &out->hdr);
	f = check_header(&out->hdr);
	if (f == VB_BZIMAGE_OK)
		f = check_layout(out, len);
	if (f != VB_BZIMAGE_OK)
		return fail(f, fault);
	out->version = out->hdr.version;
	out->load_addr = VB_BZIMAGE_LOAD_ADDR;
	out->entry64 = VB_BZIMAGE_LOAD_ADDR + VB_BZIMAGE_ENTRY64_OFF;
	out->init_size = out->hdr.init_size;
	out->cmdline_size = out->hdr.cmdline_size;
	out->initrd_addr_max = out->hdr.initrd_addr_max ? out->hdr.initrd_addr_max
							: INITRD_ADDR_MAX_DEFAULT;
	f = check_mem(out, mem_bytes, initrd_bytes);
	if (f != VB_BZIMAGE_OK)
		return fail(f, fault);
	if (fault)
		*fault = VB_BZIMAGE_OK;
	return 0;
}
