/* The state of one run, shared by the supervising thread (runner.c) and
 * the vCPU threads (cycle.c), and the one way both report a failure. The
 * lowest piece of the run layer: cycle.c and runner.c both build on it,
 * neither on the other's internals. Who writes what:
 *   - struct runner: set up by the supervisor before any thread starts;
 *     afterwards only the atomics, `go` (written by the gate's serial thread
 *     into the slot nobody reads until the next gate) and `error` (under error_lock) change.
 *   - struct vm_ctx: written by the VM's vCPU 0 thread before the VM's
 *     `ready` barrier, read by its other vCPU threads after it; the boot
 *     counters are atomics.
 *   - struct vcpu_ctx: owned by its thread; the supervisor reads
 *     in_run_since and writes timed_out, both atomics, and kicks kick_run
 *     under kick_lock: the thread publishes kick_run once its kvm_run page is
 *     mapped and withdraws it before unmapping, so a kick never lands on an
 *     unmapped page. */
#ifndef VB_RUN_STATE_H
#define VB_RUN_STATE_H

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices.h"
#include "kvm_stats.h"
#include "runner.h"
#include "sched_stats.h"
#include "stats.h"
#include "vcpu.h"
#include "vm.h"

struct vm_ctx {
	struct vb_vm vm;
	pthread_barrier_t ready, done; /* the VM's own vCPU threads */
	bool failed;                   /* written before `ready`, read after */
	uint64_t create_start;
	atomic_uint booted;            /* vCPUs past their first exit */
	/* --smp sipi: APs about to enter (or past) their first KVM_RUN, and
	 * when vCPU 0 re-entered KVM_RUN to send the SIPIs (0: not yet). */
	atomic_uint aps_arrived;
	_Atomic uint64_t sipi_start;
	_Atomic uint64_t last_exit;    /* latest first-exit end among them */
	struct vb_kvm_stats stats;     /* --kvm-stats, vCPU 0's thread */
	/* --kernel (kernel_run.c): the VM's devices, served by all its vCPU
	 * threads; guest_stop ends every vCPU's exit loop (the guest reset,
	 * or one vCPU failed); the first failure's words, set once. */
	struct vb_devices devices;
	bool has_devices;
	uint64_t guest_start;          /* vCPU 0's first KVM_RUN entry, 0: none */
	atomic_bool guest_stop;
	_Atomic uint64_t io_exits, mmio_exits;
	pthread_mutex_t guest_lock;    /* guards guest_error */
	char guest_error[256];
};

struct vcpu_ctx {
	struct runner *r;
	struct vm_ctx *vm;
	unsigned vm_index, vcpu_index;
	pthread_t thread;
	int tid;
	struct vb_vcpu vcpu;
	struct kvm_cpuid2 *cpuid;      /* own copy: APIC id patched in */
	struct vb_producer prod;
	int32_t iteration;             /* recorded index, -1 in warmup */
	uint64_t iter_start, last_end, gap;
	uint64_t first_exit_end;       /* this iteration's first KVM_RUN return */
	struct vb_u64vec gaps;         /* per recorded iteration */
	_Atomic uint64_t in_run_since; /* 0 when not inside KVM_RUN */
	atomic_bool timed_out;
	pthread_mutex_t kick_lock;     /* guards kick_run; never held while timing */
	struct kvm_run *kick_run;      /* vcpu.run while it is mapped, else NULL */
	struct vb_kvm_stats stats;     /* --kvm-stats */
	struct vb_sched_reader sched;  /* --sched-stats: fd >= 0 when on */
};

struct runner {
	const struct vb_runner_params *p;
	const struct vb_run_config *cfg;
	struct vm_ctx *vms;
	struct vcpu_ctx *vcpus;
	unsigned nthreads, total_iterations;
	pthread_barrier_t gate, hold;
	bool go[2];                    /* go[i % 2]: iteration i runs (gate()) */
	sem_t jobs;
	atomic_bool stop;
	atomic_uint threads_done, iterations_done, timed_out;
	pthread_t supervisor;          /* the thread in vb_runner_run() */
	_Atomic uint64_t wall_start, wall_end;
	pthread_mutex_t error_lock;    /* only taken on the failure path */
	char error[512];
};

/* Record the run's first failure (later ones are in phases.csv) and stop.
 * Any thread. */
void vb_runner_fail(struct runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record a failure of one VM's guest (--kernel: a panic, a triple fault,
 * no init in time) without stopping the run: the other VMs boot on, and
 * the run is still incomplete and fails. Any thread. */
void vb_runner_fail_guest(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline void vb_atomic_max(_Atomic uint64_t *a, uint64_t v)
{
	uint64_t cur = atomic_load(a);

	while (cur < v && !atomic_compare_exchange_weak(a, &cur, v))
		;
}

static inline void vb_atomic_min(_Atomic uint64_t *a, uint64_t v)
{
	uint64_t cur = atomic_load(a);

	while (cur > v && !atomic_compare_exchange_weak(a, &cur, v))
		;
}

#endif
