/* Option parsing: defaults, every option, and every kind of bad value gives
 * exit 2 with one line naming the option and the value. */
#include "check.h"
#include "options.h"

static int parse(struct vb_run_config *cfg, char *err, const char *const *args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = "run";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return vb_run_options_parse(cfg, argc, argv, err, 256);
}

#define BAD(want, ...)                                                        \
	do {                                                                  \
		const char *const a_[] = { __VA_ARGS__, NULL };               \
		err[0] = '\0';                                                \
		CHECK(parse(&cfg, err, a_) == 2);                             \
		CHECK_EQ_STR(err, want);                                      \
	} while (0)

static void test_defaults(void)
{
	struct vb_run_config cfg;
	char err[256];
	const char *const none[] = { NULL };

	CHECK(parse(&cfg, err, none) == 0);
	CHECK_EQ_U64(cfg.vms, 1);
	CHECK_EQ_U64(cfg.vcpus, 1);
	CHECK_EQ_U64(cfg.iterations, 1);
	CHECK_EQ_U64(cfg.warmup, 0);
	CHECK_EQ_U64(cfg.exits, 1);
	CHECK_EQ_U64(cfg.mem_mib, 32);
	CHECK_EQ_U64(cfg.jobs, 0);
	CHECK_EQ_U64(cfg.timeout_ms, 10000);
	CHECK_EQ_STR(cfg.guest, "exit-loop"); /* pio's hlt would stay in the kernel */
	CHECK(cfg.irqchip_kernel && !cfg.smp_sipi);
	CHECK(cfg.pit_kernel);
	CHECK(!cfg.hold && !cfg.verify && !cfg.trace && !cfg.quiet && !cfg.json);
	CHECK(cfg.out == NULL && cfg.tag == NULL && cfg.npin == 0);
	CHECK(cfg.kernel == NULL && cfg.initrd == NULL);
	CHECK_EQ_STR(cfg.cmdline, VB_KERNEL_CMDLINE_DEFAULT);
}

static void test_all_options(void)
{
	struct vb_run_config cfg;
	char err[256];
	const char *const a[] = { "--vms", "4", "--vcpus=2", "--iterations", "3", "--warmup", "1",
				  "--guest", "hlt", "--irqchip", "none", "--exits", "0", "--mem", "64", "--jobs", "2",
				  "--pin", "0-1,3", "--hold", "--trace=kvm:kvm_pio,kvmmmu",
				  "--kvm-stats", "--timeout", "0.5", "--out", "/tmp/x", "--tag",
				  "t1", "--json", NULL };

	CHECK(parse(&cfg, err, a) == 0);
	CHECK_EQ_U64(cfg.vms, 4);
	CHECK_EQ_U64(cfg.vcpus, 2);
	CHECK_EQ_U64(cfg.iterations, 3);
	CHECK_EQ_U64(cfg.warmup, 1);
	CHECK_EQ_STR(cfg.guest, "hlt");
	CHECK_EQ_U64(cfg.exits, 0);
	CHECK_EQ_U64(cfg.mem_mib, 64);
	CHECK_EQ_U64(cfg.jobs, 2);
	CHECK_EQ_U64(cfg.npin, 3);
	CHECK(cfg.pin[0] == 0 && cfg.pin[1] == 1 && cfg.pin[2] == 3);
	CHECK(cfg.hold && cfg.trace && cfg.kvm_stats && cfg.json);
	CHECK_EQ_STR(cfg.trace_events, "kvm:kvm_pio,kvmmmu");
	CHECK_EQ_U64(cfg.timeout_ms, 500);
	CHECK_EQ_STR(cfg.out, "/tmp/x");
	CHECK_EQ_STR(cfg.tag, "t1");

	const char *const b[] = { "--trace", "--verify", NULL };
	CHECK(parse(&cfg, err, b) == 0);
	CHECK(cfg.trace && cfg.trace_events == NULL);
	CHECK(cfg.verify);
	CHECK_EQ_STR(cfg.guest, "selfcheck");

	const char *const h[] = { "--help", NULL };
	CHECK(parse(&cfg, err, h) == 1);
}

static void test_bad_values(void)
{
	struct vb_run_config cfg;
	char err[256];

	BAD("--vms: 'abc' is not a positive integer", "--vms", "abc");
	BAD("--vms: '' is not a positive integer", "--vms=");
	BAD("--vms: '-1' is not a positive integer", "--vms", "-1");
	BAD("--vms: '+1' is not a positive integer", "--vms", "+1");
	BAD("--vms: ' 1' is not a positive integer", "--vms", " 1");
	BAD("--vms: '1x' is not a positive integer", "--vms", "1x");
	BAD("--vms: '0' is out of range (1..65536)", "--vms", "0");
	BAD("--vms: '99999999999999999999' is out of range (1..65536)", "--vms",
	    "99999999999999999999");
	BAD("--vcpus: '0' is out of range (1..4096)", "--vcpus", "0");
	BAD("--vcpus: '4097' is out of range (1..4096)", "--vcpus", "4097");
	BAD("--iterations: '0' is out of range (1..1000000)", "--iterations", "0");
	BAD("--warmup: 'x' is not a non-negative integer", "--warmup", "x");
	BAD("--exits: '-3' is not a non-negative integer", "--exits", "-3");
	BAD("--mem: '1' is out of range (2..1023)", "--mem", "1");
	BAD("--mem: '1024' is out of range (2..1023)", "--mem", "1024");
	BAD("--jobs: '0' is out of range (1..4294967295)", "--jobs", "0");
	BAD("--timeout: 'soon' is not a number of seconds (0.001..86400)", "--timeout", "soon");
	BAD("--timeout: '0' is not a number of seconds (0.001..86400)", "--timeout", "0");
	BAD("--timeout: '-1' is not a number of seconds (0.001..86400)", "--timeout", "-1");
	BAD("--timeout: 'nan' is not a number of seconds (0.001..86400)", "--timeout", "nan");
	BAD("--pin: '3-1' is not a CPU list like 0-3,6", "--pin", "3-1");
	BAD("--pin: '0,' is not a CPU list like 0-3,6", "--pin", "0,");
	BAD("--pin: 'a' is not a CPU list like 0-3,6", "--pin", "a");
	BAD("--guest: the value is empty", "--guest", "");
	BAD("--out: the value is empty", "--out=");
	BAD("--trace: the event list is empty", "--trace=");
	BAD("'--nosuch': unknown option", "--nosuch");
	BAD("'--x?y': unknown option", "--x\ny"); /* one printable line, always */
	BAD("--vms: missing value", "--vms");
	BAD("--vms: given twice", "--vms", "1", "--vms", "2");
	BAD("'extra': unexpected argument", "extra");
	BAD("--verify: boots the 'selfcheck' guest, not 'pio'", "--verify", "--guest", "pio");
	BAD("--json: conflicts with --quiet", "--json", "--quiet");
}

static void test_sweep(void)
{
	struct vb_run_config cfg;
	char err[256];
	const char *const grid[] = { "--sweep", "vms=1,2,4;vcpus=8,16", "--hold", NULL };
	const char *const one[] = { "--sweep", "vcpus=1,1024", "--vms", "3", NULL };

	CHECK(parse(&cfg, err, grid) == 0);
	CHECK_EQ_U64(cfg.sweep.nvms, 3);
	CHECK_EQ_U64(cfg.sweep.vms[2], 4);
	CHECK_EQ_U64(cfg.sweep.nvcpus, 2);
	CHECK_EQ_U64(cfg.sweep.vcpus[1], 16);
	CHECK(cfg.hold);
	CHECK(parse(&cfg, err, one) == 0);
	CHECK_EQ_U64(cfg.sweep.nvms, 0);
	CHECK_EQ_U64(cfg.vms, 3);
	CHECK_EQ_U64(cfg.sweep.vcpus[1], 1024);
	BAD("--sweep: '' is not AXIS=LIST like vms=1,2,4", "--sweep=");
	BAD("--sweep: 'vms' is not AXIS=LIST like vms=1,2,4", "--sweep", "vms");
	BAD("--sweep: 'cpus' is not an axis (vms, vcpus; each once)", "--sweep", "cpus=1");
	BAD("--sweep: 'vms' is not an axis (vms, vcpus; each once)", "--sweep", "vms=1;vms=2");
	BAD("--sweep: vms value '0' is not an integer in 1..65536", "--sweep", "vms=0,1");
	BAD("--sweep: vms value 'x' is not an integer in 1..65536", "--sweep", "vms=1,x");
	BAD("--sweep: vcpus value '4097' is not an integer in 1..4096", "--sweep", "vcpus=4097");
	BAD("--sweep: vms values must increase ('2' after 4)", "--sweep", "vms=4,2");
	BAD("--sweep: no vms values", "--sweep", "vms=");
	BAD("--vms: conflicts with --sweep vms=...", "--sweep", "vms=1,2", "--vms", "2");
	BAD("--sweep: conflicts with --json (print one point at a time)", "--sweep", "vms=1,2",
	    "--json");

	/* A traced sweep records every point into one tracefs instance. */
	const char *const t[] = { "--sweep", "vcpus=1,2", "--trace", NULL };
	CHECK(parse(&cfg, err, t) == 0);
	CHECK(cfg.trace && cfg.sweep.nvcpus == 2);
}

static void test_cpulist(void)
{
	unsigned cpus[8];
	size_t n;

	CHECK(vb_cpulist_parse("0", cpus, 8, &n) == 0 && n == 1 && cpus[0] == 0);
	CHECK(vb_cpulist_parse("1-3,7", cpus, 8, &n) == 0 && n == 4 && cpus[3] == 7);
	CHECK(vb_cpulist_parse("", cpus, 8, &n) != 0);
	CHECK(vb_cpulist_parse("0-8", cpus, 8, &n) != 0); /* 9 CPUs > max 8 */
	CHECK(vb_cpulist_parse("1-", cpus, 8, &n) != 0);
	CHECK(vb_cpulist_parse("1,,2", cpus, 8, &n) != 0);
}

/* --kernel and --linux: --mem's default follows, --linux takes no --kernel. */
static void test_kernel(void)
{
	struct vb_run_config cfg;
	char err[256];

	CHECK(parse(&cfg, err, (const char *const[]){ "--kernel", "bz", NULL }) == 0);
	CHECK_EQ_U64(cfg.mem_mib, VB_KERNEL_MEM_DEFAULT_MIB);
	CHECK(parse(&cfg, err, (const char *const[]){ "--linux", "--mem", "64", NULL }) == 0);
	CHECK(cfg.default_kernel && cfg.kernel == NULL);
	CHECK_EQ_U64(cfg.mem_mib, 64);
	CHECK(parse(&cfg, err, (const char *const[]){ "--linux", "--initrd", "none", NULL }) == 0);
	CHECK(vb_run_initrd_file(&cfg) == NULL);
	CHECK(parse(&cfg, err, (const char *const[]){ "--kernel", "bz", "--initrd", "i", NULL }) == 0);
	CHECK_EQ_STR(vb_run_initrd_file(&cfg), "i");
	BAD("--linux: conflicts with --kernel (--linux is a default kernel)", "--linux", "--kernel",
	    "bz");
	BAD("--initrd: needs --kernel", "--initrd", "none");
	BAD("--guest: conflicts with --kernel (the guest is the kernel)", "--linux", "--guest",
	    "pio");
}

/* --irqchip, --pit and --smp: values, what they imply and what they rule out. */
static void test_boot_modes(void)
{
	struct vb_run_config cfg;
	char err[256];
	const char *const sipi[] = { "--smp", "sipi", "--vcpus", "8", "--verify", NULL };
	const char *const direct[] = { "--irqchip", "kernel", "--guest", "exit-loop", NULL };

	CHECK(parse(&cfg, err, sipi) == 0);
	CHECK(cfg.smp_sipi && cfg.irqchip_kernel);
	CHECK_EQ_STR(cfg.irqchip, "kernel");
	CHECK_EQ_STR(cfg.guest, "sipi"); /* not selfcheck: --verify checks the APs' ids */
	CHECK_EQ_U64(cfg.exits, 0);
	CHECK(parse(&cfg, err, direct) == 0);
	CHECK(cfg.irqchip_kernel && !cfg.smp_sipi);
	CHECK(parse(&cfg, err, (const char *const[]){ "--irqchip", "none", NULL }) == 0);
	CHECK(!cfg.irqchip_kernel && !cfg.smp_sipi); /* the sequence of earlier results */
	CHECK(!cfg.pit_kernel);
	CHECK_EQ_STR(cfg.pit, "none");
	CHECK_EQ_STR(cfg.guest, "pio");
	CHECK_EQ_U64(cfg.exits, 1);
	CHECK(parse(&cfg, err, (const char *const[]){ "--pit", "none", NULL }) == 0);
	CHECK(cfg.irqchip_kernel && !cfg.pit_kernel);
	BAD("--irqchip: 'split' is not kernel or none", "--irqchip", "split");
	BAD("--pit: 'i8254' is not kernel or none", "--pit", "i8254");
	BAD("--pit kernel: needs --irqchip kernel (the PIT's interrupts go to its PIC and IOAPIC)",
	    "--irqchip", "none", "--pit", "kernel");
	BAD("--smp: 'all' is not direct or sipi", "--smp", "all");
	BAD("--smp sipi: needs 2 or more vCPUs per VM (vCPU 0 wakes the others)", "--smp", "sipi");
	BAD("--smp sipi: needs 2 or more vCPUs per VM (vCPU 0 wakes the others)", "--smp", "sipi",
	    "--sweep", "vcpus=1,8");
	BAD("--smp sipi: needs --irqchip kernel (the APIC sends the SIPIs)", "--smp", "sipi",
	    "--vcpus", "2", "--irqchip", "none");
	BAD("--guest: --smp sipi boots its own guests (sipi, sipi-ap)", "--smp", "sipi", "--vcpus",
	    "2", "--guest", "pio");
	BAD("--exits: with --smp sipi the round trip after vCPU 0's first exit is sipi_send, and "
	    "the others have none", "--smp", "sipi", "--vcpus", "2", "--exits", "3");
	BAD("--guest: 'hlt' exits by halting, which an in-kernel irqchip never returns to "
	    "userspace; use --irqchip none", "--irqchip", "kernel", "--guest", "hlt");
	BAD("--exits: the 'pio' guest halts after its first exit, which an in-kernel irqchip never "
	    "returns; use --exits 0 or --guest exit-loop", "--guest", "pio");
	BAD("--guest: 'sipi-ap' is booted by --smp sipi", "--guest", "sipi-ap");
}

int main(void)
{
	test_defaults();
	test_boot_modes();
	test_kernel();
	test_all_options();
	test_bad_values();
	test_sweep();
	test_cpulist();
	return vb_check_exit();
}
