/* exit-loop: port writes of a counter, one KVM_EXIT_IO per KVM_RUN, for
 * --exits: the shortest loop that exits on every iteration. */
	.code64
	.text
	.globl _start
_start:
	xorl	%eax, %eax
1:	outl	%eax, $0xe9
	incl	%eax
	jmp	1b
