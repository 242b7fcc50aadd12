#!/bin/sh
# guests/mkinitramfs.sh OUT INIT: write the guest's initramfs, a cpio archive
# in the kernel's "newc" format (Documentation/driver-api/early-userspace/
# buffer-format.rst), holding /dev, the node /dev/console (char 5:1, which
# the kernel opens as init's fds 0-2) and INIT as /init.
#
# Written here rather than by cpio(1) or the kernel's gen_init_cpio because
# a device node in an archive made by cpio(1) must first exist on disk
# (mknod: root), and gen_init_cpio ships only in a kernel tree. Every
# header is 110 ASCII bytes: "070701" then 13 fields of 8 hex digits (ino
# mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor
# namesize check); the name (NUL included) and the data are each padded to
# 4 bytes. Owner root, mtime 0: the archive is reproducible.
set -eu
out=$1 init=$2
ino=0
pad() { # pad the archive to a multiple of 4 from byte count $1
	n=$(( (4 - $1 % 4) % 4 ))
	[ "$n" -eq 0 ] || head -c "$n" /dev/zero
}
entry() { # NAME MODE SIZE RDEVMAJOR RDEVMINOR [FILE]
	ino=$((ino + 1))
	namesize=$(( ${#1} + 1 ))
	nlink=1
	[ $(( $2 & 0170000 )) -eq $(( 0040000 )) ] && nlink=2
	printf '070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x' \
		"$ino" "$2" 0 0 "$nlink" 0 "$3" 0 0 "$4" "$5" "$namesize" 0
	printf '%s\0' "$1"
	pad $((110 + namesize))
	if [ $# -ge 6 ]; then
		cat "$6"
		pad "$3"
	fi
}
size=$(wc -c < "$init")
{
	entry dev $((0040755)) 0 0 0
	entry dev/console $((0020600)) 0 5 1
	entry init $((0100755)) "$size" 0 0 "$init"
	entry TRAILER!!! 0 0 0 0
} > "$out.tmp"
mv "$out.tmp" "$out"
