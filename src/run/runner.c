#include "runner.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "stats.h"
#include "vcpu.h"
#include "vm.h"
#include "cycle.h"
#include "record.h"
#include "run_state.h"
#include "x86_boot.h"

#define KICK_SIGNAL SIGUSR1
#define DONE_SIGNAL SIGUSR2 /* the last vCPU thread wakes the supervisor */
#define SUPERVISE_POLL_NS 10000000L /* 10 ms: timeout and stop granularity */
#define PROGRESS_NS 100000000ull    /* progress callback period */
#define THREAD_STACK (256u << 10)   /* 1024 threads x 8 MiB default is waste */

static void kick_handler(int sig)
{
	(void)sig; /* only there to make KVM_RUN return EINTR */
}

void vb_runner_block_signals(void)
{
	struct sigaction sa = { .sa_handler = kick_handler }; /* no SA_RESTART */
	sigset_t set;

	sigaction(KICK_SIGNAL, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, KICK_SIGNAL);
	sigaddset(&set, DONE_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* One wait per iteration (every wait of hundreds of threads costs): the
 * serial thread of gate @i counts iteration i-1 and decides whether
 * iteration i+1 will run, into the slot the others read only after gate
 * i+1; iteration i was decided at gate i-1. A stop landing in between lets
 * iteration i start, but its threads check `stop` before every phase and
 * do nothing, and it is not counted. There is no gate after the last
 * iteration (vcpu_thread() counts that one). */
static bool gate(struct runner *r, unsigned i)
{
	if (pthread_barrier_wait(&r->gate) == PTHREAD_BARRIER_SERIAL_THREAD) {
		bool stop = atomic_load(&r->stop);

		if (i > r->cfg->warmup && !stop)
			atomic_fetch_add(&r->iterations_done, 1);
		r->go[(i + 1) % 2] = i + 1 < r->total_iterations && !stop;
	}
	return r->go[i % 2];
}

/* Each thread's own CPUID table: the APIC id is the vCPU's, as a VMM would
 * set it; built before the gate so it is not part of vcpu_cpuid. */
static struct kvm_cpuid2 *cpuid_for(const struct kvm_cpuid2 *src, unsigned id)
{
	size_t size = sizeof(*src) + src->nent * sizeof(src->entries[0]);
	struct kvm_cpuid2 *c = malloc(size);

	if (!c)
		return NULL;
	memcpy(c, src, size);
	vb_x86_cpuid_set_apic_id(c, id);
	return c;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu_ctx *c = arg;
	struct runner *r = c->r;
	char name[16];
	unsigned it;
	bool last;

	snprintf(name, sizeof(name), "vb-vm%u-vcpu%u", c->vm_index, c->vcpu_index);
	pthread_setname_np(pthread_self(), name);
	c->tid = (int)syscall(SYS_gettid);
	c->sched.fd = -1;
	if (r->cfg->sched_stats && vb_sched_reader_open(&c->sched))
		vb_runner_fail(r, "vm %u vcpu %u: --sched-stats: cannot open "
			       "/proc/thread-self/schedstat: %s", c->vm_index, c->vcpu_index,
			       strerror(errno));
	/* A gate after the last iteration would only count it, making every
	 * thread sleep and wake once more; the last thread to end counts it. */
	for (it = 0; it < r->total_iterations && gate(r, it); it++) {
		c->iteration = it < r->cfg->warmup ? -1 : (int32_t)(it - r->cfg->warmup);
		c->iter_start = vb_clock_now();
		if (c->iteration == 0)
			vb_atomic_min(&r->wall_start, c->iter_start);
		vb_cycle_run(c);
	}
	vb_producer_release(&c->prod);
	vb_sched_reader_close(&c->sched);
	/* The supervisor would otherwise see the end only at its next poll:
	 * up to 10 ms added to every run, the whole run at 1x1. */
	last = atomic_fetch_add(&r->threads_done, 1) + 1 == r->nthreads;
	if (last && it == r->total_iterations && !atomic_load(&r->stop))
		atomic_fetch_add(&r->iterations_done, 1);
	if (last)
		pthread_kill(r->supervisor, DONE_SIGNAL);
	return NULL;
}

/* Kick every vCPU in KVM_RUN past --timeout, or all of them after a
 * signal. A failure elsewhere does not kick: running vCPUs finish their
 * KVM_RUN (bounded by --timeout), so their measurements are kept. Repeated
 * each poll, so a kick racing with KVM_RUN entry is never lost
 * (immediate_exit covers the window, the next poll covers the rest). */
static void supervise_vcpus(struct runner *r, bool interrupted)
{
	uint64_t now = vb_clock_now(), limit = (uint64_t)r->cfg->timeout_ms * 1000000u;

	for (unsigned i = 0; i < r->nthreads; i++) {
		struct vcpu_ctx *c = &r->vcpus[i];
		uint64_t since = atomic_load(&c->in_run_since);

		/* since > now: entered KVM_RUN after `now` was read, not late. */
		if (!since || (!interrupted && (since >= now || now - since < limit)))
			continue;
		pthread_mutex_lock(&c->kick_lock);
		if (c->kick_run) {
			if (!interrupted)
				atomic_store(&c->timed_out, true);
			vb_vcpu_kick(c->kick_run);
			pthread_kill(c->thread, KICK_SIGNAL);
		}
		pthread_mutex_unlock(&c->kick_lock);
	}
}

static void supervise(struct runner *r, struct vb_run_outcome *out)
{
	const struct timespec poll = { .tv_nsec = SUPERVISE_POLL_NS };
	uint64_t last_progress = vb_clock_now();
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, DONE_SIGNAL);
	while (atomic_load(&r->threads_done) < r->nthreads) {
		int sig = sigtimedwait(&set, NULL, &poll);

		if (sig == DONE_SIGNAL)
			continue;
		if (r->p->on_progress && vb_clock_now() - last_progress >= PROGRESS_NS) {
			last_progress = vb_clock_now();
			r->p->on_progress(atomic_load(&r->iterations_done), r->cfg->iterations);
		}
		if (sig > 0 && out->interrupted && r->p->on_second_signal)
			r->p->on_second_signal(sig);
		if (sig > 0 && !out->interrupted) {
			out->interrupted = true;
			out->signal = sig;
			atomic_store(&r->stop, true);
		}
		supervise_vcpus(r, out->interrupted);
	}
}

static void push_process_record(struct vb_producer *prod, enum vb_phase phase, uint64_t t0,
				uint64_t t1, int err)
{
	struct vb_record *rec = vb_producer_record(prod);

	if (!rec)
		return;
	rec->start_ns = t0;
	rec->duration_ns = t1 - t0;
	rec->iteration = rec->vm = rec->vcpu = -1;
	rec->tid = (int32_t)syscall(SYS_gettid);
	rec->cpu = sched_getcpu();
	rec->phase = (uint16_t)phase;
	rec->err = (uint16_t)-err;
	vb_producer_push(prod, rec);
}

/* kvm_open (timed by the caller), KVM_GET_SUPPORTED_CPUID and
 * KVM_GET_VCPU_MMAP_SIZE: process-wide, once, recorded with no iteration,
 * VM or vCPU. */
static int process_phases(struct runner *r)
{
	static const struct {
		enum vb_phase phase;
		int (*fn)(struct vb_kvm *);
	} steps[] = {
		{ VB_PHASE_KVM_SUPPORTED_CPUID, vb_kvm_get_supported_cpuid },
		{ VB_PHASE_KVM_VCPU_MMAP_SIZE, vb_kvm_get_vcpu_mmap_size },
	};
	struct vb_producer prod;
	int err = 0;

	vb_producer_init(&prod, r->p->sink);
	push_process_record(&prod, VB_PHASE_KVM_OPEN, r->p->kvm_open_start, r->p->kvm_open_end, 0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && !err; i++) {
		uint64_t t0 = vb_clock_now();

		err = steps[i].fn(r->p->kvm);
		push_process_record(&prod, steps[i].phase, t0, vb_clock_now(), err);
		if (err)
			vb_runner_fail(r, "%s: %s", vb_phase_call[steps[i].phase], strerror(-err));
	}
	vb_producer_release(&prod);
	return err;
}

static int runner_init(struct runner *r, const struct vb_runner_params *p)
{
	const struct vb_run_config *cfg = p->cfg;

	*r = (struct runner){ .p = p, .cfg = cfg, .supervisor = pthread_self(),
			      .nthreads = cfg->vms * cfg->vcpus,
			      .total_iterations = cfg->warmup + cfg->iterations,
			      .go = { true, false } };
	atomic_init(&r->wall_start, UINT64_MAX);
	r->vms = calloc(cfg->vms, sizeof(*r->vms));
	r->vcpus = calloc(r->nthreads, sizeof(*r->vcpus));
	if (!r->vms || !r->vcpus)
		return -ENOMEM;
	pthread_mutex_init(&r->error_lock, NULL);
	pthread_barrier_init(&r->gate, NULL, r->nthreads);
	pthread_barrier_init(&r->hold, NULL, r->nthreads);
	sem_init(&r->jobs, 0, cfg->jobs ? cfg->jobs : 1);
	for (unsigned i = 0; i < cfg->vms; i++) {
		vb_vm_init(&r->vms[i].vm, p->kvm->fd, 0, p->guest);
		pthread_barrier_init(&r->vms[i].ready, NULL, cfg->vcpus);
		pthread_barrier_init(&r->vms[i].done, NULL, cfg->vcpus);
		pthread_mutex_init(&r->vms[i].guest_lock, NULL);
	}
	for (unsigned t = 0; t < r->nthreads; t++) {
		struct vcpu_ctx *c = &r->vcpus[t];

		c->r = r;
		c->vm_index = t / cfg->vcpus;
		c->vcpu_index = t % cfg->vcpus;
		c->vm = &r->vms[c->vm_index];
		vb_vcpu_init(&c->vcpu, (int)c->vcpu_index, 0, NULL, 0);
		vb_producer_init(&c->prod, p->sink);
		pthread_mutex_init(&c->kick_lock, NULL);
	}
	return 0;
}

static void runner_release(struct runner *r)
{
	if (r->vms) {
		for (unsigned i = 0; i < r->cfg->vms; i++) {
			pthread_barrier_destroy(&r->vms[i].ready);
			pthread_barrier_destroy(&r->vms[i].done);
			pthread_mutex_destroy(&r->vms[i].guest_lock);
		}
		pthread_barrier_destroy(&r->gate);
		pthread_barrier_destroy(&r->hold);
		sem_destroy(&r->jobs);
		pthread_mutex_destroy(&r->error_lock);
	}
	if (r->vcpus)
		for (unsigned t = 0; t < r->nthreads; t++) {
			vb_u64vec_release(&r->vcpus[t].gaps);
			vb_producer_release(&r->vcpus[t].prod);
			free(r->vcpus[t].cpuid);
			pthread_mutex_destroy(&r->vcpus[t].kick_lock);
		}
	free(r->vms);
	free(r->vcpus);
}

/* What a vCPU thread needs from the heap before its first record, taken
 * here on the main thread: its CPUID table, its first slab of records and
 * room for its first gaps. A thread's first malloc() has glibc create or
 * share an arena; 512 threads doing that at once waited on the arenas'
 * locks (strace: ~1,000 futex waits on them at 1x512) and grew each arena
 * by mprotect, all between their gates. 0 or ENOMEM. */
static int prepare_thread(struct runner *r, struct vcpu_ctx *c)
{
	size_t gaps = r->cfg->iterations < 64 ? r->cfg->iterations : 64;

	c->cpuid = cpuid_for(r->p->kvm->cpuid, c->vcpu_index);
	if (!c->cpuid || vb_producer_prepare(&c->prod) || vb_u64vec_reserve(&c->gaps, gaps))
		return ENOMEM;
	return 0;
}

/* Start every vCPU thread. If one cannot start, the run cannot: the
 * barriers count all threads. The ones started are told to stop and pass
 * a gate that will never fill, so they are cancelled instead. */
static int start_threads(struct runner *r)
{
	pthread_attr_t attr;
	sigset_t mask;
	int err = 0;
	unsigned t;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	/* The runner's mask with the kick let through, set by glibc as the
	 * thread starts (it sets one anyway) instead of by one more call. */
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	sigdelset(&mask, KICK_SIGNAL);
	pthread_attr_setsigmask_np(&attr, &mask);
	for (t = 0; t < r->nthreads && !err; t++) {
		struct vcpu_ctx *c = &r->vcpus[t];
		cpu_set_t set;

		if (r->cfg->npin) {
			CPU_ZERO(&set);
			CPU_SET(r->cfg->pin[t % r->cfg->npin], &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		err = prepare_thread(r, c);
		if (!err)
			err = pthread_create(&c->thread, &attr, vcpu_thread, c);
	}
	pthread_attr_destroy(&attr);
	if (!err)
		return 0;
	vb_runner_fail(r, "cannot start vCPU thread %u of %u: %s", t, r->nthreads, strerror(err));
	for (unsigned i = 0; i + 1 < t; i++) {
		pthread_cancel(r->vcpus[i].thread);
		pthread_join(r->vcpus[i].thread, NULL);
	}
	return -err;
}

static void collect(struct runner *r, struct vb_run_outcome *out)
{
	struct vb_u64vec all = { 0 };
	struct vb_summary s;
	uint64_t start = atomic_load(&r->wall_start), end = atomic_load(&r->wall_end);

	for (unsigned t = 0; t < r->nthreads; t++)
		for (size_t i = 0; i < r->vcpus[t].gaps.n; i++)
			vb_u64vec_push(&all, r->vcpus[t].gaps.v[i]);
	vb_stats_summarize(all.v, all.n, &s);
	vb_u64vec_release(&all);
	out->gap_p50_ns = s.p50;
	out->gap_p99_ns = s.p99;
	out->gap_max_ns = s.max;
	out->iterations_done = atomic_load(&r->iterations_done);
	out->timed_out = atomic_load(&r->timed_out);
	out->wall_ns = end > start ? end - start : 0;
	snprintf(out->error, sizeof(out->error), "%s", r->error);
	out->complete = !r->error[0] && !out->interrupted &&
			out->iterations_done == r->cfg->iterations;
}

int vb_runner_run(const struct vb_runner_params *p, struct vb_run_outcome *out)
{
	struct runner r;
	bool started = false;
	int err;

	*out = (struct vb_run_outcome){ 0 };
	err = runner_init(&r, p);
	if (!err && process_phases(&r) == 0) {
		err = start_threads(&r);
		started = !err;
	}
	/* Once the threads run, wait for every one of them, even when one
	 * has already failed: a vCPU thread that fails at once (vm_memory
	 * under RLIMIT_AS) is still tearing its VM down, and the state it
	 * uses is released below. */
	if (started) {
		supervise(&r, out);
		for (unsigned t = 0; t < r.nthreads; t++)
			pthread_join(r.vcpus[t].thread, NULL);
	}
	collect(&r, out);
	runner_release(&r);
	return err;
}
