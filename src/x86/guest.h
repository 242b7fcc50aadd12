/* The guests: tiny flat binaries (guests/<name>.S, assembled at build time and
 * embedded in the executable) or a user's flat binary loaded from a file.
 * Every guest is entered at VB_GUEST_ENTRY in 64-bit mode with the boot
 * state of x86_boot.h, and keeps producing exits when KVM_RUN is called
 * again after an exit (so --exits works with every built-in guest). */
#ifndef VB_GUEST_H
#define VB_GUEST_H

#include <stddef.h>
#include <stdint.h>

/* The I/O port built-in guests write to, and the port selfcheck reports on. */
#define VB_GUEST_PORT      0xe9
#define VB_SELFCHECK_PORT  0xea
/* Guest-physical address the mmio guest writes to: inside the identity map,
 * above any guest memory (--mem is at most VB_GUEST_MEM_MAX_MIB). */
#define VB_GUEST_MMIO_ADDR 0x3ffff000ull
#define VB_GUEST_MEM_MAX_MIB 1023u
/* Expected first exit of a guest that promises none (user files). */
#define VB_GUEST_ANY_EXIT  UINT32_MAX

struct vb_guest {
	const char *name;        /* "pio", or the file's path */
	const char *summary;     /* one line for `vcpubench guests` */
	const uint8_t *code;     /* loaded at VB_GUEST_ENTRY */
	size_t size;
	uint32_t first_exit;     /* KVM_EXIT_* of the first exit, or VB_GUEST_ANY_EXIT */
	void *owned;             /* file contents, freed by vb_guest_release() */
};

/* The Linux guest's initramfs (guests/init.c as /init, built and embedded
 * by guests/CMakeLists.txt): --kernel's default --initrd. */
const struct vb_guest *vb_guest_initramfs(void);

/* Number of built-in guests, and the @i-th one (NULL past the end). */
size_t vb_guest_builtin_count(void);
const struct vb_guest *vb_guest_builtin(size_t i);

/* The built-in guest called @name, or NULL. */
const struct vb_guest *vb_guest_find(const char *name);

/* Load the flat binary at @path into @g. Returns 0, or a negative errno:
 * -ENOENT/-EACCES/... from open, -EISDIR for a directory, -ENODATA for an
 * empty file, -EFBIG when it is larger than @max_size. @g is untouched on
 * error; on success free it with vb_guest_release(). */
int vb_guest_load_file(struct vb_guest *g, const char *path, size_t max_size);

void vb_guest_release(struct vb_guest *g);

#endif
