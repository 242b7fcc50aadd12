/* --kernel through the real binary. By default: what is refused up front
 * (exit 2, one line, nothing created) needs no boot. With the argument
 * "boot" (the slow test, VB_SLOW_TESTS): the minimal kernel of
 * tools/linux-guest booted to its init at 1x1. */
#include "e2e.h"

/* Exit 2, exactly one line on stderr containing @want, nothing created. */
static void refused(const char *dir, const char *want, const char *const *args)
{
	struct e2e r;
	const char *nl;

	e2e_run_opts(&r, NULL, args);
	CHECK_EQ_U64(r.status, 2);
	nl = strchr(r.err, '\n');
	CHECK(nl && nl[1] == '\0');
	if (!strstr(r.err, want))
		fprintf(stderr, "stderr '%s' lacks '%s'\n", r.err, want);
	CHECK(strstr(r.err, want) != NULL);
	CHECK(!e2e_exists(dir));
}

/* A file that is no bzImage: the failed check is named. */
static void test_not_bzimage(void)
{
	char dir[256], file[300];
	FILE *f;

	e2e_tmpname(dir, sizeof(dir), "k");
	snprintf(file, sizeof(file), "%s.bin", dir);
	f = fopen(file, "w");
	for (int i = 0; i < 4096; i++)
		fputc(0x90, f);
	fclose(f);
	refused(dir, "--kernel: '", (const char *const[]){ "run", "--kernel", file, "--out", dir, NULL });
	refused(dir, "boot_flag at 0x1fe is not 0xaa55",
		(const char *const[]){ "run", "--kernel", file, "--out", dir, NULL });
	unlink(file);
	refused(dir, "--kernel: cannot read '",
		(const char *const[]){ "run", "--kernel", file, "--out", dir, NULL });
	refused(dir, "--initrd: needs --kernel",
		(const char *const[]){ "run", "--initrd", file, "--out", dir, NULL });
}

/* --linux with no kernel fetched: where it looked, and how to fetch it. */
static void test_linux_not_fetched(void)
{
	char dir[256];

	e2e_tmpname(dir, sizeof(dir), "lx");
	setenv("VB_CACHE", "/nonexistent-vcpubench-cache", 1);
	refused(dir, "--linux: no linux-image-amd64 in '/nonexistent-vcpubench-cache/kernels/"
		"by-name/linux-image-amd64' (fetch it once: tools/vm --prepare",
		(const char *const[]){ "run", "--linux", "--out", dir, NULL });
	unsetenv("VB_CACHE");
}

static void test_conflicts(void)
{
	char dir[256];

	e2e_tmpname(dir, sizeof(dir), "c");
	refused(dir, "--guest: conflicts with --kernel",
		(const char *const[]){ "run", "--kernel", "/x", "--guest", "pio", "--out", dir, NULL });
	refused(dir, "--exits: conflicts with --kernel",
		(const char *const[]){ "run", "--kernel", "/x", "--exits", "3", "--out", dir, NULL });
	refused(dir, "--verify: conflicts with --kernel",
		(const char *const[]){ "run", "--kernel", "/x", "--verify", "--out", dir, NULL });
	refused(dir, "--smp sipi: conflicts with --kernel",
		(const char *const[]){ "run", "--kernel", "/x", "--smp", "sipi", "--vcpus", "2",
				       "--out", dir, NULL });
	refused(dir, "--irqchip none: conflicts with --kernel",
		(const char *const[]){ "run", "--kernel", "/x", "--irqchip", "none", "--out", dir,
				       NULL });
}

/* A bzImage header with nothing behind it but nops (boot.rst's fields):
 * one setup sector, protocol 2.15, XLF_KERNEL_64, a 255-byte command
 * line, 8 MiB of init_size. */
static void write_image(const char *file, const unsigned char *entry, size_t n)
{
	static unsigned char img[1024 + 4096];
	FILE *f = fopen(file, "w");

	memset(img, 0x90, sizeof(img));
	memcpy(img + 1024 + 0x200, entry, n);       /* startup_64 */
	memset(img, 0, 1024);
	img[0x1f1] = 1;                         /* setup_sects */
	img[0x1f4] = 0; img[0x1f5] = 1;         /* syssize: 256 paragraphs */
	img[0x1fe] = 0x55; img[0x1ff] = 0xaa;   /* boot_flag */
	img[0x200] = 0xeb; img[0x201] = 0x66;   /* jmp past the header (its length) */
	memcpy(img + 0x202, "HdrS", 4);
	img[0x206] = 0x0f; img[0x207] = 0x02;   /* version 2.15 */
	img[0x211] = 0x01;                      /* loadflags: LOADED_HIGH */
	img[0x236] = 0x01;                      /* xloadflags: XLF_KERNEL_64 */
	img[0x238] = 255;                       /* cmdline_size */
	img[0x262] = 0x80;                      /* init_size: 8 MiB */
	fwrite(img, 1, sizeof(img), f);
	fclose(f);
}

static void write_header_only(const char *file)
{
	write_image(file, (const unsigned char *)"\x90", 1);
}

/* A real header's limits: the command line's length and --mem. */
static void test_header_limits(void)
{
	char dir[256], file[300], line[300];

	e2e_tmpname(dir, sizeof(dir), "l");
	snprintf(file, sizeof(file), "%s.bz", dir);
	write_header_only(file);
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	refused(dir, "--cmdline: 299 bytes is longer than the kernel allows (255)",
		(const char *const[]){ "run", "--kernel", file, "--cmdline", line, "--out", dir,
				       NULL });
	refused(dir, "--mem: 4 MiB is too small for kernel + initrd",
		(const char *const[]){ "run", "--kernel", file, "--mem", "4", "--out", dir, NULL });
	unlink(file);
}

/* Exit 1, one line with @want, the results kept and marked incomplete. */
static void guest_fails(const char *want, const unsigned char *entry, size_t n, const char *vms)
{
	char dir[256], file[300];
	struct e2e r;
	json_t *m;

	e2e_tmpname(dir, sizeof(dir), "f");
	snprintf(file, sizeof(file), "%s.bz", dir);
	write_image(file, entry, n);
	E2E_RUN(&r, "run", "--kernel", file, "--vms", vms, "--timeout", "1", "--quiet", "--out",
		dir);
	CHECK_EQ_U64(r.status, 1);
	if (!strstr(r.err, want))
		fprintf(stderr, "stderr '%s' lacks '%s'\n", r.err, want);
	CHECK(strstr(r.err, want) != NULL);
	CHECK(strchr(r.err, '\n') && strchr(r.err, '\n')[1] == '\0');
	m = e2e_meta(dir);
	CHECK(m && json_is_false(json_object_get(m, "complete")));
	json_decref(m);
	CHECK(e2e_count(dir, "phases.csv", 5, "kernel_load") == atol(vms));
	CHECK(e2e_exists(dir) && e2e_count(dir, "console.csv", 1, "0") == 0);
	unlink(file);
}

/* A guest that triple-faults at its entry (ud2 with no IDT entry), and
 * one that spins there and never writes the boot timer. */
static void test_guest_failures(void)
{
	e2e_need_kvm();
	guest_fails("vm 0: vcpu 0: triple fault (KVM_EXIT_SHUTDOWN) (milestone reached: none; "
		    "last console line: '')", (const unsigned char *)"\x0f\x0b", 2, "1");
	guest_fails("no init within --timeout, at rip 0x",
		    (const unsigned char *)"\xeb\xfe", 2, "2");
}

/* The minimal kernel @kernel with the init @initrd at 1x1, to its init's
 * boot-timer write: every new phase and milestone there, the console
 * captured, the init's report matching --vcpus and --mem. */
static void test_boot(const char *kernel, const char *initrd)
{
	static const char *const want[] = { "kernel_load", "boot_params", "guest_first_output",
					    "guest_init", "linux_boot", "first_run" };
	char dir[256];
	struct e2e r;
	json_t *m, *vm;

	e2e_need_kvm();
	e2e_tmpname(dir, sizeof(dir), "boot");
	E2E_RUN(&r, "run", "--kernel", kernel, "--initrd", initrd, "--mem", "128", "--timeout",
		"1200", "--quiet", "--out", dir);
	if (r.status)
		fprintf(stderr, "stderr: %s\n", r.err);
	CHECK_EQ_U64(r.status, 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(e2e_count(dir, "phases.csv", 5, want[i]) == 1);
	CHECK(e2e_count(dir, "phases.csv", 5, "mptable") == 1); /* with 1 vCPU too */
	CHECK(e2e_count(dir, "console.csv", 1, "0") > 10);
	m = e2e_meta(dir);
	vm = json_array_get(json_object_get(json_object_get(json_object_get(m, "kernel"), "guests"),
					    "vms"), 0);
	CHECK(json_is_true(json_object_get(vm, "init")));
	CHECK_EQ_U64(json_integer_value(json_object_get(vm, "cpus")), 1);
	/* sysinfo's totalram: --mem less the kernel's image and reservations,
	 * so at most 128 MiB and (a minimal kernel) well above half of it. */
	CHECK(json_integer_value(json_object_get(vm, "mem_kib")) > 64 * 1024);
	CHECK(json_integer_value(json_object_get(vm, "mem_kib")) <= 128 * 1024);
	json_decref(m);
}

/* The protocol guest (guests/proto) at @vms x @vcpus in 64 MiB: every
 * phase and milestone once per VM, its console captured, and the CPUs and
 * memory it found as given: the e820 RAM is --mem less the EBDA-to-1-MiB
 * hole (0x9fc00-0x100000, 385 KiB). */
static void proto_boots(unsigned vms, unsigned vcpus)
{
	static const char *const want[] = { "vm_create", "kernel_load", "boot_params", "mptable",
					    "guest_first_output", "guest_init", "guest_reset",
					    "linux_boot", "vm_teardown" };
	char dir[256], nvms[16], nvcpus[16];
	json_t *m, *list, *vm;
	struct e2e r;
	size_t i;

	e2e_tmpname(dir, sizeof(dir), "proto");
	snprintf(nvms, sizeof(nvms), "%u", vms);
	snprintf(nvcpus, sizeof(nvcpus), "%u", vcpus);
	E2E_RUN(&r, "run", "--kernel", VB_PROTO_IMAGE, "--vms", nvms, "--vcpus", nvcpus, "--mem",
		"64", "--quiet", "--out", dir);
	if (r.status)
		fprintf(stderr, "stderr: %s\n", r.err);
	CHECK_EQ_U64(r.status, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_EQ_U64(e2e_count(dir, "phases.csv", 5, want[i]), vms);
	CHECK_EQ_U64(e2e_count(dir, "phases.csv", 5, "vcpu_create"), vms * vcpus);
	m = e2e_meta(dir);
	CHECK(m && json_is_true(json_object_get(m, "complete")));
	list = json_object_get(json_object_get(json_object_get(m, "kernel"), "guests"), "vms");
	CHECK_EQ_U64(json_array_size(list), vms);
	json_array_foreach(list, i, vm) {
		char id[16];

		CHECK(json_is_true(json_object_get(vm, "init")));
		CHECK_EQ_STR(json_string_value(json_object_get(vm, "milestone")), "guest_reset");
		CHECK_EQ_U64(json_integer_value(json_object_get(vm, "cpus")), vcpus);
		CHECK_EQ_U64(json_integer_value(json_object_get(vm, "mem_kib")), 64 * 1024 - 385);
		snprintf(id, sizeof(id), "%lld",
			 (long long)json_integer_value(json_object_get(vm, "vm")));
		CHECK(e2e_count(dir, "console.csv", 1, id) >= 5);
	}
	json_decref(m);
}

/* The protocol guest misbehaving on purpose (its vbproto.* options): one
 * line naming what happened and the last console line, exit 1, the
 * results kept and marked incomplete. */
static void proto_fails(const char *opt, const char *want, const char *alt)
{
	char dir[256], cmdline[128];
	struct e2e r;
	json_t *m;

	e2e_tmpname(dir, sizeof(dir), "pf");
	snprintf(cmdline, sizeof(cmdline), "console=ttyS0 %s", opt);
	E2E_RUN(&r, "run", "--kernel", VB_PROTO_IMAGE, "--vms", "2", "--vcpus", "2", "--cmdline",
		cmdline, "--timeout", "3", "--quiet", "--out", dir);
	CHECK_EQ_U64(r.status, 1);
	if (!strstr(r.err, want) && !(alt && strstr(r.err, alt)))
		fprintf(stderr, "stderr '%s' lacks '%s'\n", r.err, want);
	CHECK(strstr(r.err, want) || (alt && strstr(r.err, alt)));
	CHECK(strstr(r.err, "milestone reached: guest_first_output; last console line: '"));
	CHECK(strchr(r.err, '\n') && strchr(r.err, '\n')[1] == '\0');
	m = e2e_meta(dir);
	CHECK(m && json_is_false(json_object_get(m, "complete")));
	json_decref(m);
	CHECK_EQ_U64(e2e_count(dir, "phases.csv", 5, "guest_first_output"), 2);
	CHECK_EQ_U64(e2e_count(dir, "phases.csv", 5, "guest_init"), 0);
}

static void test_proto(void)
{
	e2e_need_kvm();
	proto_boots(1, 1);
	proto_boots(2, 2);
	proto_boots(8, 4);
	/* kvm_pvm reports a triple fault as an internal error. */
	proto_fails("vbproto.fault=triple", "triple fault (KVM_EXIT_SHUTDOWN)",
		    "KVM internal error");
	proto_fails("vbproto.panic", "kernel panic (milestone", NULL);
	proto_fails("vbproto.noinit", "no init within --timeout, at rip 0x", NULL);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "boot") == 0) {
		test_boot(argv[2], argv[3]);
		return vb_check_exit();
	}
	test_not_bzimage();
	test_conflicts();
	test_linux_not_fetched();
	test_header_limits();
	test_guest_failures();
	test_proto();
	return vb_check_exit();
}
