/* Built-in guests (embedded by guests/CMakeLists.txt) and guest files. */
#include "guest.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMAGE(cname)                                            \
	extern const uint8_t vb_guest_image_##cname[];          \
	extern const uint8_t vb_guest_image_##cname##_end[]
IMAGE(pio);
IMAGE(hlt);
IMAGE(mmio);
IMAGE(cpuid);
IMAGE(exit_loop);
IMAGE(selfcheck);
IMAGE(sipi);
IMAGE(sipi_ap);
IMAGE(initramfs);

#define BUILTIN(name_, cname, exit_, summary_)                                      \
	{ .name = name_, .summary = summary_, .code = vb_guest_image_##cname,       \
	  .first_exit = exit_ }

static struct vb_guest builtin[] = {
	BUILTIN("pio", pio, KVM_EXIT_IO, "out to port 0xe9, then hlt (the default with --irqchip none)"),
	BUILTIN("hlt", hlt, KVM_EXIT_HLT, "hlt as the first instruction"),
	BUILTIN("mmio", mmio, KVM_EXIT_MMIO, "a store to unbacked address 0x3ffff000"),
	BUILTIN("cpuid", cpuid, KVM_EXIT_IO, "cpuid (handled in the kernel), then out to 0xe9"),
	BUILTIN("exit-loop", exit_loop, KVM_EXIT_IO, "one out to 0xe9 per KVM_RUN (the default)"),
	BUILTIN("selfcheck", selfcheck, KVM_EXIT_IO, "reports its boot state on port 0xea (--verify)"),
	BUILTIN("sipi", sipi, KVM_EXIT_IO, "--smp sipi, vCPU 0: out, INIT+SIPI to each AP (x2APIC), out"),
	BUILTIN("sipi-ap", sipi_ap, KVM_EXIT_IO, "--smp sipi, the APs at 0x8000, real mode: out of the APIC id"),
};

static const uint8_t *const builtin_end[] = {
	vb_guest_image_pio_end,   vb_guest_image_hlt_end,       vb_guest_image_mmio_end,
	vb_guest_image_cpuid_end, vb_guest_image_exit_loop_end, vb_guest_image_selfcheck_end,
	vb_guest_image_sipi_end,  vb_guest_image_sipi_ap_end,
};
_Static_assert(sizeof(builtin) / sizeof(builtin[0]) == sizeof(builtin_end) / sizeof(builtin_end[0]),
	       "one end symbol per built-in guest");

size_t vb_guest_builtin_count(void)
{
	return sizeof(builtin) / sizeof(builtin[0]);
}

const struct vb_guest *vb_guest_builtin(size_t i)
{
	if (i >= vb_guest_builtin_count())
		return NULL;
	/* Sizes come from link-time symbols, so they are filled on use. */
	builtin[i].size = (size_t)(builtin_end[i] - builtin[i].code);
	return &builtin[i];
}

const struct vb_guest *vb_guest_initramfs(void)
{
	static struct vb_guest initramfs = {
		.name = "built-in", .summary = "the init of guests/init.c as /init",
		.code = vb_guest_image_initramfs, .first_exit = VB_GUEST_ANY_EXIT,
	};

	initramfs.size = (size_t)(vb_guest_image_initramfs_end - vb_guest_image_initramfs);
	return &initramfs;
}

const struct vb_guest *vb_guest_find(const char *name)
{
	for (size_t i = 0; i < vb_guest_builtin_count(); i++)
		if (strcmp(builtin[i].name, name) == 0)
			return vb_guest_builtin(i);
	return NULL;
}

static int read_all(int fd, uint8_t *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = read(fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the file shrank under us */
		done += (size_t)n;
	}
	return 0;
}

int vb_guest_load_file(struct vb_guest *g, const char *path, size_t max_size)
{
	struct stat st;
	uint8_t *buf;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = fstat(fd, &st) ? -errno : 0;
	if (!r && S_ISDIR(st.st_mode))
		r = -EISDIR;
	else if (!r && !S_ISREG(st.st_mode))
		r = -EINVAL;
	else if (!r && st.st_size == 0)
		r = -ENODATA;
	else if (!r && (uint64_t)st.st_size > max_size)
		r = -EFBIG;
	if (r)
		goto err_fd;
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		r = -ENOMEM;
		goto err_fd;
	}
	r = read_all(fd, buf, (size_t)st.st_size);
	if (r)
		goto err_buf;
	close(fd);
	*g = (struct vb_guest){
		.name = path,
		.summary = "flat binary file",
		.code = buf,
		.size = (size_t)st.st_size,
		.first_exit = VB_GUEST_ANY_EXIT,
		.owned = buf,
	};
	return 0;
err_buf:
	free(buf);
err_fd:
	close(fd);
	return r;
}

void vb_guest_release(struct vb_guest *g)
{
	free(g->owned);
	g->owned = NULL;
}
