/* mmio: a store to VB_GUEST_MMIO_ADDR, identity-mapped by the boot page
 * tables but backed by no memory slot: KVM_EXIT_MMIO. Repeats. */
	.code64
	.text
	.globl _start
_start:
	movl	$0x3ffff000, %edi
1:	movb	%al, (%rdi)
	jmp	1b
