/* A guest kernel's symbol map (System.map), to name where a guest that
 * never reached its init was stuck: "queued_spin_lock_slowpath+0x7f"
 * instead of a bare rip. Read only on that path, once. */
#ifndef VB_KSYMS_H
#define VB_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/* The map beside the bzImage @kernel: for ".../vmlinuz-V" (Debian's
 * /boot) ".../System.map-V", else "System.map" in its directory
 * (tools/linux-guest's cache, a kernel build tree's arch/x86/boot/ has
 * none). Into @map; -ENOENT when there is none, -ENAMETOOLONG. */
int vb_ksyms_find(const char *kernel, char *map, size_t len);

/* "name+0xoff" of the text symbol (t, T, w, W) at or below @addr in the
 * map @path, into @buf. -ENOENT when no text symbol lies at or below
 * @addr or @addr is past _etext, -EINVAL on a malformed line, -errno when
 * the file cannot be read. */
int vb_ksyms_lookup(const char *path, uint64_t addr, char *buf, size_t len);

#endif
