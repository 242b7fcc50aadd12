/* The real-mode part of the protocol guest's bzImage: one boot sector and
 * one setup sector, holding the setup header a boot loader reads at 0x1f1
 * (Documentation/arch/x86/boot.rst, protocol 2.15). vcpubench enters at
 * the 64-bit entry (XLF_KERNEL_64); a 16-bit loader that jumps to 0x200
 * (QEMU's -kernel) gets a short path of its own into the same entry.
 * syssize and init_size come from proto.ld, which places these sectors
 * just below the protected-mode part in the flat image. */
/* The 16-bit entry's memory, offsets in the setup's segment (the
 * loader's heap and stack area, below the command line at +0x10000). */
#define RM_ZERO_PAGE 0x1000
#define RM_PML4 0x2000
#define RM_PDPT 0x3000
#define RM_PD 0x4000
#define RM_TABLES_END 0x5000
#define RM_STACK 0x8000

	.code16
	.section .setup, "ax"
	.globl setup_start
setup_start:
	.fill 0x1f1, 1, 0
	.byte 1				/* 0x1f1 setup_sects: 1 + boot sector */
	.word 0				/* 0x1f2 root_flags */
	.long proto_syssize		/* 0x1f4 syssize, 16-byte paragraphs */
	.word 0				/* 0x1f8 ram_size */
	.word 0xffff			/* 0x1fa vid_mode: normal */
	.word 0				/* 0x1fc root_dev */
	.word 0xaa55			/* 0x1fe boot_flag */
	.byte 0xeb			/* 0x200 jump over the header */
	.byte hdr_end - 1f
1:	.ascii "HdrS"			/* 0x202 header */
	.word 0x020f			/* 0x206 version 2.15 */
	.long 0				/* 0x208 realmode_swtch */
	.word 0				/* 0x20c start_sys_seg */
	.word 0				/* 0x20e kernel_version */
	.byte 0				/* 0x210 type_of_loader */
	.byte 0x01			/* 0x211 loadflags: LOADED_HIGH */
	.word 0				/* 0x212 setup_move_size */
	.long 0x100000			/* 0x214 code32_start */
	.long 0				/* 0x218 ramdisk_image */
	.long 0				/* 0x21c ramdisk_size */
	.long 0				/* 0x220 bootsect_kludge */
	.word 0				/* 0x224 heap_end_ptr */
	.byte 0				/* 0x226 ext_loader_ver */
	.byte 0				/* 0x227 ext_loader_type */
	.long 0				/* 0x228 cmd_line_ptr */
	.long 0x3fffffff		/* 0x22c initrd_addr_max: the 1 GiB map */
	.long 0x200000			/* 0x230 kernel_alignment */
	.byte 0				/* 0x234 relocatable_kernel: no */
	.byte 21			/* 0x235 min_alignment: 2 MiB */
	.word 0x0001			/* 0x236 xloadflags: XLF_KERNEL_64 */
	.long 2047			/* 0x238 cmdline_size */
	.long 0				/* 0x23c hardware_subarch */
	.quad 0				/* 0x240 hardware_subarch_data */
	.long 0				/* 0x248 payload_offset */
	.long 0				/* 0x24c payload_length */
	.quad 0				/* 0x250 setup_data */
	.quad 0x100000			/* 0x258 pref_address */
	.long proto_init_size		/* 0x260 init_size */
	.long 0				/* 0x264 handover_offset */
	.long 0				/* 0x268 kernel_info_offset */
hdr_end:				/* 0x26c */
/* The 16-bit entry (cs = the setup's segment + 0x20, ds = that segment),
 * for loaders such as QEMU's -kernel that take it: what Linux's setup
 * does, reduced: a zero page of its own (the loaded header holds code
 * where boot_params' e820 table goes) with the header and the BIOS's
 * e820 map, an identity map of the first GiB, then long mode directly
 * and startup_64 with rsi = that zero page. */
	cli
	cld
	movw	%ds, %ax
	movw	%ax, %es
	movw	%ax, %ss
	movw	$RM_STACK, %sp
	xorl	%ebp, %ebp
	movw	%ds, %bp
	shll	$4, %ebp		/* ebp: the segment's linear base */
	movw	$RM_ZERO_PAGE, %di	/* zero page, page tables: cleared */
	xorw	%ax, %ax
	movw	$(RM_TABLES_END - RM_ZERO_PAGE) / 2, %cx
	rep stosw
	movw	$0x1f1, %si		/* the header into the zero page */
	movw	$RM_ZERO_PAGE + 0x1f1, %di
	movw	$hdr_end - 0x1f1, %cx
	rep movsb
	call	rm_e820
	call	rm_page_tables
	movl	%ebp, %eax		/* gdtr and far pointer: linear */
	addl	$gdt, %eax
	movl	%eax, gdtr + 2
	movl	%ebp, %eax
	addl	$rm_long, %eax
	movl	%eax, farptr
	lgdtl	gdtr
	movl	%cr4, %eax
	orl	$0x20, %eax		/* PAE */
	movl	%eax, %cr4
	leal	RM_PML4(%ebp), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER.LME */
	rdmsr
	orl	$0x100, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$0x80000001, %eax	/* PE | PG: long mode at once */
	movl	%eax, %cr0
	ljmpl	*farptr

/* The BIOS's map (int 0x15, eax 0xe820) into the zero page's table. */
rm_e820:
	xorl	%ebx, %ebx
	movw	$RM_ZERO_PAGE + 0x2d0, %di
1:	movl	$0xe820, %eax
	movl	$20, %ecx
	movl	$0x534d4150, %edx	/* "SMAP" */
	int	$0x15
	jc	2f
	cmpl	$0x534d4150, %eax
	jne	2f
	incb	RM_ZERO_PAGE + 0x1e8
	addw	$20, %di
	cmpb	$128, RM_ZERO_PAGE + 0x1e8
	jae	2f
	testl	%ebx, %ebx
	jnz	1b
2:	ret

/* PML4 -> PDPT -> PD of 512 2 MiB pages, as the 64-bit loader's. */
rm_page_tables:
	leal	RM_PDPT + 3(%ebp), %eax
	movl	%eax, RM_PML4
	leal	RM_PD + 3(%ebp), %eax
	movl	%eax, RM_PDPT
	movw	$RM_PD, %di
	movl	$0x83, %eax		/* present, writable, 2 MiB */
	movw	$512, %cx
3:	movl	%eax, (%di)
	addl	$0x200000, %eax
	addw	$8, %di
	loop	3b
	ret

	.code64
rm_long:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%ebp, %esi
	addl	$RM_ZERO_PAGE, %esi
	movl	$0x100200, %eax
	jmp	*%rax
	.code16

	.balign 8
gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
gdtr:
	.word 3 * 8 - 1
	.long 0
farptr:
	.long 0
	.word 0x08
	.balign 1024, 0			/* to the end of the setup sector */
