/* What a result depends on besides vcpubench itself: kernel, CPU,
 * microcode, KVM capabilities and module parameters, THP, clocksource,
 * CPU vulnerability mitigations, the cost of a clock read. Collected as a
 * JSON object (jansson) for meta.json and `vcpubench info`; every value is
 * read from /proc, /sys or an ioctl, never assumed. */
#ifndef VB_HOST_INFO_H
#define VB_HOST_INFO_H

#include <jansson.h>
#include <stdbool.h>

#include "kvm.h"

/* A new object describing this host; @kvm may be NULL (no KVM section).
 * NULL only when out of memory. The caller owns the reference. */
json_t *vb_host_info_collect(const struct vb_kvm *kvm);

/* host.vm: where this host is itself tools/vm's VM, what tools/vm put on
 * its kernel command line as vcpubench.<key>=<value> (accel: kvm or tcg,
 * kernel: the package or image booted, l0_host and l0_kernel: the machine
 * QEMU ran on) as {key: value}. NULL for a command line without them
 * (json null in meta.json: the tool ran on the host itself). */
json_t *vb_host_info_vm(const char *cmdline);

/* Which vendor module serves /dev/kvm (NULL: none loaded as a module),
 * and into @stock whether it runs a stock guest kernel: kvm_pvm runs only
 * PVM-aware guests (a stock kernel's privileged instructions end in a KVM
 * internal error or a hang), kvm_intel and kvm_amd run any. */
const char *vb_host_kvm_backend(bool *stock);

#endif
