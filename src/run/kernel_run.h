/* --kernel on the vCPU threads: the VM phases that load a Linux bzImage
 * (kernel_load, boot_params, mptable) on vCPU 0's thread, every vCPU's
 * exit loop serving the VM's devices (dev/) until the guest resets, fails
 * or --timeout ends its boot, and the guest's milestones derived once
 * every vCPU of the VM has stopped. */
#ifndef VB_KERNEL_RUN_H
#define VB_KERNEL_RUN_H

#include "run_state.h"

/* vCPU 0, after guest_load: the devices, then the three timed phases.
 * 0 or -1 (recorded and reported). */
int vb_kernel_vm_phases(struct vcpu_ctx *c);

/* Every vCPU, after its first exit (in c->vcpu.run): serve it and every
 * later exit until the VM stops. */
void vb_kernel_exit_loop(struct vcpu_ctx *c);

/* Any vCPU of the VM: its boot failed (@what, e.g. "no init within
 * --timeout"); kept for vb_kernel_vm_end()'s line, and the VM stops. */
void vb_kernel_guest_failed(struct vcpu_ctx *c, const char *what);
/* This vCPU's --timeout passed: counted, and its failure names where the
 * guest was (its rip), the clue to what it waits for. */
void vb_kernel_guest_timed_out(struct vcpu_ctx *c);

/* vCPU 0, once every vCPU of the VM has left its loop: the milestones as
 * records, the failure line of a guest that did not reach its init, and
 * the devices released. */
void vb_kernel_vm_end(struct vcpu_ctx *c);

#endif
