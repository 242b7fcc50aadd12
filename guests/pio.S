/* pio, the default guest with --irqchip none (the guest of earlier
 * results): one port write (KVM_EXIT_IO), then hlt (KVM_EXIT_HLT), over
 * and over: two instructions to the first exit. With an in-kernel APIC the
 * hlt waits in the kernel for an interrupt, so exit-loop is the default. */
	.code64
	.text
	.globl _start
_start:
1:	outb	%al, $0xe9
	hlt
	jmp	1b
