/* sipi, vCPU 0's guest under --smp sipi: a port write (the first exit:
 * ready), then INIT and STARTUP (vector VB_SIPI_VECTOR) to every other
 * vCPU through the x2APIC's ICR, which KVM handles without an exit, then a
 * second port write (the end of sipi_send). The number of vCPUs is the
 * 32-bit word the runner wrote at VB_BOOT_VCPUS_ADDR; APIC ids are vCPU
 * indexes. x2APIC, because the identity map does not cover the xAPIC
 * page at 0xfee00000. */
	.code64
	.text
	.globl _start
_start:
	outb	%al, $0xe9
	movl	$0x1b, %ecx		/* IA32_APIC_BASE: enable, x2APIC mode */
	rdmsr
	orl	$0xc00, %eax
	wrmsr
	movl	0x7000, %esi		/* VB_BOOT_VCPUS_ADDR */
	movl	$1, %ebx
1:	cmpl	%esi, %ebx
	jae	2f
	movl	$0x830, %ecx		/* the ICR; destination in edx */
	movl	%ebx, %edx
	movl	$0x4500, %eax		/* INIT, assert */
	wrmsr
	movl	$0x4608, %eax		/* STARTUP, vector 0x08: 0x8000 */
	wrmsr
	incl	%ebx
	jmp	1b
2:	outb	%al, $0xe9
3:	hlt
	jmp	3b
