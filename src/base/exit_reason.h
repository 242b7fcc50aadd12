/* Names of KVM_EXIT_* reasons, for exits.csv, messages and the guest
 * list: vocabulary every layer shares, so it sits with the phase names
 * rather than with the vCPU code that causes the exits. */
#ifndef VB_EXIT_REASON_H
#define VB_EXIT_REASON_H

#include <stdint.h>

/* Lower-case name of a KVM_EXIT_* reason ("io", "hlt", "mmio", ...); NULL
 * when unknown (callers print the number). */
const char *vb_exit_reason_name(uint32_t reason);

#endif
