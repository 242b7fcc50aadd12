#include "kernel.h"

#include <errno.h>
#include <string.h>

#include "zero_page.h"

static int load_checked(struct vb_kernel *k, uint64_t mem_bytes, enum vb_kernel_error *what)
{
	int r;

	r = vb_bzimage_parse(k->image.code, k->image.size, mem_bytes, k->initrd.size, &k->bz,
			     &k->fault);
	if (r) {
		*what = k->fault == VB_BZIMAGE_MEM ? VB_KERNEL_ERR_MEM : VB_KERNEL_ERR_BZIMAGE;
		return r;
	}
	if (vb_zero_page_cmdline_check(&k->bz, k->cmdline_len)) {
		*what = VB_KERNEL_ERR_CMDLINE;
		return -E2BIG;
	}
	r = vb_zero_page_initrd_place(&k->bz, mem_bytes, k->initrd.size, &k->initrd_addr);
	if (r)
		*what = VB_KERNEL_ERR_MEM;
	return r;
}

int vb_kernel_load(struct vb_kernel *k, const char *path, const char *initrd_path,
		   const struct vb_guest *initrd, const char *cmdline, uint64_t mem_bytes,
		   enum vb_kernel_error *what)
{
	int r;

	*k = (struct vb_kernel){ .path = path, .cmdline = cmdline, .cmdline_len = strlen(cmdline) };
	*what = VB_KERNEL_ERR_KERNEL_FILE;
	r = vb_guest_load_file(&k->image, path, (size_t)mem_bytes);
	if (!r && initrd_path) {
		*what = VB_KERNEL_ERR_INITRD_FILE;
		r = vb_guest_load_file(&k->initrd, initrd_path, (size_t)mem_bytes);
	} else if (!r && initrd) {
		k->initrd = *initrd;
		k->initrd.owned = NULL; /* not ours to free */
	}
	if (r == -EFBIG)
		*what = VB_KERNEL_ERR_MEM;
	if (!r)
		r = load_checked(k, mem_bytes, what);
	if (r)
		vb_kernel_release(k);
	else
		*what = VB_KERNEL_ERR_NONE;
	return r;
}

void vb_kernel_release(struct vb_kernel *k)
{
	vb_guest_release(&k->image);
	vb_guest_release(&k->initrd);
}

int vb_kernel_copy(const struct vb_kernel *k, void *mem, size_t mem_size)
{
	uint8_t *m = mem;

	if (k->bz.load_addr + k->bz.kernel_size > mem_size ||
	    k->initrd_addr + k->initrd.size > mem_size)
		return -EFAULT;
	memcpy(m + k->bz.load_addr, k->image.code + k->bz.kernel_offset, k->bz.kernel_size);
	if (k->initrd.size)
		memcpy(m + k->initrd_addr, k->initrd.code, k->initrd.size);
	return 0;
}

int vb_kernel_boot_params(const struct vb_kernel *k, void *mem, size_t mem_size)
{
	struct vb_zero_page_config cfg = {
		.mem_bytes = mem_size, .cmdline_addr = VB_CMDLINE_START,
		.cmdline_len = k->cmdline_len, .initrd_addr = k->initrd_addr,
		.initrd_size = k->initrd.size,
	};
	struct boot_params bp;
	int r = vb_zero_page_build(&bp, &k->bz, &cfg);

	if (!r)
		r = vb_zero_page_write(mem, mem_size, &bp, k->cmdline, k->cmdline_len,
				       VB_CMDLINE_START);
	return r;
}
