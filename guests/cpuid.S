/* cpuid: CPUID leaf 0 (a VM exit KVM handles in the kernel, with the
 * CPUID table the runner set), then a port write reporting its eax
 * (KVM_EXIT_IO): the first userspace exit includes one in-kernel exit. */
	.code64
	.text
	.globl _start
_start:
1:	xorl	%eax, %eax
	cpuid
	outl	%eax, $0xe9
	jmp	1b
