/* The Linux guest's PID 1 (packed as /init in initramfs.cpio): reports
 * what the guest kernel gave it, signals the boot timer and resets.
 *
 * No libc: built -nostdlib -static -ffreestanding into a static ELF, the
 * few system calls made directly. It mounts nothing: the CPU count comes
 * from sched_getaffinity(2) (init's affinity is every online CPU), the
 * memory from sysinfo(2), and /dev/console is a node in the cpio itself. */
#include "boot_timer_abi.h"

#define SYS_write 1
#define SYS_open 2
#define SYS_ioctl 16
#define SYS_sysinfo 99
#define SYS_reboot 169
#define SYS_ioperm 173
#define SYS_sched_getaffinity 204
#define SYS_exit_group 231

#define O_WRONLY 01
#define O_NOCTTY 0400
#define TCSBRK 0x5409 /* with arg 1: tcdrain(3) */

/* <linux/reboot.h> */
#define REBOOT_MAGIC1 0xfee1deadul
#define REBOOT_MAGIC2 672274793ul
#define REBOOT_CMD_RESTART 0x01234567ul

/* struct sysinfo of the x86-64 ABI, up to the field used. */
struct kernel_sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char reserved[256];
};

void init_main(void);

/* A freestanding program provides memset itself: compilers may emit calls
 * to it for a zeroed aggregate (clang does for the arrays below). */
void *memset(void *s, int c, unsigned long n);
void *memset(void *s, int c, unsigned long n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static long sys4(long nr, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static void outb(unsigned short port, unsigned char v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void outl(unsigned short port, unsigned int v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static unsigned int online_cpus(void)
{
	unsigned long mask[16] = { 0 };
	long n = sys3(SYS_sched_getaffinity, 0, sizeof(mask), (long)mask);
	unsigned int cpus = 0;

	/* Bit by bit: -ffreestanding has no libgcc popcount to call. */
	for (long i = 0; i < n / (long)sizeof(mask[0]); i++)
		for (unsigned long m = mask[i]; m; m &= m - 1)
			cpus++;
	return cpus;
}

/* KiB, as the boot timer takes it: sysinfo's totalram, what the kernel
 * manages (less than --mem by the firmware's, the image's and reserved
 * ranges); 0 when sysinfo fails. */
static unsigned int memory_kib(void)
{
	struct kernel_sysinfo si = { 0 };

	if (sys3(SYS_sysinfo, (long)&si, 0, 0) < 0)
		return 0;
	return (unsigned int)(si.totalram * (si.mem_unit ? si.mem_unit : 1) >> 10);
}

/* "0" .. "4294967295" into buf, returning the end. */
static char *put_u32(char *buf, unsigned int v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*buf++ = tmp[--n];
	return buf;
}

static char *put_str(char *buf, const char *s)
{
	while (*s)
		*buf++ = *s++;
	return buf;
}

static void console_line(unsigned int cpus, unsigned int kib)
{
	char line[96], *p = line;
	long fd = sys3(SYS_open, (long)"/dev/console", O_WRONLY | O_NOCTTY, 0);

	p = put_str(p, "vcpubench-init: cpus=");
	p = put_u32(p, cpus);
	p = put_str(p, " mem_kib=");
	p = put_u32(p, kib);
	*p++ = '\n';
	/* Without the node the kernel's own fd 1 may still be the console. */
	fd = fd >= 0 ? fd : 1;
	sys3(SYS_write, fd, (long)line, p - line);
	/* Until the UART has sent it: the boot-timer write that follows may
	 * end the VM (QEMU's isa-debug-exit does) with the line still queued. */
	sys3(SYS_ioctl, fd, TCSBRK, 1);
}

void init_main(void)
{
	unsigned int cpus = online_cpus(), kib = memory_kib();

	console_line(cpus, kib);
	/* The report first: the magic says "init reached, report complete".
	 * Ports 0xf4..0xff, one ioperm range; if it is refused (a kernel
	 * without X86_IOPL_IOPERM) the host sees no init and says so. */
	if (sys3(SYS_ioperm, VB_BOOT_TIMER_PORT, VB_BOOT_TIMER_MEM + 4 - VB_BOOT_TIMER_PORT, 1) == 0) {
		outl(VB_BOOT_TIMER_CPUS, cpus);
		outl(VB_BOOT_TIMER_MEM, kib);
		outb(VB_BOOT_TIMER_PORT, VB_BOOT_TIMER_MAGIC);
	}
	/* The kernel's own reset path (reboot=k: the i8042's 0xfe), not a
	 * user-space outb to 0x64: the kernel tries its other methods when
	 * one fails. Nothing is mounted, so nothing needs a sync. */
	sys4(SYS_reboot, (long)REBOOT_MAGIC1, (long)REBOOT_MAGIC2, (long)REBOOT_CMD_RESTART, 0);
	sys3(SYS_exit_group, 1, 0, 0); /* PID 1 exiting: the kernel panics */
	for (;;)
		;
}

/* The ELF entry: the stack as the kernel left it is 16-byte aligned;
 * the call keeps the ABI's alignment for init_main. */
__asm__(".globl _start\n"
	"_start:\n"
	"\txor %ebp, %ebp\n"
	"\tcall init_main\n"
	"\thlt\n");
