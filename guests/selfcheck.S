/* selfcheck, for --verify: reads its own boot state and reports each item
 * as two 32-bit port writes to 0xea (low word, then high word), in the order
 * of enum vb_selfcheck_item (src/selfcheck.h). No stack is used: rsp is
 * reported first, untouched. sgdt/sidt store to scratch memory: 16 bytes
 * per vCPU at 0x8000 + 16 * (APIC id & 0xff), below the page tables, so
 * the vCPUs of one VM do not overwrite each other's tables between store
 * and load (ids 256 apart share a slot; they would have to race within a
 * few instructions). Then it keeps exiting on port 0xe9. */
	.code64
	.text
	.globl _start

.macro report
	outl	%eax, $0xea
	shrq	$32, %rax
	outl	%eax, $0xea
.endm

.macro report_selector seg
	xorl	%eax, %eax
	movw	\seg, %ax
	report
.endm

_start:
	movq	%rsp, %rax
	report
	movq	%cr0, %rax
	report
	movq	%cr3, %rax
	report
	movq	%cr4, %rax
	report
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	shlq	$32, %rdx
	orq	%rdx, %rax
	report
	report_selector %cs
	report_selector %ds
	report_selector %es
	report_selector %fs
	report_selector %gs
	report_selector %ss
	xorl	%eax, %eax
	strw	%ax
	report
	movl	$1, %eax		/* CPUID.1:EBX[31:24] = initial APIC id */
	cpuid
	shrl	$24, %ebx
	shll	$4, %ebx
	addl	$0x8000, %ebx
	sgdt	(%rbx)
	movq	2(%rbx), %rax
	report
	movzwl	(%rbx), %eax
	report
	sidt	(%rbx)
	movq	2(%rbx), %rax
	report
	movzwl	(%rbx), %eax
	report
	/* The local APIC. In the kernel (the runner's flag at 0x7004,
	 * VB_BOOT_FLAGS_ADDR): its x2APIC id and LVT LINT0 and LINT1 through
	 * the x2APIC MSRs (the identity map does not cover the xAPIC page;
	 * rdmsr clears the upper halves of rax and rdx). Without one, those
	 * MSRs would fault: the initial APIC id from CPUID and all ones for
	 * the LVT entries there are none of. */
	testl	$1, 0x7004
	jz	2f
	movl	$0x1b, %ecx		/* IA32_APIC_BASE: enable, x2APIC mode */
	rdmsr
	orl	$0xc00, %eax
	wrmsr
	movl	$0x802, %ecx		/* x2APIC id */
	rdmsr
	report
	movl	$0x835, %ecx		/* LVT LINT0 */
	rdmsr
	report
	movl	$0x836, %ecx		/* LVT LINT1 */
	rdmsr
	report
	jmp	1f
2:	movl	$1, %eax		/* CPUID.1:EBX[31:24] */
	cpuid
	shrl	$24, %ebx
	movl	%ebx, %eax
	report
	movq	$-1, %rax
	report
	movq	$-1, %rax
	report
1:	outb	%al, $0xe9
	jmp	1b
