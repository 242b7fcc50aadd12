/* The protocol guest's bzImage as built (guests/proto/), read by the
 * project's own loader checks: a valid header the --kernel path accepts,
 * the 64-bit entry where startup_64 is, a zero page and an initrd place
 * for it, and the memory check biting below its init_size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bzimage.h"
#include "check.h"
#include "zero_page.h"

#define MEM (64ull << 20)

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 20);

	*len = 0;
	if (!f || !buf) {
		fprintf(stderr, "%s: cannot read\n", path);
		exit(1);
	}
	*len = fread(buf, 1, 1 << 20, f);
	CHECK(feof(f));
	fclose(f);
	return buf;
}

static void check_header(const uint8_t *img, size_t len, const struct vb_bzimage *bz)
{
	CHECK_EQ_U64(bz->entry64, 0x100200);
	CHECK_EQ_U64(bz->load_addr, 0x100000);
	CHECK_EQ_U64(bz->version, 0x020f);
	CHECK_EQ_U64(bz->cmdline_size, 2047);
	CHECK_EQ_U64(bz->setup_size, 1024);
	CHECK_EQ_U64(bz->kernel_offset + bz->kernel_size, len);
	CHECK_EQ_U64(bz->kernel_size, (uint64_t)bz->hdr.syssize * 16);
	CHECK(bz->init_size >= bz->kernel_size);
	CHECK(bz->hdr.loadflags & LOADED_HIGH);
	CHECK(bz->hdr.xloadflags & XLF_KERNEL_64);
	CHECK_EQ_U64(bz->hdr.pref_address, 0x100000);
	/* startup_64 begins cli; cld (head.S), 0x200 into the 1 MiB part. */
	CHECK_EQ_U64(img[bz->kernel_offset + 0x200], 0xfa);
	CHECK_EQ_U64(img[bz->kernel_offset + 0x201], 0xfc);
}

static void check_boot(const struct vb_bzimage *bz)
{
	static struct boot_params bp;
	struct vb_zero_page_config cfg = { .mem_bytes = MEM, .cmdline_addr = VB_CMDLINE_START,
					   .cmdline_len = 2047 };
	uint64_t initrd = 0;

	CHECK_EQ_U64(vb_zero_page_build(&bp, bz, &cfg), 0);
	CHECK_EQ_U64(bp.hdr.header, VB_BZIMAGE_HDRS);
	cfg.cmdline_len = 2048;
	CHECK_EQ_U64(vb_zero_page_build(&bp, bz, &cfg), (uint64_t)-E2BIG);
	CHECK_EQ_U64(vb_zero_page_initrd_place(bz, MEM, 4096, &initrd), 0);
	CHECK(initrd >= bz->load_addr + bz->init_size);
	CHECK(initrd + 4096 <= MEM);
	CHECK(initrd + 4096 <= (uint64_t)bz->initrd_addr_max + 1);
}

int main(void)
{
	struct vb_bzimage bz;
	enum vb_bzimage_fault f = VB_BZIMAGE_FAULT_COUNT;
	size_t len;
	uint8_t *img = load(VB_PROTO_IMAGE, &len);

	CHECK_EQ_U64(vb_bzimage_parse(img, len, MEM, 0, &bz, &f), 0);
	CHECK_EQ_U64(f, VB_BZIMAGE_OK);
	check_header(img, len, &bz);
	check_boot(&bz);
	/* Memory that does not hold 1 MiB + init_size is refused. */
	CHECK_EQ_U64(vb_bzimage_parse(img, len, 0x100000 + bz.init_size - 4096, 0, &bz, &f),
		     (uint64_t)-ENOMEM);
	CHECK_EQ_U64(f, VB_BZIMAGE_MEM);
	free(img);
	return vb_check_exit();
}
