/* fw_exit: the smallest firmware QEMU can boot, for bench/peers. A 64 KiB
 * flat -bios image: QEMU maps it just below 4 GiB, so its last 16 bytes
 * hold the reset vector (0xfffffff0, where the BSP starts in real mode).
 * It writes one byte to isa-debug-exit (-device isa-debug-exit,
 * iobase=0xf4), and QEMU exits at once with status (value << 1) | 1, so
 * the whole run is QEMU's start-up, one vCPU's first instructions and its
 * first exit: the same work as vcpubench's pio guest, as a whole process. */
#define DEBUG_EXIT_PORT 0xf4
#define EXIT_VALUE 1 /* QEMU exits with status 3 */

	.code16
	.text
image:
	.org	0xfff0, 0xff
reset:
	mov	$EXIT_VALUE, %al
	outb	%al, $DEBUG_EXIT_PORT
1:	hlt		/* not reached: without isa-debug-exit, idle here */
	jmp	1b
	.org	0x10000, 0xff
	.section .note.GNU-stack, "", @progbits
