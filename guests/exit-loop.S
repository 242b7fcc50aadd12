/* exit-loop, the default guest: port writes of a counter, one KVM_EXIT_IO
 * per KVM_RUN: the shortest loop that exits on every iteration, and one that
 * never halts (with an in-kernel APIC, hlt never returns to the VMM). */
	.code64
	.text
	.globl _start
_start:
	xorl	%eax, %eax
1:	outl	%eax, $0xe9
	incl	%eax
	jmp	1b
