/* The zero page: what boot.rst's "64-bit boot protocol" section says a
 * loader fills in before jumping to startup_64. */
#include "zero_page.h"

#include <errno.h>
#include <string.h>

#include "x86_boot.h"

#define PAGE 4096ull

_Static_assert(VB_CMDLINE_START + VB_CMDLINE_MAX <= VB_ZERO_PAGE_START &&
		       VB_CMDLINE_START >= VB_PDE_START + PAGE,
	       "the command line sits between the page tables and the zero page");
_Static_assert(VB_ZERO_PAGE_START + sizeof(struct boot_params) <= VB_EBDA_START,
	       "the zero page sits below the EBDA");

int vb_zero_page_cmdline_check(const struct vb_bzimage *bz, size_t len)
{
	if (len > bz->cmdline_size || len + 1 > VB_CMDLINE_MAX)
		return -E2BIG;
	return 0;
}

int vb_zero_page_initrd_place(const struct vb_bzimage *bz, uint64_t mem_bytes,
			      uint64_t size, uint64_t *addr)
{
	uint64_t need = bz->init_size > bz->kernel_size ? bz->init_size : bz->kernel_size;
	uint64_t low = (bz->load_addr + need + PAGE - 1) & ~(PAGE - 1);
	uint64_t top = mem_bytes;

	*addr = 0;
	if (size == 0)
		return 0;
	if (top > (uint64_t)bz->initrd_addr_max + 1)
		top = (uint64_t)bz->initrd_addr_max + 1;
	if (top > VB_MMIO_GAP_START)
		top = VB_MMIO_GAP_START;
	if (size > top || ((top - size) & ~(PAGE - 1)) < low)
		return -ENOMEM;
	*addr = (top - size) & ~(PAGE - 1);
	return 0;
}

static void e820_add(struct boot_params *bp, uint64_t addr, uint64_t size, uint32_t type)
{
	struct boot_e820_entry *e = &bp->e820_table[bp->e820_entries++];

	e->addr = addr;
	e->size = size;
	e->type = type;
}

int vb_zero_page_e820(struct boot_params *bp, uint64_t mem_bytes)
{
	uint64_t low_end = mem_bytes < VB_MMIO_GAP_START ? mem_bytes : VB_MMIO_GAP_START;

	if (mem_bytes <= VB_HIGH_MEM_START)
		return -EINVAL;
	bp->e820_entries = 0;
	e820_add(bp, 0, VB_EBDA_START, VB_E820_RAM);
	e820_add(bp, VB_EBDA_START, VB_HIGH_MEM_START - VB_EBDA_START, VB_E820_RESERVED);
	e820_add(bp, VB_HIGH_MEM_START, low_end - VB_HIGH_MEM_START, VB_E820_RAM);
	if (mem_bytes > VB_MMIO_GAP_START)
		e820_add(bp, VB_MMIO_GAP_END, mem_bytes - VB_MMIO_GAP_START, VB_E820_RAM);
	return bp->e820_entries;
}

int vb_zero_page_build(struct boot_params *bp, const struct vb_bzimage *bz,
		       const struct vb_zero_page_config *cfg)
{
	int n;

	if (vb_zero_page_cmdline_check(bz, cfg->cmdline_len) < 0)
		return -E2BIG;
	memset(bp, 0, sizeof(*bp));
	bp->hdr = bz->hdr;
	bp->hdr.type_of_loader = VB_LOADER_TYPE_UNDEFINED;
	bp->hdr.cmd_line_ptr = (uint32_t)cfg->cmdline_addr;
	bp->ext_cmd_line_ptr = (uint32_t)(cfg->cmdline_addr >> 32);
	bp->hdr.ramdisk_image = (uint32_t)cfg->initrd_addr;
	bp->ext_ramdisk_image = (uint32_t)(cfg->initrd_addr >> 32);
	bp->hdr.ramdisk_size = (uint32_t)cfg->initrd_size;
	bp->ext_ramdisk_size = (uint32_t)(cfg->initrd_size >> 32);
	n = vb_zero_page_e820(bp, cfg->mem_bytes);
	return n < 0 ? n : 0;
}

int vb_zero_page_write(void *mem, size_t mem_size, const struct boot_params *bp,
		       const char *cmdline, size_t len, uint64_t cmdline_addr)
{
	uint8_t *m = mem;

	if (VB_ZERO_PAGE_START + sizeof(*bp) > mem_size || cmdline_addr > mem_size ||
	    len + 1 > mem_size - cmdline_addr)
		return -EFAULT;
	memcpy(m + VB_ZERO_PAGE_START, bp, sizeof(*bp));
	if (len)
		memcpy(m + cmdline_addr, cmdline, len);
	m[cmdline_addr + len] = '\0';
	return 0;
}
