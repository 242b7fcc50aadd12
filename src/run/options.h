/* `vcpubench run` options: declared as data, parsed with getopt_long into
 * struct vb_run_config. Pure: no /dev/kvm, no files; limits that depend on
 * the host (KVM_CAP_MAX_VCPUS, CPUs for --pin) are checked by cmd_run. */
#ifndef VB_OPTIONS_H
#define VB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define VB_PIN_MAX 1024
#define VB_SWEEP_MAX 64

/* --sweep: the values of one or both axes; a grid when both are given. */
struct vb_sweep {
	unsigned vms[VB_SWEEP_MAX], vcpus[VB_SWEEP_MAX];
	size_t nvms, nvcpus; /* 0: the axis is not swept (--vms/--vcpus hold) */
};

/* The guest kernel's default command line: the console on the 16550 at
 * COM1 that the run serves; reboot=k resets through the i8042 (the one
 * reset the run serves, ending the boot); panic=-1 turns a panic into
 * that reset at once instead of a hang until --timeout; no_timer_check
 * skips the IO-APIC timer probe, which under virtualisation (and far
 * more under emulation) is slow and can misfire. */
#define VB_KERNEL_CMDLINE_DEFAULT "console=ttyS0 reboot=k panic=-1 no_timer_check"

/* --mem with --kernel unless given: a Linux guest's, as Firecracker's. */
#define VB_KERNEL_MEM_DEFAULT_MIB 128u

struct vb_run_config {
	unsigned vms, vcpus, iterations, warmup, exits, mem_mib;
	unsigned jobs;            /* 0: all */
	unsigned timeout_ms;      /* bound on each wait for an exit */
	const char *guest;        /* built-in name or a file path */
	const char *kernel;       /* --kernel bzImage, NULL: a built-in or --guest guest */
	bool default_kernel;      /* --linux: the test VM's cached Debian kernel (kernel_cache.h) */
	const char *initrd;       /* --initrd FILE or "none", NULL: the built-in one */
	const char *cmdline;      /* --cmdline, VB_KERNEL_CMDLINE_DEFAULT unless given */
	unsigned pin[VB_PIN_MAX]; /* --pin CPU list, threads round-robin */
	size_t npin;
	bool hold, verify, quiet, json, kvm_stats, sched_stats;
	const char *irqchip, *pit, *smp; /* --irqchip kernel|none, --pit kernel|none, --smp direct|sipi */
	bool irqchip_kernel;        /* derived: --irqchip kernel (implied by --smp sipi) */
	bool pit_kernel;            /* derived: --irqchip kernel and not --pit none */
	bool smp_sipi;              /* derived: --smp sipi */
	bool trace;
	const char *trace_events; /* --trace=LIST, NULL: the default set */
	const char *out, *tag;
	const char *db;           /* --db URL: import the results there at the end */
	struct vb_sweep sweep;    /* empty unless --sweep */
};

/* Parse argv (argv[0] is the subcommand name). Returns 0, 1 when --help was
 * asked (usage printed by the caller), or 2 with a one-line message
 * "--vms: 'abc' is not a positive integer" in @err. */
/* The --initrd file to read: NULL for none and for the built-in one. */
const char *vb_run_initrd_file(const struct vb_run_config *cfg);

int vb_run_options_parse(struct vb_run_config *cfg, int argc, char **argv, char *err,
			 size_t errlen);

/* Parse a CPU list "0-3,6" into @cpus (at most @max); 0 or -EINVAL. */
int vb_cpulist_parse(const char *s, unsigned *cpus, size_t max, size_t *n);

/* Parse a --sweep value: "vms=1,2,4", "vcpus=1,8" or both joined by ';'
 * (a grid). 0, or 2 with a one-line message in @err. */
int vb_sweep_parse(const char *s, struct vb_sweep *out, char *err, size_t errlen);

/* The help text of `vcpubench run`, generated from the option table. */
void vb_run_options_usage(FILE *f);

/* One row of the option table, for the man page and the shell completion
 * (src/cmd/cmd_docs.c), so they cannot drift from --help either. */
struct vb_run_option_doc {
	const char *name, *arg, *help; /* arg NULL: a flag */
	bool optional_value;           /* --name[=ARG] */
	bool choice;                   /* arg is the values, '|'-separated */
};
size_t vb_run_options_count(void);
void vb_run_option_doc(size_t i, struct vb_run_option_doc *d);

#endif
