/* The real-mode part of the protocol guest's bzImage: one boot sector and
 * one setup sector, holding the setup header a boot loader reads at 0x1f1
 * (Documentation/arch/x86/boot.rst, protocol 2.15). Only the 64-bit entry
 * point is supported (XLF_KERNEL_64): a 16-bit loader that jumps to 0x200
 * lands on a halt loop, since nothing here asks the BIOS for an e820 map.
 * syssize and init_size come from proto.ld, which places these sectors
 * just below the protected-mode part in the flat image. */
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
	cli
2:	hlt
	jmp 2b
	.balign 1024, 0			/* to the end of the setup sector */
