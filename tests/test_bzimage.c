/* The bzImage header checks: a synthetic image in memory, good, then
 * broken one check at a time, each with its own fault and errno; and the
 * real Debian kernel the project caches, when it is on this machine. */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

#include "bzimage.h"
#include "check.h"
#include "zero_page.h"

#define IMG_SIZE  (64 * 1024)
#define SETUP_SECTS 7
#define MEM       (64ull << 20)

static uint8_t img[IMG_SIZE];

/* A bzImage as the kernel's build lays it out: header at 0x1f1, its end
 * from the jump at 0x200, the protected-mode part after the setup sectors. */
static void make_image(void)
{
	struct setup_header h;

	memset(img, 0, sizeof(img));
	memset(&h, 0, sizeof(h));
	h.setup_sects = SETUP_SECTS;
	h.boot_flag = 0xaa55;
	h.jump = 0x66eb; /* jmp +0x66: header ends at 0x268 */
	h.header = 0x53726448;
	h.version = 0x020f;
	h.loadflags = LOADED_HIGH;
	h.syssize = (IMG_SIZE - (SETUP_SECTS + 1) * 512) / 16;
	h.initrd_addr_max = 0x7fffffff;
	h.xloadflags = XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G;
	h.cmdline_size = 2047;
	h.init_size = 8u << 20;
	memcpy(img + VB_BZIMAGE_HDR_OFFSET, &h, sizeof(h));
}

static struct setup_header *hdr(void)
{
	return (struct setup_header *)(img + VB_BZIMAGE_HDR_OFFSET);
}

static void expect_fault(size_t len, uint64_t mem, uint64_t initrd,
			 enum vb_bzimage_fault want, int want_err)
{
	struct vb_bzimage bz;
	enum vb_bzimage_fault f = VB_BZIMAGE_OK;

	CHECK_EQ_U64(vb_bzimage_parse(img, len, mem, initrd, &bz, &f), (uint64_t)want_err);
	CHECK_EQ_U64(f, want);
	CHECK(strcmp(vb_bzimage_fault_str(f), "ok") != 0);
}

static void test_good(void)
{
	struct vb_bzimage bz;
	enum vb_bzimage_fault f = VB_BZIMAGE_MEM;

	make_image();
	CHECK_EQ_U64(vb_bzimage_parse(img, IMG_SIZE, MEM, 0, &bz, &f), 0);
	CHECK_EQ_U64(f, VB_BZIMAGE_OK);
	CHECK_EQ_U64(bz.setup_size, (SETUP_SECTS + 1) * 512);
	CHECK_EQ_U64(bz.kernel_offset, (SETUP_SECTS + 1) * 512);
	CHECK_EQ_U64(bz.kernel_size, IMG_SIZE - (SETUP_SECTS + 1) * 512);
	CHECK_EQ_U64(bz.load_addr, 0x100000);
	CHECK_EQ_U64(bz.entry64, 0x100200);
	CHECK_EQ_U64(bz.init_size, 8u << 20);
	CHECK_EQ_U64(bz.cmdline_size, 2047);
	CHECK_EQ_U64(bz.initrd_addr_max, 0x7fffffff);
	CHECK_EQ_U64(bz.version, 0x020f);
	CHECK_EQ_U64(bz.hdr.header, 0x53726448);
	CHECK_EQ_STR(vb_bzimage_fault_str(VB_BZIMAGE_OK), "ok");
	CHECK_EQ_STR(vb_bzimage_fault_str(VB_BZIMAGE_FAULT_COUNT), "unknown bzImage fault");

	/* setup_sects 0 means 4. */
	hdr()->setup_sects = 0;
	hdr()->syssize = 0;
	CHECK_EQ_U64(vb_bzimage_parse(img, IMG_SIZE, MEM, 0, &bz, NULL), 0);
	CHECK_EQ_U64(bz.setup_size, 5 * 512);
}

/* Bytes past the header's declared end are not the header's. */
static void test_header_end(void)
{
	struct vb_bzimage bz;

	make_image();
	hdr()->jump = 0x00eb; /* header ends at 0x202: only up to the jump */
	hdr()->header = 0x53726448;
	CHECK_EQ_U64(vb_bzimage_parse(img, IMG_SIZE, MEM, 0, &bz, NULL), -ENOEXEC);
	CHECK_EQ_U64(bz.hdr.header, 0);
	CHECK_EQ_U64(bz.hdr.boot_flag, 0xaa55);
}

static void test_faults(void)
{
	size_t setup = (SETUP_SECTS + 1) * 512;

	make_image();
	expect_fault(0x200, MEM, 0, VB_BZIMAGE_SHORT, -ENODATA);
	hdr()->boot_flag = 0x55aa;
	expect_fault(IMG_SIZE, MEM, 0, VB_BZIMAGE_BOOT_FLAG, -EILSEQ);
	make_image();
	hdr()->header = 0x48647253;
	expect_fault(IMG_SIZE, MEM, 0, VB_BZIMAGE_MAGIC, -ENOEXEC);
	make_image();
	hdr()->version = 0x020b;
	expect_fault(IMG_SIZE, MEM, 0, VB_BZIMAGE_VERSION, -EPROTONOSUPPORT);
	make_image();
	hdr()->xloadflags = XLF_CAN_BE_LOADED_ABOVE_4G;
	expect_fault(IMG_SIZE, MEM, 0, VB_BZIMAGE_NOT_64, -EOPNOTSUPP);
	make_image();
	hdr()->cmdline_size = 0;
	expect_fault(IMG_SIZE, MEM, 0, VB_BZIMAGE_CMDLINE_SIZE, -EINVAL);
	make_image();
	hdr()->setup_sects = 200; /* 201 * 512 > 64 KiB */
	expect_fault(IMG_SIZE, MEM, 0, VB_BZIMAGE_SETUP_SECTS, -ERANGE);
	make_image();
	expect_fault(setup, MEM, 0, VB_BZIMAGE_KERNEL_SIZE, -EBADMSG);
	expect_fault(IMG_SIZE - 16, MEM, 0, VB_BZIMAGE_KERNEL_SIZE, -EBADMSG);
	/* 1 MiB + 8 MiB init_size fits 9 MiB exactly, not with an initrd. */
	CHECK_EQ_U64(vb_bzimage_parse(img, IMG_SIZE, 9ull << 20, 0,
				      &(struct vb_bzimage){0}, NULL), 0);
	expect_fault(IMG_SIZE, (9ull << 20) - 1, 0, VB_BZIMAGE_MEM, -ENOMEM);
	expect_fault(IMG_SIZE, 9ull << 20, 1, VB_BZIMAGE_MEM, -ENOMEM);
}

/* The zero page built from the synthetic image. */
static void test_zero_page(void)
{
	static struct boot_params bp;
	static uint8_t guest[0x80000];
	struct vb_bzimage bz;
	uint64_t initrd = 1;
	struct vb_zero_page_config cfg = {.mem_bytes = MEM, .cmdline_addr = VB_CMDLINE_START,
					  .cmdline_len = 12};

	make_image();
	CHECK_EQ_U64(vb_bzimage_parse(img, IMG_SIZE, MEM, 0, &bz, NULL), 0);
	CHECK_EQ_U64(vb_zero_page_cmdline_check(&bz, 2047), 0);
	CHECK_EQ_U64(vb_zero_page_cmdline_check(&bz, 2048), -E2BIG);

	/* The initrd at the top of memory, page-aligned, above init_size. */
	CHECK_EQ_U64(vb_zero_page_initrd_place(&bz, MEM, 0x1800, &initrd), 0);
	CHECK_EQ_U64(initrd, MEM - 0x2000);
	CHECK_EQ_U64(vb_zero_page_initrd_place(&bz, MEM, 0, &initrd), 0);
	CHECK_EQ_U64(initrd, 0);
	CHECK_EQ_U64(vb_zero_page_initrd_place(&bz, 9ull << 20, 1, &initrd), -ENOMEM);
	CHECK_EQ_U64(vb_zero_page_initrd_place(&bz, (9ull << 20) + 0x1000, 0x1000, &initrd), 0);
	CHECK_EQ_U64(initrd, 9ull << 20);
	CHECK_EQ_U64(vb_zero_page_initrd_place(&bz, MEM, MEM, &initrd), -ENOMEM);
	/* initrd_addr_max caps it below the memory's end. */
	hdr()->initrd_addr_max = (32u << 20) - 1;
	CHECK_EQ_U64(vb_bzimage_parse(img, IMG_SIZE, MEM, 0, &bz, NULL), 0);
	CHECK_EQ_U64(vb_zero_page_initrd_place(&bz, MEM, 0x1000, &initrd), 0);
	CHECK_EQ_U64(initrd, (32u << 20) - 0x1000);

	cfg.initrd_addr = initrd;
	cfg.initrd_size = 0x1000;
	CHECK_EQ_U64(vb_zero_page_build(&bp, &bz, &cfg), 0);
	CHECK_EQ_U64(bp.hdr.type_of_loader, 0xff);
	CHECK_EQ_U64(bp.hdr.header, 0x53726448);
	CHECK_EQ_U64(bp.hdr.boot_flag, 0xaa55);
	CHECK_EQ_U64(bp.hdr.loadflags & CAN_USE_HEAP, 0);
	CHECK_EQ_U64(bp.hdr.cmd_line_ptr, 0x20000);
	CHECK_EQ_U64(bp.hdr.ramdisk_image, (32u << 20) - 0x1000);
	CHECK_EQ_U64(bp.hdr.ramdisk_size, 0x1000);
	CHECK_EQ_U64(bp.e820_entries, 3);
	CHECK_EQ_U64(bp.e820_table[0].addr, 0);
	CHECK_EQ_U64(bp.e820_table[0].size, 0x9fc00);
	CHECK_EQ_U64(bp.e820_table[0].type, VB_E820_RAM);
	CHECK_EQ_U64(bp.e820_table[1].addr, 0x9fc00);
	CHECK_EQ_U64(bp.e820_table[1].size, 0x100000 - 0x9fc00);
	CHECK_EQ_U64(bp.e820_table[1].type, VB_E820_RESERVED);
	CHECK_EQ_U64(bp.e820_table[2].addr, 0x100000);
	CHECK_EQ_U64(bp.e820_table[2].size, MEM - 0x100000);
	CHECK_EQ_U64(bp.e820_table[2].type, VB_E820_RAM);

	/* RAM past the MMIO gap's start continues at 4 GiB. */
	CHECK_EQ_U64(vb_zero_page_e820(&bp, 4ull << 30), 4);
	CHECK_EQ_U64(bp.e820_table[2].size, 0xd0000000ull - 0x100000);
	CHECK_EQ_U64(bp.e820_table[3].addr, 4ull << 30);
	CHECK_EQ_U64(bp.e820_table[3].size, (4ull << 30) - 0xd0000000ull);
	CHECK_EQ_U64(vb_zero_page_e820(&bp, 1ull << 20), -EINVAL);
	cfg.mem_bytes = 0x80000;
	CHECK_EQ_U64(vb_zero_page_build(&bp, &bz, &cfg), -EINVAL);
	cfg.cmdline_len = 4096;
	CHECK_EQ_U64(vb_zero_page_build(&bp, &bz, &cfg), -E2BIG);

	cfg.mem_bytes = MEM;
	cfg.cmdline_len = 12;
	CHECK_EQ_U64(vb_zero_page_build(&bp, &bz, &cfg), 0);
	memset(guest, 0x5a, sizeof(guest));
	CHECK_EQ_U64(vb_zero_page_write(guest, sizeof(guest), &bp, "console=ttyS0", 12,
					VB_CMDLINE_START), 0);
	CHECK(memcmp(guest + VB_CMDLINE_START, "console=ttyS", 12) == 0);
	CHECK_EQ_U64(guest[VB_CMDLINE_START + 12], 0);
	CHECK(memcmp(guest + 0x7c000, &bp, sizeof(bp)) == 0);
	CHECK_EQ_U64(vb_zero_page_write(guest, 0x7c000, &bp, "x", 1, VB_CMDLINE_START),
		     -EFAULT);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* A real kernel: the test VM's cached Debian kernel or the host's own. */
static void test_real_kernel(void)
{
	const char *home = getenv("HOME");
	char pat[512];
	glob_t g = {0};
	struct vb_bzimage bz, small;
	enum vb_bzimage_fault f;
	uint8_t *buf;
	size_t len = 0;

	/* tools/lib/kernel.sh unpacks each package under <cache>/kernels/<pkg>/root. */
	snprintf(pat, sizeof(pat), "%s/.cache/vcpubench/kernels/*/root/boot/vmlinuz-*",
		 home ? home : "/nonexistent");
	glob(pat, 0, NULL, &g);
	glob("/boot/vmlinuz-*", GLOB_APPEND, NULL, &g);
	if (g.gl_pathc == 0) {
		printf("real kernel case skipped: no cached or /boot vmlinuz\n");
		globfree(&g);
		return;
	}
	buf = slurp(g.gl_pathv[0], &len);
	if (!buf) {
		printf("real kernel case skipped: cannot read '%s'\n", g.gl_pathv[0]);
		globfree(&g);
		return;
	}
	CHECK_EQ_U64(vb_bzimage_parse(buf, len, 1ull << 30, 0, &bz, &f), 0);
	CHECK_EQ_U64(f, VB_BZIMAGE_OK);
	CHECK(bz.version >= 0x020c);
	CHECK(bz.init_size >= bz.kernel_size);
	CHECK(bz.cmdline_size >= 255);
	CHECK_EQ_U64(bz.kernel_offset + bz.kernel_size, len);
	CHECK_EQ_U64(vb_bzimage_parse(buf, len, bz.load_addr + bz.init_size - 1, 0, &small, &f),
		     -ENOMEM);
	CHECK_EQ_U64(f, VB_BZIMAGE_MEM);
	printf("%s: protocol %x, init_size %u, cmdline_size %u\n", g.gl_pathv[0],
	       bz.version, bz.init_size, bz.cmdline_size);
	free(buf);
	globfree(&g);
}

int main(void)
{
	test_good();
	test_header_end();
	test_faults();
	test_zero_page();
	test_real_kernel();
	return vb_check_exit();
}
