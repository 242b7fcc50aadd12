/* --kernel through the real binary. By default: what is refused up front
 * (exit 2, one line, nothing created) needs no boot. With the argument
 * "boot" (the slow test, VB_SLOW_TESTS): the minimal kernel of
 * tools/linux-guest booted to its init at 1x1. */
#include "e2e.h"

/* A usage error (e2e_usage_error) that created nothing. */
static void refused(const char *dir, const char *want, const char *const *args)
{
	e2e_usage_error(want, args);
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

/* Exit 1, one line with @want, the results kept and marked incomplete;
 * @map, when given, is the System.map written beside the image. */
static void guest_fails_map(const char *want, const unsigned char *entry, size_t n,
			    const char *vms, const char *map)
{
	char dir[256], file[300], mapfile[320];
	struct e2e r;
	json_t *m;
	FILE *f;

	e2e_tmpname(dir, sizeof(dir), "f");
	snprintf(file, sizeof(file), "%s.bz", dir);
	write_image(file, entry, n);
	snprintf(mapfile, sizeof(mapfile), "%.*sSystem.map", (int)(strrchr(file, '/') + 1 - file),
		 file);
	if (map) {
		f = fopen(mapfile, "w");
		CHECK(f != NULL);
		if (f) {
			fputs(map, f);
			fclose(f);
		}
	}
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
	if (map)
		unlink(mapfile);
}

static void guest_fails(const char *want, const unsigned char *entry, size_t n, const char *vms)
{
	guest_fails_map(want, entry, n, vms, NULL);
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
	/* With a System.map beside the image the rip is named: the loop is
	 * the kernel's 64-bit entry, 0x200 into the image at 1 MiB. */
	guest_fails_map("no init within --timeout, at rip 0x100200 startup_64+0x200 (running, ",
			(const unsigned char *)"\xeb\xfe", 2, "1",
			"0000000000100000 T startup_64\n0000000000200000 D some_data\n");
}

/* @kernel booted at @vms x @vcpus in @mem MiB with the built-in init:
 * every phase and milestone once per VM, its console captured, and the
 * CPUs and memory its init reported: @vcpus, and in KiB from @mem_min to
 * @mem_max. */
static void boots(const char *kernel, unsigned vms, unsigned vcpus, unsigned mem,
		  long mem_min, long mem_max, const char *timeout)
{
	static const char *const want[] = { "vm_create", "kernel_load", "boot_params", "mptable",
					    "first_run", "guest_first_output", "guest_init",
					    "guest_reset", "linux_boot", "vm_teardown" };
	char dir[256], nvms[16], nvcpus[16], nmem[16];
	json_t *m, *list, *vm;
	struct e2e r;
	size_t i;

	e2e_tmpname(dir, sizeof(dir), "boot");
	snprintf(nvms, sizeof(nvms), "%u", vms);
	snprintf(nvcpus, sizeof(nvcpus), "%u", vcpus);
	snprintf(nmem, sizeof(nmem), "%u", mem);
	E2E_RUN(&r, "run", "--kernel", kernel, "--vms", nvms, "--vcpus", nvcpus, "--mem", nmem,
		"--timeout", timeout, "--quiet", "--out", dir);
	if (r.status)
		fprintf(stderr, "stderr: %s\n", r.err);
	CHECK_EQ_U64(r.status, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_EQ_U64(e2e_count(dir, "phases.csv", 5, want[i]),
			     strcmp(want[i], "first_run") ? vms : vms * vcpus);
	m = e2e_meta(dir);
	CHECK(m && json_is_true(json_object_get(m, "complete")));
	CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(m, "kernel"), "initrd")),
		     "built-in");
	list = json_object_get(json_object_get(json_object_get(m, "kernel"), "guests"), "vms");
	CHECK_EQ_U64(json_array_size(list), vms);
	json_array_foreach(list, i, vm) {
		long kib = (long)json_integer_value(json_object_get(vm, "mem_kib"));
		char id[16];

		CHECK(json_is_true(json_object_get(vm, "init")));
		CHECK_EQ_STR(json_string_value(json_object_get(vm, "milestone")), "guest_reset");
		CHECK_EQ_U64(json_integer_value(json_object_get(vm, "cpus")), vcpus);
		if (kib < mem_min || kib > mem_max)
			fprintf(stderr, "vm %zu: mem_kib %ld not in [%ld, %ld]\n", i, kib, mem_min,
				mem_max);
		CHECK(kib >= mem_min && kib <= mem_max);
		snprintf(id, sizeof(id), "%lld",
			 (long long)json_integer_value(json_object_get(vm, "vm")));
		CHECK(e2e_count(dir, "console.csv", 1, id) >= 5);
	}
	json_decref(m);
}

/* @kernel run with @args (NULL-ended, after --kernel) fails as a guest
 * does: one line with @want (or @alt) and the milestone, exit 1, the
 * results kept and marked incomplete, @outputs VMs with console output
 * (-1: any number, the milestone unchecked: how far a slow guest got in
 * a short --timeout depends on the host). */
static void fails(const char *kernel, const char *const *args, const char *want,
		  const char *alt, long outputs)
{
	const char *argv[24] = { "run", "--kernel", kernel };
	char dir[256];
	struct e2e r;
	size_t n = 3;
	json_t *m;

	e2e_tmpname(dir, sizeof(dir), "pf");
	while (*args && n < 19)
		argv[n++] = *args++;
	argv[n++] = "--quiet";
	argv[n++] = "--out";
	argv[n++] = dir;
	argv[n] = NULL;
	e2e_run_opts(&r, NULL, argv);
	CHECK_EQ_U64(r.status, 1);
	if (!strstr(r.err, want) && !(alt && strstr(r.err, alt)))
		fprintf(stderr, "stderr '%s' lacks '%s'\n", r.err, want);
	CHECK(strstr(r.err, want) || (alt && strstr(r.err, alt)));
	CHECK(outputs < 0 ||
	      strstr(r.err, "milestone reached: guest_first_output; last console line: '"));
	CHECK(strchr(r.err, '\n') && strchr(r.err, '\n')[1] == '\0');
	m = e2e_meta(dir);
	CHECK(m && json_is_false(json_object_get(m, "complete")));
	json_decref(m);
	if (outputs >= 0)
		CHECK_EQ_U64(e2e_count(dir, "phases.csv", 5, "guest_first_output"), outputs);
	CHECK_EQ_U64(e2e_count(dir, "phases.csv", 5, "guest_init"), 0);
}

/* The protocol guest (guests/proto) at 1x1, 2x2 and 8x4 in 64 MiB: its
 * e820 RAM is --mem less the EBDA-to-1-MiB hole (0x9fc00-0x100000, 385
 * KiB), exactly; and misbehaving on purpose (its vbproto.* options). */
static void test_proto(void)
{
	const long kib = 64 * 1024 - 385;

	e2e_need_kvm();
	boots(VB_PROTO_IMAGE, 1, 1, 64, kib, kib, "10");
	boots(VB_PROTO_IMAGE, 2, 2, 64, kib, kib, "10");
	boots(VB_PROTO_IMAGE, 8, 4, 64, kib, kib, "10");
	/* kvm_pvm reports a triple fault as an internal error. */
	fails(VB_PROTO_IMAGE, (const char *const[]){ "--vms", "2", "--vcpus", "2", "--cmdline",
		"console=ttyS0 vbproto.fault=triple", NULL },
	      "triple fault (KVM_EXIT_SHUTDOWN)", "KVM internal error", 2);
	fails(VB_PROTO_IMAGE, (const char *const[]){ "--vms", "2", "--vcpus", "2", "--cmdline",
		"console=ttyS0 vbproto.panic", NULL }, "kernel panic (milestone", NULL, 2);
	fails(VB_PROTO_IMAGE, (const char *const[]){ "--vms", "2", "--vcpus", "2", "--cmdline",
		"console=ttyS0 vbproto.noinit", "--timeout", "3", NULL },
	      "no init within --timeout, at rip 0x", NULL, 2);
}

/* The minimal kernel of tools/linux-guest (the slow test, in the test VM):
 * at 1x1 and 2x2 (it wakes its second CPU itself) to its init, its memory
 * sysinfo's totalram (--mem less its image and reservations: above half of
 * it); with no initramfs it panics; in 2 s it reaches no init. */
static void test_linux(const char *kernel)
{
	boots(kernel, 1, 1, 128, 64 * 1024, 128 * 1024, "180");
	boots(kernel, 2, 2, 128, 64 * 1024, 128 * 1024, "180");
	fails(kernel, (const char *const[]){ "--initrd", "none", "--timeout", "180", NULL },
	      "kernel panic (milestone", NULL, 1);
	fails(kernel, (const char *const[]){ "--timeout", "2", NULL },
	      "no init within --timeout, at rip 0x", NULL, -1);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "boot") == 0) {
		test_linux(argv[2]);
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
