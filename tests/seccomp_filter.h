/* Make this process and its children see the file system the way 9p (and
 * NFS, many FUSE file systems) shows it, on any host: renameat2() with
 * flags fails with EINVAL; optionally link()/linkat() fail with EPERM, as
 * on a file system without hard links. Shared by test_publish.c and the
 * no_renameat2 wrapper the end-to-end tests run the binary under. */
#ifndef VB_TEST_SECCOMP_FILTER_H
#define VB_TEST_SECCOMP_FILTER_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#ifndef __x86_64__
#error "the seccomp filter knows x86_64 syscall numbers only"
#endif

/* Install the filter (irrevocable, inherited across fork and exec).
 * renameat2() with flags 0 is still allowed: 9p refuses only the flags.
 * Syscalls of another ABI pass untouched: this emulates a file system, it
 * is no sandbox. 0 or -errno (-EINVAL: no seccomp filters in the kernel). */
static inline int vb_seccomp_install(bool refuse_link)
{
	/* Jump offsets count from the next instruction. */
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_renameat2, 0, 4),
		/* flags is an unsigned int: the low half of args[4]. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[4])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_link, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_linkat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, refuse_link ? SECCOMP_RET_ERRNO | EPERM : SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = {
		.len = (unsigned short)(sizeof(prog) / sizeof(prog[0])),
		.filter = prog,
	};

	/* Lets an unprivileged process install a filter. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) < 0)
		return -errno;
	return 0;
}

#endif
