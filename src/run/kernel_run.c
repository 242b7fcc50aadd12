/* --kernel on the vCPU threads (kernel_run.h). */
#include "kernel_run.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "kernel.h"
#include "ksyms.h"
#include "mptable.h"
#include "record.h"

static int load_image(struct vb_vm *vm, const struct vb_kernel *k)
{
	return vb_kernel_copy(k, vm->mem, vm->mem_size);
}

static int write_boot_params(struct vb_vm *vm, const struct vb_kernel *k)
{
	return vb_kernel_boot_params(k, vm->mem, vm->mem_size);
}

static int write_mptable(struct vb_vm *vm, const struct vb_kernel *k)
{
	long n = vb_mptable_write(vm->mem, vm->mem_size, vm->vcpus);

	(void)k; /* the same signature as the other two steps */
	return n < 0 ? (int)n : 0;
}

/* Plain memory writes: timed without counters, as guest_load's. */
static int kernel_step(struct vcpu_ctx *c, enum vb_phase phase,
		       int (*fn)(struct vb_vm *, const struct vb_kernel *))
{
	uint64_t t0 = vb_clock_now();
	int err = fn(&c->vm->vm, c->r->p->kernel);
	struct vb_window w = vb_window_span(t0, vb_clock_now());

	return vb_record_emit(c, phase, &w, err, 0, 0);
}

/* The devices' interrupt lines into the in-kernel PIC and IOAPIC. */
static int irq_line(void *vm, unsigned irq, bool level)
{
	return vb_vm_irq_line(vm, irq, level);
}

int vb_kernel_vm_phases(struct vcpu_ctx *c)
{
	struct vm_ctx *vm = c->vm;
	int err;

	atomic_store(&vm->guest_stop, false);
	vm->guest_start = 0;
	atomic_store(&vm->io_exits, 0);
	atomic_store(&vm->mmio_exits, 0);
	vm->guest_error[0] = '\0';
	err = vb_devices_init(&vm->devices, &(struct vb_devices_config){
		.set_irq = irq_line, .irq_arg = &vm->vm });
	if (err) {
		vb_runner_fail(c->r, "vm %u: devices: %s", c->vm_index, strerror(-err));
		return -1;
	}
	vm->has_devices = true;
	if (kernel_step(c, VB_PHASE_KERNEL_LOAD, load_image) ||
	    kernel_step(c, VB_PHASE_BOOT_PARAMS, write_boot_params))
		return -1;
	/* Also with one vCPU: without an MP table (and no ACPI) Linux finds
	 * no local APIC ("APIC: ACPI MADT or MP tables are not detected")
	 * and, here, never reaches its init; Firecracker writes it always. */
	return kernel_step(c, VB_PHASE_MPTABLE, write_mptable) ? -1 : 0;
}

/* Stop every vCPU of the VM: the flag, then a kick of each one in (or
 * about to enter) KVM_RUN, as the supervisor kicks them. */
static void vm_stop(struct vcpu_ctx *c)
{
	struct runner *r = c->r;
	unsigned n = r->cfg->vcpus;

	atomic_store(&c->vm->guest_stop, true);
	for (unsigned j = 0; j < n; j++) {
		struct vcpu_ctx *o = &r->vcpus[c->vm_index * n + j];

		if (o == c)
			continue;
		pthread_mutex_lock(&o->kick_lock);
		if (o->kick_run) {
			vb_vcpu_kick(o->kick_run);
			pthread_kill(o->thread, SIGUSR1);
		}
		pthread_mutex_unlock(&o->kick_lock);
	}
}

/* The VM's first failure, kept for the line vb_kernel_vm_end() prints. */
void vb_kernel_guest_failed(struct vcpu_ctx *c, const char *what)
{
	pthread_mutex_lock(&c->vm->guest_lock);
	if (!c->vm->guest_error[0])
		snprintf(c->vm->guest_error, sizeof(c->vm->guest_error), "vcpu %u: %s",
			 c->vcpu_index, what);
	pthread_mutex_unlock(&c->vm->guest_lock);
	vm_stop(c);
}

/* One exit in c->vcpu.run, ended at @ts after a round trip of @dur ns.
 * 0: run on; 1: the VM stops. */
static int serve_exit(struct vcpu_ctx *c, uint64_t ts, uint64_t dur)
{
	struct kvm_run *run = c->vcpu.run;
	struct vb_devices *d = &c->vm->devices;
	char what[96];
	int ev;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		atomic_fetch_add_explicit(&c->vm->io_exits, 1, memory_order_relaxed);
		ev = 0;
		for (uint32_t i = 0; i < run->io.count && ev >= 0; i++) {
			uint8_t *data = (uint8_t *)run + run->io.data_offset + i * run->io.size;
			int e = vb_devices_pio(d, run->io.port, run->io.direction == KVM_EXIT_IO_OUT,
					       data, run->io.size, ts, dur);

			ev = e == VB_DEV_RESET || e == VB_DEV_PANIC || e < 0 ? e : ev;
		}
		break;
	case KVM_EXIT_MMIO:
		atomic_fetch_add_explicit(&c->vm->mmio_exits, 1, memory_order_relaxed);
		ev = vb_devices_mmio(d, run->mmio.phys_addr, run->mmio.is_write, run->mmio.data,
				     run->mmio.len, ts, dur);
		break;
	case KVM_EXIT_SHUTDOWN:
		vb_kernel_guest_failed(c, "triple fault (KVM_EXIT_SHUTDOWN)");
		return 1;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(what, sizeof(what), "KVM internal error, suberror %u", run->internal.suberror);
		vb_kernel_guest_failed(c, what);
		return 1;
	default:
		snprintf(what, sizeof(what), "unexpected exit %u", run->exit_reason);
		vb_kernel_guest_failed(c, what);
		return 1;
	}
	if (ev < 0) {
		if (ev == -EINVAL)
			snprintf(what, sizeof(what), "bad I/O access size");
		else
			snprintf(what, sizeof(what), "KVM_IRQ_LINE (the UART's interrupt): %s",
				 strerror(-ev));
		vb_kernel_guest_failed(c, what);
		return 1;
	}
	if (ev == VB_DEV_PANIC) { /* whatever it does next, no init follows */
		vb_kernel_guest_failed(c, "kernel panic");
		return 1;
	}
	if (ev == VB_DEV_RESET) {
		vm_stop(c);
		return 1;
	}
	return 0;
}

void vb_kernel_guest_timed_out(struct vcpu_ctx *c)
{
	char what[224], sym[160] = "", map[4096];
	bool irq_on, halted;
	uint64_t rip;

	atomic_fetch_add(&c->r->timed_out, 1);
	if (vb_vcpu_get_where(&c->vcpu, &rip, &irq_on, &halted)) {
		vb_kernel_guest_failed(c, "no init within --timeout");
		return;
	}
	/* The function is what a reader looks up first: System.map beside
	 * the kernel names it (tools/linux-guest keeps one, Debian's /boot
	 * has one per vmlinuz). Looked for only here, on the failure path. */
	if (vb_ksyms_find(c->r->p->kernel->path, map, sizeof(map)) == 0 &&
	    vb_ksyms_lookup(map, rip, sym + 1, sizeof(sym) - 1) == 0)
		sym[0] = ' ';
	snprintf(what, sizeof(what), "no init within --timeout, at rip 0x%llx%s (%s, %s)",
		 (unsigned long long)rip, sym, halted ? "halted" : "running",
		 irq_on ? "interrupts on" : "interrupts off");
	vb_kernel_guest_failed(c, what);
}

/* Why KVM_RUN returned EINTR: 1 to stop quietly (the VM or the run
 * stops), 0 to run on, or the failure recorded. */
static int interrupted(struct vcpu_ctx *c)
{
	if (atomic_load(&c->vm->guest_stop))
		return 1;
	if (atomic_load(&c->timed_out)) {
		vb_kernel_guest_timed_out(c);
		return 1;
	}
	return atomic_load(&c->r->stop) ? 1 : 0;
}

void vb_kernel_exit_loop(struct vcpu_ctx *c)
{
	uint64_t t0 = c->first_exit_end, t1 = c->first_exit_end;

	/* --timeout bounds the whole boot: the supervisor sees one KVM_RUN
	 * that started with the VM. */
	atomic_store(&c->in_run_since, c->vm->create_start);
	while (!serve_exit(c, t1, t1 - t0)) {
		int err;

		if (atomic_load(&c->vm->guest_stop))
			break;
		do {
			t0 = vb_clock_now();
			err = vb_vcpu_run(&c->vcpu);
			t1 = vb_clock_now();
		} while (err == -EAGAIN || (err == -EINTR && interrupted(c) == 0));
		if (err == -EINTR)
			break;
		if (err) {
			char what[96];

			snprintf(what, sizeof(what), "KVM_RUN: %s", strerror(-err));
			vb_kernel_guest_failed(c, what);
			break;
		}
	}
	atomic_store(&c->in_run_since, 0);
}

/* A milestone at @ts, timed from @since (vCPU 0's first KVM_RUN entry for
 * the guest's own ones, vm_create's start for linux_boot). */
static void milestone(struct vcpu_ctx *c, enum vb_phase phase, bool reached, uint64_t since,
		      uint64_t ts)
{
	struct vb_window w = vb_window_span(since, ts);

	if (reached && since && ts >= since)
		vb_record_emit(c, phase, &w, 0, 0, 0);
}

static const char *last_line(const struct vb_devices *d)
{
	const struct vb_uart *u = vb_devices_console(d);
	size_t n = vb_uart_line_count(u);

	return n ? vb_uart_line(u, n - 1)->text : "";
}

void vb_kernel_vm_end(struct vcpu_ctx *c)
{
	struct vm_ctx *vm = c->vm;
	struct vb_dev_milestones m;
	const char *reached;

	if (!vm->has_devices)
		return;
	vb_devices_finish(&vm->devices);
	vb_devices_milestones(&vm->devices, &m);
	milestone(c, VB_PHASE_GUEST_FIRST_OUTPUT, m.first_output, vm->guest_start, m.first_output_ns);
	milestone(c, VB_PHASE_GUEST_INIT, m.init, vm->guest_start, m.init_ns);
	milestone(c, VB_PHASE_GUEST_RESET, m.reset, vm->guest_start, m.reset_ns);
	milestone(c, VB_PHASE_LINUX_BOOT, m.init, vm->create_start, m.init_ns);
	reached = m.reset ? "guest_reset" : m.init ? "guest_init"
		  : m.first_output ? "guest_first_output" : "none";
	if (!vm->failed && !m.init && !vm->guest_error[0] && !atomic_load(&c->r->stop))
		snprintf(vm->guest_error, sizeof(vm->guest_error), "reset before its init");
	if (vm->guest_error[0])
		vb_runner_fail_guest(c->r, "vm %u: %s (milestone reached: %s; last console line: "
				     "'%s')", c->vm_index, vm->guest_error, reached,
				     last_line(&vm->devices));
	if (c->r->p->on_vm_end) {
		struct vb_vm_end e = { .iteration = c->iteration, .vm = c->vm_index,
				       .devices = &vm->devices, .milestones = &m,
				       .io_exits = atomic_load(&vm->io_exits),
				       .mmio_exits = atomic_load(&vm->mmio_exits) };

		c->r->p->on_vm_end(c->r->p->on_vm_end_arg, &e);
	}
	vb_devices_release(&vm->devices);
	vm->has_devices = false;
}
