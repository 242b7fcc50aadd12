/* hlt: the first instruction halts; without an in-kernel irqchip KVM
 * returns KVM_EXIT_HLT to userspace. Repeats for --exits. */
	.code64
	.text
	.globl _start
_start:
1:	hlt
	jmp	1b
