/* raw_boot: the baseline bench/overhead measures `vcpubench run` against.
 *
 * The smallest honest C program that does the same per-VM and per-vCPU
 * setup as one `vcpubench run` cycle, with the same boot state (it compiles
 * src/x86_boot.c in) and the same embedded guest: one thread per vCPU,
 * all released by one barrier per iteration; vCPU 0's thread creates and
 * tears down its VM, as in vcpubench; every vCPU runs to its first exit
 * (which must be KVM_EXIT_IO) and takes one more (vcpubench's default
 * --exits 1). No timing, no output: it is a baseline, not a reporter.
 *
 * --irqchip kernel adds what vcpubench's default --irqchip kernel (with
 * its default --pit kernel, direct boot) adds, in its order: per VM after
 * the memory, KVM_SET_TSS_ADDR and KVM_SET_IDENTITY_MAP_ADDR on VMX only,
 * KVM_CREATE_IRQCHIP, KVM_CREATE_PIT2; per vCPU after the sregs,
 * KVM_GET_LAPIC + KVM_SET_LAPIC (LINT0 ExtINT, LINT1 NMI) and
 * KVM_SET_MP_STATE runnable; and it boots vcpubench's guest of that mode,
 * exit-loop. --irqchip none (the default) leaves them out.
 *
 * usage: raw_boot [--irqchip kernel|none] VMS VCPUS [ITERATIONS]
 * Exit status: 0 done; 1 any failure, one line naming the call, VM and
 * vCPU, from whichever thread met it; 2 usage; 4 no /dev/kvm (skip). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "x86_boot.h"

#define GUEST_MEM_SIZE (32ul << 20) /* vcpubench's --mem default */
#define THREAD_STACK (256u << 10)   /* as vcpubench: 1024 x 8 MiB is waste */
#define MAX_SIZE 4096ul             /* VMS or VCPUS: beyond KVM_CAP_MAX_VCPUS here */
#define MAX_THREADS 16384u          /* VMS x VCPUS: one thread each */
#define MAX_ITERATIONS 1000000ul
#define EXIT_USAGE 2
#define EXIT_SKIP 4                 /* no /dev/kvm: CTest's SKIP_RETURN_CODE */

/* The guests, embedded by guests/CMakeLists.txt: pio, vcpubench's default
 * with --irqchip none, and exit-loop, its default with --irqchip kernel
 * (pio's hlt would wait in the kernel's APIC). */
extern const uint8_t vb_guest_image_pio[];
extern const uint8_t vb_guest_image_pio_end[];
extern const uint8_t vb_guest_image_exit_loop[];
extern const uint8_t vb_guest_image_exit_loop_end[];

struct vm {
	int fd;
	void *mem;
	pthread_barrier_t ready; /* vCPU 0 has set the VM up */
	pthread_barrier_t done;  /* every vCPU of the VM is closed */
};

struct bench;

struct vcpu {
	struct bench *b;
	struct vm *vm;
	unsigned vm_index, id;
	struct kvm_cpuid2 *cpuid; /* own copy, APIC id patched in */
	pthread_t thread;
};

struct bench {
	unsigned vms, vcpus, iterations;
	bool irqchip;             /* --irqchip kernel */
	bool vmx;                 /* kvm_intel: the two VMX-only VM steps */
	int kvm;
	struct kvm_cpuid2 *cpuid; /* KVM_GET_SUPPORTED_CPUID */
	size_t run_size;          /* KVM_GET_VCPU_MMAP_SIZE */
	pthread_barrier_t start;  /* one release per iteration, all threads */
	struct vm *vm;
	struct vcpu *vcpu;
};

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Any thread may fail; the first one reports and exits, the others wait
 * here for the exit (two concurrent exit() calls are undefined). */
static void die(const char *fmt, ...)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	va_list ap;

	pthread_mutex_lock(&lock);
	fputs("raw_boot: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int vcpu_ioctl_named(const struct vcpu *v, int fd, unsigned long req, const char *name,
			    void *arg)
{
	int r = ioctl(fd, req, arg);

	if (r < 0)
		die("vm %u vcpu %u: %s: %s", v->vm_index, v->id, name, strerror(errno));
	return r;
}
#define vcpu_ioctl(v, fd, req, arg) vcpu_ioctl_named(v, fd, req, #req, arg)

static unsigned parse_count(const char *s, const char *what, unsigned long max)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || n == 0 || n > max) {
		fprintf(stderr, "raw_boot: %s: '%s' is not a count in 1..%lu\n", what, s, max);
		exit(EXIT_USAGE);
	}
	return (unsigned)n;
}

/* Every VM and vCPU is an fd, all alive at once in an iteration, so the
 * soft limit (often 1024) must be raised first, as vcpubench does. */
static void raise_nofile(const struct bench *b)
{
	rlim_t need = (rlim_t)b->vms * (1 + b->vcpus) + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("RLIMIT_NOFILE: need %lu file descriptors: %s", (unsigned long)need,
		    strerror(errno));
}

static void kvm_open(struct bench *b)
{
	int r;

	b->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (b->kvm < 0 && errno == ENOENT) {
		/* Absent, not broken: a host without KVM skips, as the tests do. */
		fprintf(stderr, "raw_boot: skipped: no /dev/kvm on this host\n");
		exit(EXIT_SKIP);
	}
	if (b->kvm < 0)
		die("cannot open '/dev/kvm': %s", strerror(errno));
	/* Grow as vcpubench does: KVM answers E2BIG while the table is short. */
	for (unsigned n = 128; !b->cpuid; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

		if (!c)
			die("out of memory");
		c->nent = n;
		if (ioctl(b->kvm, KVM_GET_SUPPORTED_CPUID, c) == 0)
			b->cpuid = c;
		else if (errno != E2BIG || n >= 4096)
			die("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
		else
			free(c);
	}
	r = ioctl(b->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (r < 0)
		die("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	b->run_size = (size_t)r;
}

/* The vCPU's own CPUID table: its APIC id in leaf 1 EBX[31:24] and in the
 * x2APIC id of leaves 0xb/0x1f, as vcpubench (and any VMM) sets it. */
static struct kvm_cpuid2 *cpuid_for(const struct kvm_cpuid2 *src, unsigned id)
{
	size_t size = sizeof(*src) + src->nent * sizeof(src->entries[0]);
	struct kvm_cpuid2 *c = malloc(size);

	if (!c)
		die("out of memory");
	memcpy(c, src, size);
	vb_x86_cpuid_set_apic_id(c, id);
	return c;
}

/* --irqchip kernel's VM steps, with vcpubench's addresses and PIT flags. */
static void vm_irqchip(const struct bench *b, const struct vm *vm, unsigned index)
{
	uint64_t identity = 0xfffbc000ull;
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

	if (b->vmx && (ioctl(vm->fd, KVM_SET_TSS_ADDR, 0xfffbd000ul) < 0 ||
		       ioctl(vm->fd, KVM_SET_IDENTITY_MAP_ADDR, &identity) < 0))
		die("vm %u: KVM_SET_TSS_ADDR/KVM_SET_IDENTITY_MAP_ADDR: %s", index, strerror(errno));
	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) < 0)
		die("vm %u: KVM_CREATE_IRQCHIP: %s", index, strerror(errno));
	if (ioctl(vm->fd, KVM_CREATE_PIT2, &pit) < 0)
		die("vm %u: KVM_CREATE_PIT2: %s", index, strerror(errno));
}

static void vm_setup(const struct bench *b, struct vm *vm, unsigned index)
{
	struct kvm_userspace_memory_region region;
	const uint8_t *guest = b->irqchip ? vb_guest_image_exit_loop : vb_guest_image_pio;
	size_t guest_size = (size_t)(b->irqchip ? vb_guest_image_exit_loop_end - guest
						: vb_guest_image_pio_end - guest);
	uint64_t gdt[VB_BOOT_GDT_MAX];

	vm->fd = ioctl(b->kvm, KVM_CREATE_VM, 0ul);
	if (vm->fd < 0)
		die("vm %u: KVM_CREATE_VM: %s", index, strerror(errno));
	/* NORESERVE as vcpubench: many VMs must not commit their memory. */
	vm->mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED)
		die("vm %u: mmap guest memory: %s", index, strerror(errno));
	region = (struct kvm_userspace_memory_region){
		.memory_size = GUEST_MEM_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)vm->mem,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die("vm %u: KVM_SET_USER_MEMORY_REGION: %s", index, strerror(errno));
	if (b->irqchip)
		vm_irqchip(b, vm, index);
	memcpy((char *)vm->mem + VB_GUEST_ENTRY, guest, guest_size);
	vb_x86_boot_gdt(gdt);
	if (vb_x86_gdt_write(vm->mem, GUEST_MEM_SIZE, gdt, VB_BOOT_GDT_MAX, VB_BOOT_GDT_OFFSET) ||
	    vb_x86_idt_write(vm->mem, GUEST_MEM_SIZE, 0, VB_BOOT_IDT_OFFSET) ||
	    vb_x86_pagetable_write(vm->mem, GUEST_MEM_SIZE))
		die("vm %u: boot tables do not fit in guest memory", index);
}

static void vm_teardown(struct vm *vm, unsigned index)
{
	/* Close first, as vcpubench: the VM is destroyed here, then its
	 * memory unmaps without MMU-notifier work. */
	if (close(vm->fd) < 0 || munmap(vm->mem, GUEST_MEM_SIZE) < 0)
		die("vm %u: teardown: %s", index, strerror(errno));
}

/* --irqchip kernel's vCPU steps: the LAPIC's LINT pins as a VMM wires
 * them, and runnable (with an in-kernel APIC every vCPU but the BSP would
 * wait for INIT-SIPI). */
static void vcpu_irqchip(const struct vcpu *v, int fd)
{
	struct kvm_lapic_state lapic;
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	vcpu_ioctl(v, fd, KVM_GET_LAPIC, &lapic);
	vb_x86_lapic_set_lint(&lapic);
	vcpu_ioctl(v, fd, KVM_SET_LAPIC, &lapic);
	vcpu_ioctl(v, fd, KVM_SET_MP_STATE, &mp);
}

/* KVM_SET_FPU, KVM_SET_MSRS, KVM_SET_REGS, KVM_GET_SREGS + KVM_SET_SREGS. */
static void vcpu_boot_state(const struct vcpu *v, int fd)
{
	struct kvm_fpu fpu = vb_x86_boot_fpu();
	struct kvm_regs regs = vb_x86_boot_regs(VB_GUEST_ENTRY, VB_BOOT_STACK_POINTER,
						VB_BOOT_STACK_POINTER, VB_ZERO_PAGE_START);
	_Alignas(struct kvm_msrs) unsigned char buf[sizeof(struct kvm_msrs) +
						    VB_BOOT_MSR_COUNT * sizeof(struct kvm_msr_entry)];
	struct kvm_msrs *msrs = (struct kvm_msrs *)buf;
	struct kvm_sregs sregs;
	uint64_t gdt[VB_BOOT_GDT_MAX];

	memset(buf, 0, sizeof(buf));
	msrs->nmsrs = VB_BOOT_MSR_COUNT;
	vcpu_ioctl(v, fd, KVM_SET_FPU, &fpu);
	vb_x86_boot_msrs(msrs->entries);
	/* KVM_SET_MSRS returns how many it set: fewer is a failure. */
	if (vcpu_ioctl(v, fd, KVM_SET_MSRS, msrs) != VB_BOOT_MSR_COUNT)
		die("vm %u vcpu %u: KVM_SET_MSRS: not all %d MSRs set", v->vm_index, v->id,
		    VB_BOOT_MSR_COUNT);
	vcpu_ioctl(v, fd, KVM_SET_REGS, &regs);
	vcpu_ioctl(v, fd, KVM_GET_SREGS, &sregs);
	vb_x86_boot_gdt(gdt);
	vb_x86_boot_sregs(&sregs, gdt, VB_BOOT_GDT_MAX, VB_BOOT_GDT_OFFSET, VB_BOOT_IDT_OFFSET,
			  VB_PML4_START);
	vcpu_ioctl(v, fd, KVM_SET_SREGS, &sregs);
	if (v->b->irqchip)
		vcpu_irqchip(v, fd);
}

/* Create, set up, run to the first exit and one more, close. */
static void vcpu_cycle(const struct vcpu *v)
{
	size_t run_size = v->b->run_size;
	struct kvm_run *run;
	int fd;

	fd = ioctl(v->vm->fd, KVM_CREATE_VCPU, (unsigned long)v->id);
	if (fd < 0)
		die("vm %u vcpu %u: KVM_CREATE_VCPU: %s", v->vm_index, v->id, strerror(errno));
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (run == MAP_FAILED)
		die("vm %u vcpu %u: mmap kvm_run: %s", v->vm_index, v->id, strerror(errno));
	vcpu_ioctl(v, fd, KVM_SET_CPUID2, v->cpuid);
	vcpu_boot_state(v, fd);
	vcpu_ioctl(v, fd, KVM_RUN, NULL);
	if (run->exit_reason != KVM_EXIT_IO)
		die("vm %u vcpu %u: first exit is %u, the guest exits with KVM_EXIT_IO (%u)",
		    v->vm_index, v->id, run->exit_reason, KVM_EXIT_IO);
	vcpu_ioctl(v, fd, KVM_RUN, NULL);
	if (munmap(run, run_size) < 0 || close(fd) < 0)
		die("vm %u vcpu %u: close: %s", v->vm_index, v->id, strerror(errno));
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct bench *b = v->b;

	v->cpuid = cpuid_for(b->cpuid, v->id);
	for (unsigned it = 0; it < b->iterations; it++) {
		pthread_barrier_wait(&b->start);
		if (v->id == 0)
			vm_setup(b, v->vm, v->vm_index);
		pthread_barrier_wait(&v->vm->ready);
		vcpu_cycle(v);
		pthread_barrier_wait(&v->vm->done);
		if (v->id == 0)
			vm_teardown(v->vm, v->vm_index);
	}
	free(v->cpuid);
	return NULL;
}

static void bench_init(struct bench *b)
{
	unsigned n = b->vms * b->vcpus;

	b->vm = calloc(b->vms, sizeof(*b->vm));
	b->vcpu = calloc(n, sizeof(*b->vcpu));
	if (!b->vm || !b->vcpu)
		die("out of memory");
	pthread_barrier_init(&b->start, NULL, n);
	for (unsigned i = 0; i < b->vms; i++) {
		pthread_barrier_init(&b->vm[i].ready, NULL, b->vcpus);
		pthread_barrier_init(&b->vm[i].done, NULL, b->vcpus);
	}
	for (unsigned t = 0; t < n; t++)
		b->vcpu[t] = (struct vcpu){ .b = b, .vm = &b->vm[t / b->vcpus],
					    .vm_index = t / b->vcpus, .id = t % b->vcpus };
}

static void bench_run(struct bench *b)
{
	unsigned n = b->vms * b->vcpus;
	pthread_attr_t attr;
	int err;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (unsigned t = 0; t < n; t++) {
		err = pthread_create(&b->vcpu[t].thread, &attr, vcpu_thread, &b->vcpu[t]);
		if (err)
			die("cannot start thread %u of %u: %s", t, n, strerror(err));
	}
	pthread_attr_destroy(&attr);
	for (unsigned t = 0; t < n; t++)
		pthread_join(b->vcpu[t].thread, NULL);
}

int main(int argc, char **argv)
{
	struct bench b = { .iterations = 1 };

	if (argc > 2 && strcmp(argv[1], "--irqchip") == 0) {
		if (strcmp(argv[2], "kernel") != 0 && strcmp(argv[2], "none") != 0) {
			fprintf(stderr, "raw_boot: --irqchip: '%s' is not kernel or none\n", argv[2]);
			return EXIT_USAGE;
		}
		b.irqchip = strcmp(argv[2], "kernel") == 0;
		argc -= 2;
		argv += 2;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: raw_boot [--irqchip kernel|none] VMS VCPUS [ITERATIONS]\n");
		return EXIT_USAGE;
	}
	/* As vcpubench tells VMX from SVM. */
	b.vmx = access("/sys/module/kvm_intel", F_OK) == 0;
	b.vms = parse_count(argv[1], "VMS", MAX_SIZE);
	b.vcpus = parse_count(argv[2], "VCPUS", MAX_SIZE);
	if (argc == 4)
		b.iterations = parse_count(argv[3], "ITERATIONS", MAX_ITERATIONS);
	if ((unsigned long)b.vms * b.vcpus > MAX_THREADS) {
		fprintf(stderr, "raw_boot: VMS x VCPUS: %u x %u is more than %u threads\n", b.vms,
			b.vcpus, MAX_THREADS);
		return EXIT_USAGE;
	}
	raise_nofile(&b);
	kvm_open(&b);
	bench_init(&b);
	bench_run(&b);
	/* Freed so the sanitizer builds' leak check stays meaningful. */
	free(b.cpuid);
	free(b.vm);
	free(b.vcpu);
	close(b.kvm);
	return 0;
}
