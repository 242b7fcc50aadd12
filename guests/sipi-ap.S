/* sipi-ap, every other vCPU's guest under --smp sipi, at VB_SIPI_ENTRY
 * (0x8000) where the STARTUP vector starts it, in real mode: switch its
 * APIC to x2APIC mode and report its APIC id with a 32-bit port write (its
 * first exit; --verify checks the id), then halt (it is not run again). */
	.code16
	.text
	.globl _start
_start:
	movl	$0x1b, %ecx
	rdmsr
	orl	$0xc00, %eax
	wrmsr
	movl	$0x802, %ecx		/* the x2APIC id */
	rdmsr
	outl	%eax, $0xe9
1:	hlt
	jmp	1b
