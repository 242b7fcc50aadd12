/* The protected-mode part's entry points, at 1 MiB where the loader put
 * it: startup_32 (unsupported: halts) and startup_64 at +0x200, entered
 * in long mode with the loader's identity map and rsi = the zero page.
 * Also the APs' real-mode trampoline, which proto_main copies below
 * 1 MiB, and the deliberate triple fault of vbproto.fault=triple. */
	.section .head.text, "ax"
	.code32
	.globl startup_32
startup_32:
	cli
1:	hlt
	jmp 1b

	.org 0x200
	.code64
	.globl startup_64
startup_64:
	cli
	cld
	leaq	proto_stack_top(%rip), %rsp
	movq	%rsi, %rdi		/* proto_main(zero page) */
	call	proto_main
2:	hlt
	jmp 2b

	.text
	.globl proto_triple_fault
proto_triple_fault:			/* no IDT: int3 cannot be delivered */
	lidt	null_idt(%rip)
	int3
3:	hlt
	jmp 3b

	.section .rodata
	.balign 16
null_idt:
	.word 0
	.quad 0

/* The AP trampoline: copied to a page below 1 MiB whose number is the
 * STARTUP vector, where each AP starts in real mode with cs = that page
 * and ip = 0, so its data is addressed cs-relative. Each AP switches its
 * APIC to x2APIC mode, sets its APIC id's bit in the id map, counts
 * itself in, then halts with interrupts off for good. */
	.balign 16
	.globl proto_trampoline
	.globl proto_trampoline_end
	.globl proto_trampoline_count
	.globl proto_trampoline_ids
	.code16
proto_trampoline:
	cli
	movl	$0x1b, %ecx		/* IA32_APIC_BASE: x2APIC enable */
	rdmsr
	orl	$0xc00, %eax
	wrmsr
	movl	$0x802, %ecx		/* the x2APIC id */
	rdmsr
	andl	$0xff, %eax
	lock btsl %eax, %cs:(tramp_ids - proto_trampoline)
	lock incl %cs:(tramp_count - proto_trampoline)
4:	hlt
	jmp	4b
	.balign 4
tramp_count:
	.long 0
tramp_ids:
	.fill 8, 4, 0			/* 256 bits: APIC ids 0..255 */
proto_trampoline_end:
	.code64
	.set proto_trampoline_count, tramp_count - proto_trampoline
	.set proto_trampoline_ids, tramp_ids - proto_trampoline

	.bss
	.balign 16
	.skip 16384
proto_stack_top:

	.section .note.GNU-stack, "", @progbits
