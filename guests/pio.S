/* pio, the default guest: one port write (KVM_EXIT_IO), then hlt
 * (KVM_EXIT_HLT), over and over: two instructions to the first exit. */
	.code64
	.text
	.globl _start
_start:
1:	outb	%al, $0xe9
	hlt
	jmp	1b
