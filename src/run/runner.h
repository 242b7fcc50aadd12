/* The runner: one pthread per vCPU (named vb-vm<i>-vcpu<j>), all released
 * together at the start of every iteration so setup contends as in a real
 * mass boot. vCPU 0's thread of each VM also does that VM's phases. Each
 * phase is timed around its own call and pushed to the sink as a record.
 *
 * The calling thread supervises: it must have SIGINT, SIGTERM and SIGUSR1
 * blocked (vb_runner_block_signals()) before any thread exists; it waits
 * for them with sigtimedwait, enforces --timeout by kicking vCPUs out of
 * KVM_RUN, and on the first SIGINT/SIGTERM stops the run: no new phase
 * starts, vCPUs in KVM_RUN are kicked, every VM is closed, and what was
 * measured stays in the sink. A second signal calls @on_second_signal
 * (which must not return) so a user is never stuck. */
#ifndef VB_RUNNER_H
#define VB_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"
#include "kvm.h"
#include "options.h"
#include "sink.h"

struct vb_run_outcome {
	bool complete;          /* every recorded iteration ran, nothing failed */
	bool interrupted;       /* stopped by a signal */
	int signal;             /* the signal, when interrupted */
	unsigned iterations_done; /* recorded iterations that finished */
	unsigned timed_out;     /* vCPUs whose wait for an exit timed out */
	uint64_t wall_ns;       /* first recorded iteration start -> last teardown end */
	uint64_t gap_p50_ns, gap_p99_ns, gap_max_ns; /* tool time between vCPU phases */
	char error[512];        /* first failure, "vm 3 vcpu 7: vcpu_sregs (KVM_SET_SREGS): ..." */
};

struct vb_kvm_stats_file;
struct vb_kernel;
struct vb_devices;
struct vb_dev_milestones;

/* --kernel: one VM's guest as it ended (on_vm_end). */
struct vb_vm_end {
	int iteration;                /* -1 in warmup */
	unsigned vm;
	const struct vb_devices *devices;
	const struct vb_dev_milestones *milestones;
	uint64_t io_exits, mmio_exits; /* exits served, all vCPUs */
};

struct vb_runner_params {
	const struct vb_run_config *cfg;
	struct vb_kvm *kvm;          /* open, caps read */
	const struct vb_guest *guest;
	const struct vb_guest *ap_guest; /* --smp sipi: the APs' guest, else NULL */
	struct vb_sink *sink;
	uint64_t kvm_open_start, kvm_open_end; /* the caller's open of /dev/kvm, recorded as kvm_open */
	void (*on_second_signal)(int sig);
	/* Called on the supervising thread about every 100 ms with the
	 * recorded iterations done so far, or NULL. */
	void (*on_progress)(unsigned done, unsigned total);
	struct vb_kvm_stats_file *kvm_stats; /* --kvm-stats: where rows go, or NULL */
	const struct vb_kernel *kernel; /* --kernel: the bzImage to boot, or NULL */
	/* --kernel: called on each VM's vCPU 0 thread (several at once) once
	 * its vCPUs have stopped, with its devices (console, absent accesses)
	 * and milestones; @iteration -1 in warmup. NULL: none. */
	void (*on_vm_end)(void *arg, const struct vb_vm_end *e);
	void *on_vm_end_arg;
};

/* Block the signals the runner supervises, in the calling thread (and so in
 * every thread it creates afterwards), and install the no-op SIGUSR1
 * handler used to kick vCPUs out of KVM_RUN. Call once, early. */
void vb_runner_block_signals(void);

/* Run the whole job. 0 when the run took place (see @out for whether it is
 * complete), or -errno when it could not start (threads, memory). */
int vb_runner_run(const struct vb_runner_params *p, struct vb_run_outcome *out);

#endif
