#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"

enum value_kind {
	V_NONE, V_COUNT, V_UINT, V_STRING, V_CHOICE, V_CPULIST, V_SECONDS, V_OPTIONAL, V_SWEEP
};

/* One row per option: the table drives getopt_long, parsing, range checks
 * and the help text, so they cannot drift apart. */
struct opt_spec {
	const char *name;
	enum value_kind kind;
	unsigned min, max;  /* for V_COUNT / V_UINT */
	size_t offset;      /* into struct vb_run_config */
	const char *arg, *help; /* V_CHOICE: arg lists the values, '|'-separated */
};

#define OFF(field) offsetof(struct vb_run_config, field)
#define VB_MAX_VMS 65536u
#define VB_MAX_VCPUS 4096u /* above any KVM_CAP_MAX_VCPUS; the host limit is checked at run */

static const struct opt_spec specs[] = {
	{ "vms", V_COUNT, 1, VB_MAX_VMS, OFF(vms), "N", "VMs per iteration [1]" },
	{ "vcpus", V_COUNT, 1, VB_MAX_VCPUS, OFF(vcpus), "M", "vCPUs per VM [1]" },
	{ "iterations", V_COUNT, 1, 1000000, OFF(iterations), "K", "recorded create->run->teardown cycles [1]" },
	{ "warmup", V_UINT, 0, 1000000, OFF(warmup), "W", "cycles run first and not recorded [0]" },
	{ "guest", V_STRING, 0, 0, OFF(guest), "NAME|FILE", "built-in guest or flat binary [exit-loop; pio under --irqchip none]" },
	{ "kernel", V_STRING, 0, 0, OFF(kernel), "FILE", "boot this Linux bzImage to its init (64-bit boot protocol)" },
	{ "linux", V_NONE, 0, 0, OFF(default_kernel), NULL, "--kernel: the test VM's cached Debian kernel (tools/vm --prepare)" },
	{ "initrd", V_STRING, 0, 0, OFF(initrd), "FILE|none", "with --kernel: initramfs at the top of low memory, or none [built-in init]" },
	{ "cmdline", V_STRING, 0, 0, OFF(cmdline), "STR", "with --kernel: the command line [" VB_KERNEL_CMDLINE_DEFAULT "]" },
	{ "exits", V_UINT, 0, 1000000, OFF(exits), "E", "KVM_RUN round trips after the first exit [1]" },
	{ "mem", V_COUNT, 2, VB_GUEST_MEM_MAX_MIB, OFF(mem_mib), "MiB", "guest memory per VM [32; 128 with --kernel]" },
	{ "jobs", V_COUNT, 1, UINT_MAX, OFF(jobs), "J", "threads in VM or vCPU setup at once [all]" },
	{ "pin", V_CPULIST, 0, 0, OFF(pin), "CPULIST", "pin vCPU threads round-robin to these CPUs" },
	{ "sweep", V_SWEEP, 0, 0, OFF(sweep), "AXIS=LIST", "one run per point: vms=1,2,4 | vcpus=... | both, ';'-joined" },
	{ "hold", V_NONE, 0, 0, OFF(hold), NULL, "keep every VM alive until all are created" },
	{ "verify", V_NONE, 0, 0, OFF(verify), NULL, "boot the selfcheck guest and compare its boot state" },
	{ "trace", V_OPTIONAL, 0, 0, OFF(trace_events), "EVENTS", "trace KVM events (default: kvm, kvmmmu, ioctl syscalls)" },
	{ "kvm-stats", V_NONE, 0, 0, OFF(kvm_stats), NULL, "KVM binary stats per VM and vCPU, before/after" },
	{ "sched-stats", V_NONE, 0, 0, OFF(sched_stats), NULL, "per phase: on-CPU and run-queue time, switches, faults" },
	{ "irqchip", V_CHOICE, 0, 0, OFF(irqchip), "kernel|none", "in-kernel interrupt controller, PIT and LAPIC set-up [kernel]" },
	{ "pit", V_CHOICE, 0, 0, OFF(pit), "kernel|none", "with --irqchip kernel: the in-kernel PIT (KVM_CREATE_PIT2) [kernel]" },
	{ "smp", V_CHOICE, 0, 0, OFF(smp), "direct|sipi", "all vCPUs boot at once, or vCPU 0 wakes the others by INIT-SIPI [direct]" },
	{ "timeout", V_SECONDS, 0, 0, OFF(timeout_ms), "S", "bound on each vCPU's wait for an exit [10]" },
	{ "out", V_STRING, 0, 0, OFF(out), "DIR", "results directory (must not exist) [results/<utc>-<host>-<tag>]" },
	{ "db", V_STRING, 0, 0, OFF(db), "URL", "at the end, import the results into this database (see db import)" },
	{ "tag", V_STRING, 0, 0, OFF(tag), "LABEL", "label in the default directory name and meta.json" },
	{ "quiet", V_NONE, 0, 0, OFF(quiet), NULL, "no summary table, only errors" },
	{ "json", V_NONE, 0, 0, OFF(json), NULL, "summary on stdout as JSON" },
	{ "help", V_NONE, 0, 0, 0, NULL, "this text" },
};
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

static int fail(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	/* The message quotes what the user typed: keep it one printable line
	 * whatever that was (found by fuzzing: "--x\n" split the line). */
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return 2;
}

/* Strict decimal: digits only, whole string, no sign, no overflow. */
static int parse_decimal(const char *s, unsigned long long *out)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	return errno == ERANGE ? -ERANGE : 0;
}

static int parse_number(const struct opt_spec *o, const char *v, unsigned *out, char *err,
			size_t len)
{
	unsigned long long x;
	int r = parse_decimal(v, &x);

	if (r == -EINVAL)
		return fail(err, len, "--%s: '%s' is not a %s integer", o->name, v,
			    o->kind == V_COUNT ? "positive" : "non-negative");
	if (r == -ERANGE || x < o->min || x > o->max)
		return fail(err, len, "--%s: '%s' is out of range (%u..%u)", o->name, v, o->min,
			    o->max);
	*out = (unsigned)x;
	return 0;
}

static int parse_seconds(const struct opt_spec *o, const char *v, unsigned *ms, char *err,
			 size_t len)
{
	char *end;
	double s;

	errno = 0;
	s = (*v >= '0' && *v <= '9') || *v == '.' ? strtod(v, &end) : -1;
	if (s < 0 || errno || *end || s * 1000 < 1 || s > 86400)
		return fail(err, len, "--%s: '%s' is not a number of seconds (0.001..86400)",
			    o->name, v);
	*ms = (unsigned)(s * 1000 + 0.5);
	return 0;
}

int vb_cpulist_parse(const char *s, unsigned *cpus, size_t max, size_t *n)
{
	*n = 0;
	while (*s) {
		char *end;
		unsigned long a, b;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		a = b = strtoul(s, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return -EINVAL;
			b = strtoul(end + 1, &end, 10);
		}
		if (b < a || b >= 1u << 16 || (*end && *end != ',') || (*end == ',' && !end[1]))
			return -EINVAL;
		for (unsigned long c = a; c <= b; c++) {
			if (*n == max)
				return -EINVAL;
			cpus[(*n)++] = (unsigned)c;
		}
		s = *end ? end + 1 : end;
	}
	return *n ? 0 : -EINVAL;
}

/* V_CHOICE: @v must be one of @o->arg's values; the message lists them
 * ("'split' is not kernel or none"). */
static int parse_choice(const struct opt_spec *o, const char *v, const char **out, char *err,
			size_t len)
{
	char alts[128] = "";
	size_t used = 0;

	for (const char *a = o->arg; a;) {
		const char *bar = strchr(a, '|');
		size_t n = bar ? (size_t)(bar - a) : strlen(a);

		if (strlen(v) == n && strncmp(a, v, n) == 0) {
			*out = v;
			return 0;
		}
		used += (size_t)snprintf(alts + used, used < sizeof(alts) ? sizeof(alts) - used : 0,
					 "%s%.*s", a == o->arg ? "" : bar ? ", " : " or ", (int)n, a);
		a = bar ? bar + 1 : NULL;
	}
	return fail(err, len, "--%s: '%s' is not %s", o->name, v, alts);
}

static int apply(struct vb_run_config *cfg, const struct opt_spec *o, const char *v, char *err,
		 size_t len)
{
	char *field = (char *)cfg + o->offset;

	switch (o->kind) {
	case V_NONE:
		*(bool *)field = true;
		return 0;
	case V_COUNT:
	case V_UINT:
		return parse_number(o, v, (unsigned *)field, err, len);
	case V_SECONDS:
		return parse_seconds(o, v, (unsigned *)field, err, len);
	case V_STRING:
	case V_CHOICE:
		if (!*v)
			return fail(err, len, "--%s: the value is empty", o->name);
		if (o->kind == V_CHOICE)
			return parse_choice(o, v, (const char **)field, err, len);
		*(const char **)field = v;
		return 0;
	case V_CPULIST:
		if (vb_cpulist_parse(v, cfg->pin, VB_PIN_MAX, &cfg->npin))
			return fail(err, len, "--%s: '%s' is not a CPU list like 0-3,6", o->name, v);
		return 0;
	case V_SWEEP:
		return vb_sweep_parse(v, &cfg->sweep, err, len);
	case V_OPTIONAL:
		cfg->trace = true;
		if (v && !*v)
			return fail(err, len, "--%s: the event list is empty", o->name);
		*(const char **)field = v;
		return 0;
	}
	return 0;
}

static void set_defaults(struct vb_run_config *cfg)
{
	*cfg = (struct vb_run_config){
		.vms = 1, .vcpus = 1, .iterations = 1, .exits = 1, .mem_mib = 32,
		.timeout_ms = 10000, .guest = "pio", .irqchip = "kernel", .pit = "kernel", .smp = "direct",
		.cmdline = VB_KERNEL_CMDLINE_DEFAULT,
	};
}

static size_t spec_index(const char *name)
{
	size_t i = 0;

	while (i < NSPECS && strcmp(specs[i].name, name) != 0)
		i++;
	return i;
}

/* --irqchip, --pit and --smp (their values checked by parse_choice): what
 * they imply and what they rule out. */
static int check_boot_mode(struct vb_run_config *cfg, const bool *seen, char *err, size_t len)
{
	bool sipi = strcmp(cfg->smp, "sipi") == 0;

	if (sipi && seen[spec_index("irqchip")] && strcmp(cfg->irqchip, "none") == 0)
		return fail(err, len, "--smp sipi: needs --irqchip kernel (the APIC sends the SIPIs)");
	if (sipi)
		cfg->irqchip = "kernel";
	cfg->irqchip_kernel = strcmp(cfg->irqchip, "kernel") == 0;
	/* KVM_CREATE_PIT2 needs the in-kernel irqchip. */
	if (!cfg->irqchip_kernel && seen[spec_index("pit")] && strcmp(cfg->pit, "kernel") == 0)
		return fail(err, len, "--pit kernel: needs --irqchip kernel (the PIT's interrupts go "
				      "to its PIC and IOAPIC)");
	if (!cfg->irqchip_kernel)
		cfg->pit = "none";
	cfg->pit_kernel = strcmp(cfg->pit, "kernel") == 0;
	cfg->smp_sipi = sipi;
	if (sipi && (cfg->vcpus < 2 || (cfg->sweep.nvcpus && cfg->sweep.vcpus[0] < 2)))
		return fail(err, len, "--smp sipi: needs 2 or more vCPUs per VM (vCPU 0 wakes the others)");
	if (sipi && seen[spec_index("guest")])
		return fail(err, len, "--guest: --smp sipi boots its own guests (sipi, sipi-ap)");
	if (sipi && seen[spec_index("exits")])
		return fail(err, len, "--exits: with --smp sipi the round trip after vCPU 0's first "
				      "exit is sipi_send, and the others have none");
	if (sipi)
		cfg->exits = 0;
	/* The default guest's hlt would wait in the kernel for an interrupt:
	 * with an in-kernel irqchip it is exit-loop, whose exits are all outs. */
	if (cfg->irqchip_kernel && !seen[spec_index("guest")])
		cfg->guest = "exit-loop";
	if (!sipi && (strcmp(cfg->guest, "sipi") == 0 || strcmp(cfg->guest, "sipi-ap") == 0))
		return fail(err, len, "--guest: '%s' is booted by --smp sipi", cfg->guest);
	/* With the APIC in the kernel, hlt waits there for an interrupt and
	 * never returns to the VMM. */
	if (cfg->irqchip_kernel && strcmp(cfg->guest, "hlt") == 0)
		return fail(err, len, "--guest: 'hlt' exits by halting, which an in-kernel irqchip never "
				      "returns to userspace; use --irqchip none");
	if (cfg->irqchip_kernel && strcmp(cfg->guest, "pio") == 0 && cfg->exits && !sipi)
		return fail(err, len, "--exits: the 'pio' guest halts after its first exit, which an "
				      "in-kernel irqchip never returns; use --exits 0 or --guest exit-loop");
	return 0;
}

/* --kernel: the guest is the kernel, it wakes its own APs, and its
 * devices need the in-kernel irqchip (LAPIC, IOAPIC, PIT). */
static int check_kernel(struct vb_run_config *cfg, const bool *seen, char *err, size_t len)
{
	static const char *const refused[] = { "guest", "exits", "verify" };

	if (cfg->kernel && cfg->default_kernel)
		return fail(err, len, "--linux: conflicts with --kernel (--linux is a default kernel)");
	if (!cfg->kernel && !cfg->default_kernel) {
		if (seen[spec_index("initrd")] || seen[spec_index("cmdline")])
			return fail(err, len, "--%s: needs --kernel",
				    seen[spec_index("initrd")] ? "initrd" : "cmdline");
		return 0;
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (seen[spec_index(refused[i])])
			return fail(err, len, "--%s: conflicts with --kernel (the guest is the kernel)",
				    refused[i]);
	if (strcmp(cfg->smp, "sipi") == 0)
		return fail(err, len, "--smp sipi: conflicts with --kernel (the guest kernel wakes its "
				      "APs itself by INIT-SIPI)");
	if (strcmp(cfg->irqchip, "kernel") != 0)
		return fail(err, len, "--irqchip none: conflicts with --kernel (a Linux guest needs the "
				      "in-kernel LAPIC and IOAPIC)");
	cfg->exits = 0;
	/* Firecracker's figure for its boot SLA (1 vCPU, 128 MiB). */
	if (!seen[spec_index("mem")])
		cfg->mem_mib = VB_KERNEL_MEM_DEFAULT_MIB;
	return 0;
}

static int check_combination(struct vb_run_config *cfg, const bool *seen, char *err,
			     size_t len)
{
	if (check_kernel(cfg, seen, err, len))
		return 2;
	if (cfg->verify && seen[spec_index("guest")] && strcmp(cfg->guest, "selfcheck") != 0)
		return fail(err, len, "--verify: boots the 'selfcheck' guest, not '%s'", cfg->guest);
	if (check_boot_mode(cfg, seen, err, len))
		return 2;
	if (cfg->quiet && cfg->json)
		return fail(err, len, "--json: conflicts with --quiet");
	if (cfg->sweep.nvms && seen[spec_index("vms")])
		return fail(err, len, "--vms: conflicts with --sweep vms=...");
	if (cfg->sweep.nvcpus && seen[spec_index("vcpus")])
		return fail(err, len, "--vcpus: conflicts with --sweep vcpus=...");
	if ((cfg->sweep.nvms || cfg->sweep.nvcpus) && cfg->json)
		return fail(err, len, "--sweep: conflicts with --json (print one point at a time)");
	return 0;
}

/* "1,2,4" into @v (at most VB_SWEEP_MAX values, each 1..@max, increasing). */
static int sweep_values(const char *axis, const char *list, unsigned max, unsigned *v, size_t *n,
			char *err, size_t len)
{
	char buf[512], *save = NULL;

	*n = 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long long x;

		if (parse_decimal(tok, &x) || x < 1 || x > max)
			return fail(err, len, "--sweep: %s value '%s' is not an integer in 1..%u", axis,
				    tok, max);
		if (*n == VB_SWEEP_MAX)
			return fail(err, len, "--sweep: more than %d %s values", VB_SWEEP_MAX, axis);
		if (*n && x <= v[*n - 1])
			return fail(err, len, "--sweep: %s values must increase ('%s' after %u)", axis,
				    tok, v[*n - 1]);
		v[(*n)++] = (unsigned)x;
	}
	return *n ? 0 : fail(err, len, "--sweep: no %s values", axis);
}

int vb_sweep_parse(const char *s, struct vb_sweep *out, char *err, size_t errlen)
{
	char buf[1024], *save = NULL;

	*out = (struct vb_sweep){ 0 };
	if (!*s || strlen(s) >= sizeof(buf))
		return fail(err, errlen, "--sweep: '%s' is not AXIS=LIST like vms=1,2,4", s);
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(part, '=');
		int r;

		if (!eq)
			return fail(err, errlen, "--sweep: '%s' is not AXIS=LIST like vms=1,2,4", part);
		*eq = '\0';
		if (strcmp(part, "vms") == 0 && !out->nvms)
			r = sweep_values("vms", eq + 1, VB_MAX_VMS, out->vms, &out->nvms, err, errlen);
		else if (strcmp(part, "vcpus") == 0 && !out->nvcpus)
			r = sweep_values("vcpus", eq + 1, VB_MAX_VCPUS, out->vcpus, &out->nvcpus, err,
					 errlen);
		else
			return fail(err, errlen, "--sweep: '%s' is not an axis (vms, vcpus; each once)",
				    part);
		if (r)
			return r;
	}
	return 0;
}

const char *vb_run_initrd_file(const struct vb_run_config *cfg)
{
	return cfg->initrd && strcmp(cfg->initrd, "none") != 0 ? cfg->initrd : NULL;
}

int vb_run_options_parse(struct vb_run_config *cfg, int argc, char **argv, char *err,
			 size_t errlen)
{
	struct option longopts[NSPECS + 1];
	bool seen[NSPECS] = { false };
	int idx, c;

	set_defaults(cfg);
	for (size_t i = 0; i < NSPECS; i++)
		longopts[i] = (struct option){ specs[i].name,
			specs[i].kind == V_NONE ? no_argument :
			specs[i].kind == V_OPTIONAL ? optional_argument : required_argument,
			NULL, (int)i + 256 };
	longopts[NSPECS] = (struct option){ 0 };
	optind = 0; /* reset getopt: parse may run more than once (tests) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, &idx)) != -1) {
		const struct opt_spec *o;

		if (c == '?' && optopt >= 256)
			return fail(err, errlen, "--%s: missing value", specs[optopt - 256].name);
		if (c == '?')
			return fail(err, errlen, "'%s': unknown option", argv[optind - 1]);
		o = &specs[c - 256];
		if (strcmp(o->name, "help") == 0)
			return 1;
		if (seen[c - 256])
			return fail(err, errlen, "--%s: given twice", o->name);
		seen[c - 256] = true;
		if (apply(cfg, o, optarg, err, errlen))
			return 2;
	}
	if (optind < argc)
		return fail(err, errlen, "'%s': unexpected argument", argv[optind]);
	if (check_combination(cfg, seen, err, errlen))
		return 2;
	if (cfg->smp_sipi)
		cfg->guest = "sipi"; /* and sipi-ap for the others */
	else if (cfg->verify)
		cfg->guest = "selfcheck";
	return 0;
}

void vb_run_options_usage(FILE *f)
{
	fputs("usage: vcpubench run [options]\n\n", f);
	for (size_t i = 0; i < NSPECS; i++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s%s", specs[i].name,
			 specs[i].kind == V_OPTIONAL ? "[=" : specs[i].arg ? " " : "",
			 specs[i].arg ? specs[i].arg : "", specs[i].kind == V_OPTIONAL ? "]" : "");
		fprintf(f, "  %-24s %s\n", left, specs[i].help);
	}
}

size_t vb_run_options_count(void)
{
	return NSPECS;
}

void vb_run_option_doc(size_t i, struct vb_run_option_doc *d)
{
	*d = (struct vb_run_option_doc){ .name = specs[i].name, .arg = specs[i].arg,
					 .help = specs[i].help,
					 .optional_value = specs[i].kind == V_OPTIONAL,
					 .choice = specs[i].kind == V_CHOICE };
}
