/* One create -> run -> teardown cycle of one vCPU thread: every phase
 * timed around its own call and pushed as a record. vCPU 0's thread also
 * does its VM's phases. Every thread passes the same barriers whatever
 * fails, so a failure or a stop can never deadlock the run. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "clock.h"
#include "exit_reason.h"
#include "cycle.h"
#include "kernel.h"
#include "kernel_run.h"
#include "record.h"
#include "selfcheck.h"
#include "x86_boot.h"

static int vm_step(struct vcpu_ctx *c, enum vb_phase phase, int (*fn)(struct vb_vm *))
{
	struct vb_window w;
	int err;

	vb_window_open(c, &w);
	err = fn(&c->vm->vm);
	vb_window_close(c, &w);
	return vb_record_emit(c, phase, &w, err, 0, 0);
}

/* The GDT, IDT and page-table writes inside guest_load: plain memory
 * writes, timed without counters so guest_load's window holds no reads. */
static int vm_write(struct vcpu_ctx *c, enum vb_phase phase, int (*fn)(struct vb_vm *))
{
	uint64_t t0 = vb_clock_now();
	int err = fn(&c->vm->vm);
	struct vb_window w = vb_window_span(t0, vb_clock_now());

	return vb_record_emit(c, phase, &w, err, 0, 0);
}

static void jobs_wait(struct runner *r)
{
	while (r->cfg->jobs && sem_wait(&r->jobs) < 0 && errno == EINTR)
		;
}

/* --irqchip kernel: what VMMs set up once the VM has its memory (in
 * Firecracker's order). The VMX-only steps are not measured elsewhere
 * (meta.json says so): on SVM they are no-ops. --pit none leaves out the
 * PIT, as VMMs without a legacy timer do (its destruction costs SRCU
 * grace periods at teardown). */
static int irqchip_phases(struct vcpu_ctx *c)
{
	if (c->r->p->kvm->vmx && (vm_step(c, VB_PHASE_VM_TSS_ADDR, vb_vm_set_tss_addr) ||
				  vm_step(c, VB_PHASE_VM_IDENTITY_MAP, vb_vm_set_identity_map)))
		return -1;
	if (vm_step(c, VB_PHASE_VM_IRQCHIP, vb_vm_create_irqchip))
		return -1;
	if (!c->r->cfg->pit_kernel)
		return 0;
	return vm_step(c, VB_PHASE_VM_PIT, vb_vm_create_pit) ? -1 : 0;
}

/* The VM phases, on vCPU 0's thread. guest_load contains its three writes. */
static int vm_phases(struct vcpu_ctx *c)
{
	struct vb_vm *vm = &c->vm->vm;
	struct vb_window w;
	int err;

	vb_vm_init(vm, c->r->p->kvm->fd, (size_t)c->r->cfg->mem_mib << 20, c->r->p->guest);
	vm->ap_guest = c->r->p->ap_guest;
	vm->lapic = c->r->cfg->irqchip_kernel;
	vm->vcpus = c->r->cfg->vcpus;
	c->vm->create_start = vb_clock_now();
	if (vm_step(c, VB_PHASE_VM_CREATE, vb_vm_create))
		return -1;
	if (vm_step(c, VB_PHASE_VM_MEMORY, vb_vm_setup_memory))
		return -1;
	if (c->r->cfg->irqchip_kernel && irqchip_phases(c))
		return -1;
	vb_window_open(c, &w);
	err = vb_vm_load_code(vm);
	if (!err)
		err = vm_write(c, VB_PHASE_GDT_WRITE, vb_vm_write_gdt);
	if (!err)
		err = vm_write(c, VB_PHASE_IDT_WRITE, vb_vm_write_idt);
	if (!err)
		err = vm_write(c, VB_PHASE_PAGETABLE_WRITE, vb_vm_write_pagetables);
	vb_window_close(c, &w);
	if (vb_record_emit(c, VB_PHASE_GUEST_LOAD, &w, err, 0, 0))
		return -1;
	/* --kernel keeps guest_load's page tables, GDT and IDT (the long-mode
	 * state the 64-bit entry expects) and loads the kernel over its code. */
	return c->r->p->kernel ? vb_kernel_vm_phases(c) : 0;
}

/* --kvm-stats: open the stats of @obj_fd and read them before its first
 * run; outside every timed phase. */
static void stats_begin(struct vcpu_ctx *c, struct vb_kvm_stats *st, int obj_fd)
{
	int err;

	st->fd = -1;
	if (!c->r->p->kvm_stats || obj_fd < 0)
		return;
	err = vb_kvm_stats_open(st, obj_fd);
	if (!err)
		err = vb_kvm_stats_read(st, 0);
	if (err) {
		vb_runner_fail(c->r, "vm %u vcpu %u: --kvm-stats: KVM_GET_STATS_FD: %s%s", c->vm_index,
			       c->vcpu_index, strerror(-err),
			       err == -EACCES || err == -EPERM
			       ? " (refused by this host's security policy, e.g. SELinux or seccomp: "
				 "run as root or without --kvm-stats)" : "");
		vb_kvm_stats_release(st);
	}
}

/* Read them again as teardown starts and write the rows (@vcpu -1: VM). */
static void stats_end(struct vcpu_ctx *c, struct vb_kvm_stats *st, int vcpu)
{
	int err;

	if (st->fd < 0)
		return;
	err = vb_kvm_stats_read(st, 1);
	if (!err && c->iteration >= 0)
		err = vb_kvm_stats_file_write(c->r->p->kvm_stats, c->iteration, (int)c->vm_index,
					      vcpu, st);
	if (err)
		vb_runner_fail(c->r, "vm %u: kvm_stats.csv: %s", c->vm_index, strerror(-err));
	vb_kvm_stats_release(st);
}

static int vcpu_step(struct vcpu_ctx *c, enum vb_phase phase, int (*fn)(struct vb_vcpu *))
{
	struct vb_window w;
	int err;

	vb_window_open(c, &w);
	err = fn(&c->vcpu);
	vb_window_close(c, &w);
	c->gap += w.t0 - c->last_end;
	c->last_end = w.t1;
	return vb_record_emit(c, phase, &w, err, 0, 0);
}

/* When a setup step runs: always, with --irqchip kernel, or with it in
 * direct boot only (under --smp sipi the APs wait for INIT-SIPI). */
enum when { ALWAYS, IRQCHIP, IRQCHIP_DIRECT };

static const struct {
	enum vb_phase phase;
	int (*fn)(struct vb_vcpu *);
	enum when when;
} setup_steps[] = {
	{ VB_PHASE_VCPU_MMAP, vb_vcpu_map_run, ALWAYS },
	{ VB_PHASE_VCPU_CPUID, vb_vcpu_setup_cpuid, ALWAYS },
	{ VB_PHASE_VCPU_FPU, vb_vcpu_setup_fpu, ALWAYS },
	{ VB_PHASE_VCPU_MSRS, vb_vcpu_setup_msrs, ALWAYS },
	{ VB_PHASE_VCPU_REGS, vb_vcpu_setup_regs, ALWAYS },
	{ VB_PHASE_VCPU_SREGS, vb_vcpu_setup_sregs, ALWAYS },
	{ VB_PHASE_VCPU_LAPIC, vb_vcpu_setup_lapic, IRQCHIP },
	{ VB_PHASE_VCPU_MP_STATE, vb_vcpu_set_runnable, IRQCHIP_DIRECT },
};

/* --kernel leaves the APs waiting for INIT-SIPI too: the guest kernel
 * wakes them itself (vCPU 0 is runnable as the BSP). */
static bool step_applies(const struct vb_run_config *cfg, enum when when)
{
	return when == ALWAYS ||
	       (cfg->irqchip_kernel && (when == IRQCHIP || (!cfg->smp_sipi && !cfg->kernel)));
}

/* Publish (@run) or withdraw (NULL) the kvm_run page the supervisor may
 * kick (run_state.h); outside every timed section. */
static void set_kickable(struct vcpu_ctx *c, struct kvm_run *run)
{
	pthread_mutex_lock(&c->kick_lock);
	c->kick_run = run;
	pthread_mutex_unlock(&c->kick_lock);
}

/* vcpu_create ... vcpu_sregs, under the --jobs semaphore. */
static int vcpu_setup(struct vcpu_ctx *c)
{
	struct runner *r = c->r;
	struct vb_window w, total;
	int err;

	jobs_wait(r);
	vb_window_open(c, &w);
	err = vb_vcpu_create(&c->vcpu, c->vm->vm.fd);
	vb_window_close(c, &w);
	c->last_end = w.t1;
	c->gap = 0;
	err = vb_record_emit(c, VB_PHASE_VCPU_CREATE, &w, err, 0, 0);
	for (size_t i = 0; !err && i < sizeof(setup_steps) / sizeof(setup_steps[0]); i++) {
		if (!step_applies(r->cfg, setup_steps[i].when))
			continue;
		if (atomic_load_explicit(&r->stop, memory_order_relaxed))
			err = EINTR;
		else
			err = vcpu_step(c, setup_steps[i].phase, setup_steps[i].fn);
	}
	if (r->cfg->jobs)
		sem_post(&r->jobs);
	total = vb_window_span(w.t0, c->last_end);
	if (!err)
		vb_record_emit(c, VB_PHASE_VCPU_SETUP_TOTAL, &total, 0, 0, 0);
	if (c->vcpu.run)
		set_kickable(c, c->vcpu.run);
	return err;
}


/* One KVM_RUN, timed. Returns 0 or a positive errno (ETIMEDOUT when the
 * supervisor kicked us for --timeout). */
static int run_once(struct vcpu_ctx *c, struct vb_window *w)
{
	int err;

	/* --kernel: --timeout bounds the whole boot, from the VM's start. */
	atomic_store(&c->in_run_since, c->r->p->kernel ? c->vm->create_start : vb_clock_now());
	vb_window_open(c, w);
	/* An AP waiting for INIT-SIPI (--smp sipi) blocks in KVM_RUN until an
	 * event arrives, then returns EAGAIN without running: VMMs call it
	 * again, and so does this, inside the same window. */
	do
		err = vb_vcpu_run(&c->vcpu);
	while (err == -EAGAIN);
	vb_window_close(c, w);
	atomic_store(&c->in_run_since, 0);
	if (err == -EINTR && atomic_load(&c->timed_out))
		return ETIMEDOUT;
	return -err;
}

static const char *exit_name(uint32_t reason, char *buf, size_t len)
{
	const char *n = vb_exit_reason_name(reason);

	if (!n) {
		snprintf(buf, len, "%u", reason);
		n = buf;
	}
	return n;
}

static int check_first_exit(struct vcpu_ctx *c, uint32_t reason)
{
	const struct vb_guest *g = c->r->p->guest;
	char a[16], b[16];

	if (g->first_exit == VB_GUEST_ANY_EXIT || reason == g->first_exit)
		return 0;
	vb_runner_fail(c->r, "vm %u vcpu %u: first exit is '%s', guest '%s' exits with '%s'",
		    c->vm_index, c->vcpu_index, exit_name(reason, a, sizeof(a)), g->name,
		    exit_name(g->first_exit, b, sizeof(b)));
	return EPROTO;
}

static void fail_run(struct vcpu_ctx *c, enum vb_phase phase, int err)
{
	if (err == ETIMEDOUT && c->r->p->kernel) {
		vb_kernel_guest_timed_out(c);
	} else if (err == ETIMEDOUT) {
		atomic_fetch_add(&c->r->timed_out, 1);
		vb_runner_fail(c->r, "vm %u vcpu %u: %s: no exit within --timeout %.3g s%s",
			       c->vm_index, c->vcpu_index, vb_phase_name[phase],
			       c->r->cfg->timeout_ms / 1000.0,
			       c->r->cfg->irqchip_kernel ? " (a halted vCPU waits in the kernel under "
							   "--irqchip kernel; --irqchip none returns hlt)"
							 : "");
	} else if (err != EINTR ||
		   !(atomic_load(&c->r->stop) || atomic_load(&c->vm->guest_stop))) {
		vb_phase_fail(c, phase, err);
	}
}

/* Count this vCPU booted; the VM's last one derives vm_boot. */
static void vm_booted(struct vcpu_ctx *c, uint64_t exit_end)
{
	struct vm_ctx *vm = c->vm;

	vb_atomic_max(&vm->last_exit, exit_end);
	if (atomic_fetch_add(&vm->booted, 1) + 1 == c->r->cfg->vcpus) {
		struct vb_window w = vb_window_span(vm->create_start, atomic_load(&vm->last_exit));

		vb_record_emit(c, VB_PHASE_VM_BOOT, &w, 0, 0, 0);
	}
}

struct verify {
	struct vb_selfcheck sc;
	bool done;
};

/* --verify: the selfcheck guest reports its boot state as 32-bit words on
 * VB_SELFCHECK_PORT, one per exit. Feed the current exit; 0 or EPROTO. */
static int verify_feed(struct vcpu_ctx *c, struct verify *v)
{
	const struct kvm_run *run = c->vcpu.run;
	uint32_t word;
	int r;

	if (v->done)
		return 0;
	if (run->exit_reason != KVM_EXIT_IO || run->io.port != VB_SELFCHECK_PORT ||
	    run->io.size != 4 || run->io.direction != KVM_EXIT_IO_OUT) {
		vb_runner_fail(c->r, "vm %u vcpu %u: verify: unexpected exit %u (port 0x%x) after %u words",
			    c->vm_index, c->vcpu_index, run->exit_reason, run->io.port, v->sc.words);
		return EPROTO;
	}
	memcpy(&word, (const char *)run + run->io.data_offset, sizeof(word));
	r = vb_selfcheck_feed(&v->sc, word);
	if (r < 0) {
		vb_runner_fail(c->r, "vm %u vcpu %u: verify: more words than expected", c->vm_index,
			    c->vcpu_index);
		return EPROTO;
	}
	v->done = r == 1;
	return 0;
}

/* Run on, unrecorded, until the report is whole; then compare it with the
 * boot state this vCPU was given. */
static int verify_finish(struct vcpu_ctx *c, struct verify *v)
{
	uint64_t want[VB_SELFCHECK_COUNT];
	struct vb_window w;
	int i;

	while (!v->done) {
		int err = run_once(c, &w);

		if (err) {
			fail_run(c, VB_PHASE_EXIT, err);
			return err;
		}
		if (verify_feed(c, v))
			return EPROTO;
	}
	vb_selfcheck_expect(&c->vcpu.sregs, &c->vcpu.regs,
			    c->r->cfg->irqchip_kernel ? &c->vcpu.lapic : NULL, c->vcpu_index, want);
	i = vb_selfcheck_first_mismatch(&v->sc, want);
	if (i < 0)
		return 0;
	vb_runner_fail(c->r, "vm %u vcpu %u: verify: %s is 0x%llx, expected 0x%llx", c->vm_index,
		    c->vcpu_index, vb_selfcheck_item_name[i], (unsigned long long)v->sc.got[i],
		    (unsigned long long)want[i]);
	return EPROTO;
}

static int first_run(struct vcpu_ctx *c, struct verify *sc)
{
	struct vb_window w, boot;
	int err;

	err = run_once(c, &w);
	c->gap += w.t0 - c->last_end;
	if (c->vcpu_index == 0)
		c->vm->guest_start = w.t0; /* --kernel: the guest's own time starts */
	if (!err && !c->r->p->kernel)
		err = check_first_exit(c, c->vcpu.run->exit_reason);
	vb_record_emit(c, VB_PHASE_FIRST_RUN, &w, err, err ? 0 : c->vcpu.run->exit_reason, 0);
	if (err) {
		fail_run(c, VB_PHASE_FIRST_RUN, err);
		return err;
	}
	c->first_exit_end = w.t1;
	boot = vb_window_span(c->iter_start, w.t1);
	vb_record_emit(c, VB_PHASE_BOOT_TOTAL, &boot, 0, 0, 0);
	vm_booted(c, w.t1);
	if (c->iteration >= 0 && vb_u64vec_push(&c->gaps, c->gap))
		vb_runner_fail(c->r, "out of memory");
	return sc ? verify_feed(c, sc) : 0;
}

static int later_exits(struct vcpu_ctx *c, struct verify *sc)
{
	for (uint32_t seq = 1; seq <= c->r->cfg->exits; seq++) {
		struct vb_window w;
		int err;

		if (atomic_load_explicit(&c->r->stop, memory_order_relaxed))
			return EINTR;
		err = run_once(c, &w);
		vb_record_emit(c, VB_PHASE_EXIT, &w, err, err ? 0 : c->vcpu.run->exit_reason, seq);
		if (err) {
			fail_run(c, VB_PHASE_EXIT, err);
			return err;
		}
		if (sc && verify_feed(c, sc))
			return EPROTO;
	}
	return 0;
}


/* --smp sipi, vCPU 0: once every AP is about to enter (or has given up on)
 * its first KVM_RUN, one round trip in which the guest sends INIT and
 * STARTUP to each: sipi_send. Its start is where each AP's ap_wake starts,
 * on the same clock. */
static int sipi_send(struct vcpu_ctx *c)
{
	struct vb_window w;
	int err;

	while (atomic_load(&c->vm->aps_arrived) + 1 < c->r->cfg->vcpus &&
	       !atomic_load(&c->r->stop))
		sched_yield();
	atomic_store(&c->vm->sipi_start, vb_clock_now());
	err = run_once(c, &w);
	vb_record_emit(c, VB_PHASE_SIPI_SEND, &w, err, err ? 0 : c->vcpu.run->exit_reason, 1);
	if (err)
		fail_run(c, VB_PHASE_SIPI_SEND, err);
	return err;
}

/* --smp sipi, an AP after its first exit: ap_wake, and with --verify the
 * APIC id it reported on the port is its own. */
static int ap_woken(struct vcpu_ctx *c)
{
	const struct kvm_run *run = c->vcpu.run;
	uint64_t start = atomic_load(&c->vm->sipi_start);
	struct vb_window w = vb_window_span(start, c->first_exit_end);
	uint32_t id;

	if (start && start < c->first_exit_end)
		vb_record_emit(c, VB_PHASE_AP_WAKE, &w, 0, 0, 0);
	if (!c->r->cfg->verify)
		return 0;
	if (run->io.port != VB_GUEST_PORT || run->io.size != 4) {
		vb_runner_fail(c->r, "vm %u vcpu %u: verify: the AP's first exit is not its APIC id",
			       c->vm_index, c->vcpu_index);
		return EPROTO;
	}
	memcpy(&id, (const char *)run + run->io.data_offset, sizeof(id));
	if (id == c->vcpu_index)
		return 0;
	vb_runner_fail(c->r, "vm %u vcpu %u: verify: the AP reports APIC id %u", c->vm_index,
		       c->vcpu_index, id);
	return EPROTO;
}

/* The first exit and what follows it: the exits, or under --smp sipi
 * vCPU 0's sipi_send and an AP's wake-up. */
static void run_guest(struct vcpu_ctx *c, bool ok, struct verify *sc)
{
	bool ap = c->r->cfg->smp_sipi && c->vcpu_index > 0;

	if (ap)
		atomic_fetch_add(&c->vm->aps_arrived, 1);
	if (!ok || atomic_load(&c->r->stop) || atomic_load(&c->vm->guest_stop) ||
	    first_run(c, sc))
		return;
	if (c->r->p->kernel)
		vb_kernel_exit_loop(c);
	else if (ap)
		ap_woken(c);
	else if (c->r->cfg->smp_sipi)
		sipi_send(c);
	else if (later_exits(c, sc) == 0 && sc)
		verify_finish(c, sc);
}

/* Close this vCPU (timed), then, on vCPU 0's thread once every vCPU of the
 * VM is closed, tear the VM down (timed: the last reference goes, KVM
 * destroys the VM inside this close). */
static void teardown(struct vcpu_ctx *c)
{
	struct runner *r = c->r;
	struct vb_window w;
	uint64_t t1;

	set_kickable(c, NULL);
	stats_end(c, &c->stats, (int)c->vcpu_index);
	if (c->vcpu.fd >= 0) {
		int err;

		vb_window_open(c, &w);
		err = vb_vcpu_close(&c->vcpu);
		vb_window_close(c, &w);
		vb_record_emit(c, VB_PHASE_VCPU_CLOSE, &w, err, 0, 0);
	}
	pthread_barrier_wait(&c->vm->done);
	if (c->vcpu_index == 0)
		stats_end(c, &c->vm->stats, -1);
	if (c->vcpu_index == 0)
		vb_kernel_vm_end(c);
	if (c->vcpu_index == 0 && (c->vm->vm.fd >= 0 || c->vm->vm.mem != MAP_FAILED))
		vm_step(c, VB_PHASE_VM_TEARDOWN, vb_vm_teardown);
	t1 = vb_clock_now();
	if (c->iteration == (int32_t)r->cfg->iterations - 1)
		vb_atomic_max(&r->wall_end, t1);
}

void vb_cycle_run(struct vcpu_ctx *c)
{
	struct runner *r = c->r;
	struct verify v = { 0 };
	/* Under --smp sipi, --verify checks the APs' APIC ids instead. */
	struct verify *sc = r->cfg->verify && !r->cfg->smp_sipi ? &v : NULL;
	bool ok;

	if (c->vcpu_index == 0) {
		atomic_store(&c->vm->booted, 0);
		atomic_store(&c->vm->last_exit, 0);
		atomic_store(&c->vm->aps_arrived, 0);
		atomic_store(&c->vm->sipi_start, 0);
		atomic_store(&c->vm->guest_stop, false);
		/* --jobs bounds VM setup too: with --jobs 1 VMs are created one
		 * at a time, each against a known number of live VMs. */
		c->vm->failed = true;
		if (!atomic_load(&r->stop)) {
			jobs_wait(r);
			c->vm->failed = vm_phases(c) != 0;
			if (r->cfg->jobs)
				sem_post(&r->jobs);
		}
		stats_begin(c, &c->vm->stats, c->vm->failed ? -1 : c->vm->vm.fd);
	}
	pthread_barrier_wait(&c->vm->ready);
	vb_vcpu_init(&c->vcpu, (int)c->vcpu_index, r->p->kvm->vcpu_mmap_size, c->cpuid,
		     r->p->kernel ? r->p->kernel->bz.entry64 : VB_GUEST_ENTRY);
	ok = !c->vm->failed && !atomic_load(&r->stop) && vcpu_setup(c) == 0;
	stats_begin(c, &c->stats, ok ? c->vcpu.fd : -1);
	run_guest(c, ok, sc);
	if (r->cfg->hold)
		pthread_barrier_wait(&r->hold);
	teardown(c);
}

