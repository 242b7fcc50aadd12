/* The boot-timer convention between guests/init.c and the host's device
 * (src/dev/boot_timer.h, issue 18, which says why these ports): the init
 * reports what it saw, its online CPU count as a 32-bit write to port 0xf8
 * and its memory (sysinfo's totalram) in KiB as a 32-bit write to port
 * 0xfc, then writes Firecracker's magic byte 123 to port 0xf4 as "init
 * reached". The same values as that header, which this libc-free guest
 * cannot include before the two branches meet: when they do, init.c
 * includes src/dev/boot_timer.h and this file goes. */
#ifndef VB_BOOT_TIMER_ABI_H
#define VB_BOOT_TIMER_ABI_H

#define VB_BOOT_TIMER_PORT 0xf4 /* byte: VB_BOOT_TIMER_MAGIC */
#define VB_BOOT_TIMER_CPUS 0xf8 /* u32: online CPUs the init saw */
#define VB_BOOT_TIMER_MEM 0xfc  /* u32: memory the init saw, KiB */
#define VB_BOOT_TIMER_MAGIC 123

#endif
