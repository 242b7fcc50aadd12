/* fw_smp: bench/peers' firmware for QEMU -smp N. The BSP wakes every AP
 * the only way x86 has, INIT then SIPI through its local APIC; each AP
 * adds one to a counter in RAM and halts; the BSP waits until the count
 * reaches fw_cfg's CPU count (or a spin bound runs out) and writes the
 * count to isa-debug-exit, so QEMU exits with status (count << 1) | 1:
 * 17 when all 8 vCPUs of -smp 8 ran guest code.
 *
 * A 64 KiB -bios image. QEMU maps it below 4 GiB (reset vector at
 * 0xfffffff0) and again at 0xf0000, where real-mode code runs from and
 * where SIPI vector 0xf0 starts the APs: at offset 0 of this image. All
 * of it runs in real mode; only differences of labels are used, so the
 * object needs no linking. */
#define DEBUG_EXIT_PORT 0xf4
#define FW_CFG_PORT_SEL 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_NB_CPUS 0x05
#define COUNTER 0x500              /* RAM: vCPUs that ran */
#define ISA_BASE 0xf0000           /* this image's second mapping */
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_EN 0x800
#define APIC_BASE_EXTD 0x400        /* x2APIC mode */
#define MSR_X2APIC_ICR 0x830
#define ICR_ALL_BUT_SELF 0x000c0000 /* shorthand 11, level assert */
#define ICR_INIT 0x00000500
#define ICR_SIPI 0x00000600
#define SIPI_VECTOR (ISA_BASE >> 12)
#define SPIN_BOUND 0x100000         /* the BSP never waits forever */

	.code16
	.text
image:
/* AP entry: CS = 0xf000, IP = 0. */
ap:
	xor	%ax, %ax
	mov	%ax, %ds
	lock incw COUNTER
	cli
1:	hlt
	jmp	1b

bsp:
	xor	%ax, %ax
	mov	%ax, %ds
	movw	$1, COUNTER
	mov	$FW_CFG_NB_CPUS, %ax
	mov	$FW_CFG_PORT_SEL, %dx
	outw	%ax, %dx
	mov	$FW_CFG_PORT_DATA, %dx
	inb	%dx, %al
	mov	%al, %bl
	inb	%dx, %al
	mov	%al, %bh                /* bx: number of vCPUs */
	/* x2APIC: the ICR is an MSR, so real mode reaches it. The xAPIC's
	 * MMIO page at 0xfee00000 would need protected mode, and on the
	 * development host (kvm_pvm) the far jump into it never completes. */
	mov	$MSR_APIC_BASE, %ecx
	rdmsr
	or	$(APIC_BASE_EN | APIC_BASE_EXTD), %eax
	wrmsr
	mov	$MSR_X2APIC_ICR, %ecx
	xor	%edx, %edx
	mov	$(ICR_ALL_BUT_SELF | ICR_INIT), %eax
	wrmsr
	/* The SDM's INIT-SIPI-SIPI; no delays: KVM's APIC handles a pending
	 * INIT before a pending SIPI, and ignores a SIPI to a running AP. */
	mov	$(ICR_ALL_BUT_SELF | ICR_SIPI | SIPI_VECTOR), %eax
	wrmsr
	wrmsr
	mov	$SPIN_BOUND, %ecx
2:	movw	COUNTER, %ax
	cmp	%bx, %ax
	jae	3f
	pause
	dec	%ecx
	jnz	2b
3:	outb	%al, $DEBUG_EXIT_PORT
4:	hlt
	jmp	4b

	.code16
	.org	0xfff0, 0xff
reset:
	ljmp	$(ISA_BASE >> 4), $(bsp - image)
	.org	0x10000, 0xff
	.section .note.GNU-stack, "", @progbits
