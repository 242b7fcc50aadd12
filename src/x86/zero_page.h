/* The zero page (struct boot_params) a 64-bit boot loader hands a Linux
 * kernel in rsi, built as a pure function: header from the bzImage, the
 * command line's and initrd's addresses, the e820 memory map.
 *
 * Guest-physical layout, beside x86_boot.h's (GDT 0x500, boot words 0x7000,
 * SIPI page 0x8000, page tables 0x9000..0xc000, zero page 0x7c000):
 * the command line at VB_CMDLINE_START (0x20000, below the zero page, up
 * to VB_CMDLINE_MAX bytes), the MP table at 0x9fc00 (mptable.h), the
 * kernel at 1 MiB, the initrd at the top of low memory. */
#ifndef VB_ZERO_PAGE_H
#define VB_ZERO_PAGE_H

#include <asm/bootparam.h>
#include <stddef.h>
#include <stdint.h>

#include "bzimage.h"

#define VB_CMDLINE_START   0x20000ull
#define VB_CMDLINE_MAX     0x10000ull /* with its NUL: 64 KiB to 0x30000 */
#define VB_E820_RAM        1u
#define VB_E820_RESERVED   2u
/* Low memory ends where the EBDA (and the MP table in it) begins; the
 * legacy VGA/BIOS area up to 1 MiB is reserved, as Firecracker leaves it. */
#define VB_EBDA_START      0x9fc00ull
#define VB_HIGH_MEM_START  0x100000ull
/* The 32-bit MMIO gap (IOAPIC, LAPIC, ...) below 4 GiB, Firecracker's
 * 768 MiB: RAM past its start is reported at 4 GiB and up. */
#define VB_MMIO_GAP_START  0xd0000000ull
#define VB_MMIO_GAP_END    0x100000000ull
#define VB_LOADER_TYPE_UNDEFINED 0xffu

struct vb_zero_page_config {
	uint64_t mem_bytes;   /* guest RAM */
	uint64_t cmdline_addr; /* VB_CMDLINE_START normally */
	size_t cmdline_len;   /* without the NUL; 0: no command line */
	uint64_t initrd_addr; /* from vb_zero_page_initrd_place(); 0: none */
	uint64_t initrd_size;
};

/* -E2BIG when a command line of @len bytes (without its NUL) is longer
 * than @bz's header allows or than VB_CMDLINE_MAX holds, else 0. */
int vb_zero_page_cmdline_check(const struct vb_bzimage *bz, size_t len);

/* Where an initrd of @size bytes goes: the highest 4 KiB-aligned address
 * whose end is below min(@mem_bytes, initrd_addr_max + 1, the MMIO gap)
 * and whose start is above the kernel's 1 MiB + init_size. Returns 0 with
 * *@addr set, or -ENOMEM when it does not fit ("--mem too small for
 * kernel + initrd"). @size 0 gives *@addr = 0. */
int vb_zero_page_initrd_place(const struct vb_bzimage *bz, uint64_t mem_bytes,
			      uint64_t size, uint64_t *addr);

/* Fill the e820 map of @bp for @mem_bytes of RAM: usable 0..0x9fc00,
 * reserved 0x9fc00..1 MiB, usable 1 MiB..min(mem, gap start) and, for RAM
 * past the gap's start, usable 4 GiB..4 GiB + the rest (the caller maps
 * guest memory so, or keeps --mem below 3.25 GiB). Returns the entry
 * count, or -EINVAL when @mem_bytes does not reach 1 MiB. */
int vb_zero_page_e820(struct boot_params *bp, uint64_t mem_bytes);

/* Build the zero page @bp for @bz and @cfg: zeroed, the image's setup
 * header, type_of_loader 0xff, cmd_line_ptr, ramdisk_image/size, e820.
 * loadflags are the image's own: CAN_USE_HEAP (and heap_end_ptr) tells
 * the real-mode setup code where its heap ends, and at the 64-bit entry
 * that code never runs, so it is left clear. Returns 0, or -E2BIG (the
 * command line) or -EINVAL (memory) as the functions above. */
int vb_zero_page_build(struct boot_params *bp, const struct vb_bzimage *bz,
		       const struct vb_zero_page_config *cfg);

/* Write @bp at VB_ZERO_PAGE_START and the @len-byte command line @cmdline
 * (plus a NUL) at @cmdline_addr into guest memory @mem of @mem_size bytes.
 * Returns 0, or -EFAULT when either does not fit (nothing written). */
int vb_zero_page_write(void *mem, size_t mem_size, const struct boot_params *bp,
		       const char *cmdline, size_t len, uint64_t cmdline_addr);

#endif
