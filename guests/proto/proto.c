/* proto_main: what early Linux does with a 64-bit boot loader's zero
 * page, reduced to what the host's --kernel path must serve: the e820
 * map, the command line, the initrd, the console, the CPUs from the MP
 * table; then, as the kernel's init would, the boot-timer report (CPU
 * count, memory in KiB, magic byte) and a reset through the i8042.
 *
 * Command-line options (vbproto.*) make it misbehave on purpose, for the
 * host's error paths: fault=triple (KVM_EXIT_SHUTDOWN), noinit (never
 * reaches init), panic (a "Kernel panic" line, then spins). */
#include <asm/bootparam.h>

#include "../boot_timer_abi.h"
#include "proto.h"

#define E820_RAM 1u
#define CMDLINE_MAX 2047u
#define INITRD_SUM_BYTES 4096u
#define IDENTITY_MAP_END (1ull << 30)
#define I8042_CMD 0x64
#define I8042_RESET 0xfe

void proto_main(const struct boot_params *bp);

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	uint8_t *dp = d;

	while (n--)
		*dp++ = (uint8_t)c;
	return d;
}

static void __attribute__((noreturn)) spin(void)
{
	for (;;)
		proto_pause();
}

/* Whether the command line @cl holds the word @opt (space-separated). */
static int has_opt(const char *cl, const char *opt)
{
	const char *p = cl;

	while (*p) {
		const char *a = p, *b = opt;

		while (*a && *a == *b)
			a++, b++;
		if (!*b && (*a == ' ' || !*a))
			return 1;
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return 0;
}

static uint64_t e820_ram_kib(const struct boot_params *bp)
{
	uint64_t bytes = 0;
	unsigned n = bp->e820_entries;

	if (n > E820_MAX_ENTRIES_ZEROPAGE)
		n = E820_MAX_ENTRIES_ZEROPAGE;
	for (unsigned i = 0; i < n; i++)
		if (bp->e820_table[i].type == E820_RAM)
			bytes += bp->e820_table[i].size;
	proto_puts("vbproto: e820 ");
	proto_putu(n);
	proto_puts(" entries, RAM ");
	proto_putu(bytes >> 10);
	proto_puts(" KiB\n");
	return bytes >> 10;
}

/* A private copy, bounded by the header's cmdline_size, as the kernel
 * copies boot_command_line. */
static void cmdline_read(const struct boot_params *bp, char *out)
{
	uint64_t a = bp->hdr.cmd_line_ptr | ((uint64_t)bp->ext_cmd_line_ptr << 32);
	unsigned i = 0;

	if (a && a < IDENTITY_MAP_END)
		for (const char *s = (const char *)(uintptr_t)a; i < CMDLINE_MAX && s[i]; i++)
			out[i] = s[i];
	out[i] = '\0';
	proto_puts("vbproto: cmdline '");
	proto_puts(out);
	proto_puts("'\n");
}

static void initrd_read(const struct boot_params *bp)
{
	uint64_t a = bp->hdr.ramdisk_image | ((uint64_t)bp->ext_ramdisk_image << 32);
	uint64_t n = bp->hdr.ramdisk_size | ((uint64_t)bp->ext_ramdisk_size << 32);
	uint32_t sum = 0;

	if (!a || !n)
		return;
	proto_puts("vbproto: initrd ");
	proto_putu(n);
	proto_puts(" bytes at ");
	proto_putx(a);
	if (a + n > IDENTITY_MAP_END) {
		proto_puts(", past the identity map: not read\n");
		return;
	}
	for (uint64_t i = 0; i < n && i < INITRD_SUM_BYTES; i++)
		sum = sum * 31 + ((const volatile uint8_t *)(uintptr_t)a)[i];
	proto_puts(", sum ");
	proto_putx(sum);
	proto_puts("\n");
}

static unsigned cpus_bring_up(void)
{
	static struct proto_cpus cpus;
	unsigned up = 1;

	if (proto_mptable_read(&cpus) < 0) {
		proto_puts("vbproto: no MP table, 1 CPU\n");
		cpus.n = 1;
	} else if (cpus.n > 1) {
		up += proto_smp_boot(&cpus);
	}
	proto_puts("vbproto: cpus ");
	proto_putu(up);
	proto_puts(" of ");
	proto_putu(cpus.n);
	proto_puts("\n");
	return up;
}

void proto_main(const struct boot_params *bp)
{
	static char cmdline[CMDLINE_MAX + 1];
	uint64_t kib;
	unsigned cpus;

	proto_console_probe();
	proto_puts("vbproto: protocol guest, boot protocol ");
	proto_putx(bp->hdr.version);
	proto_puts("\n");
	kib = e820_ram_kib(bp);
	cmdline_read(bp, cmdline);
	if (has_opt(cmdline, "vbproto.fault=triple")) {
		proto_puts("vbproto: triple fault\n");
		proto_triple_fault();
	}
	if (has_opt(cmdline, "vbproto.panic")) {
		proto_puts("Kernel panic - not syncing: vbproto.panic\n");
		spin();
	}
	initrd_read(bp);
	cpus = cpus_bring_up();
	if (has_opt(cmdline, "vbproto.noinit")) {
		proto_puts("vbproto: noinit: no init to run\n");
		spin();
	}
	proto_puts("Run /init as init process\n");
	proto_outl(VB_BOOT_TIMER_CPUS, cpus);
	proto_outl(VB_BOOT_TIMER_MEM, (uint32_t)kib);
	proto_outb(VB_BOOT_TIMER_PORT, VB_BOOT_TIMER_MAGIC);
	proto_outb(I8042_CMD, I8042_RESET);
	spin();
}
