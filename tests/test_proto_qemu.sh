#!/bin/sh
# The protocol guest (guests/proto/) booted by QEMU under TCG, no KVM
# needed: through QEMU's own loader (the 16-bit entry, then the same
# 64-bit code vcpubench enters) it must print its console lines, report
# through the boot-timer port (isa-debug-exit at 0xf4: exit status
# 123 * 2 + 1) and misbehave as each vbproto.* option asks.
# Usage: test_proto_qemu.sh IMAGE. Exit 4 (skip) without qemu-system-x86_64.
set -u
img=$1
qemu=$(command -v qemu-system-x86_64) || { echo "skip: no qemu-system-x86_64"; exit 4; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
head -c 3000 /dev/zero | tr '\0' 'z' >"$tmp/initrd"

# boot SECONDS CMDLINE: console in $tmp/out, QEMU's status in $rc.
boot() {
	timeout "$1" "$qemu" -accel tcg -cpu max -M microvm -m 64 -nodefaults \
		-no-reboot -nographic -serial "file:$tmp/out" -monitor none \
		-device isa-debug-exit,iobase=0xf4 -kernel "$img" \
		-initrd "$tmp/initrd" -append "$2" </dev/null >/dev/null 2>&1
	rc=$?
}
want() { grep -qF "$1" "$tmp/out" || { echo "FAIL ($2): no '$1' in:"; cat "$tmp/out"; fail=1; }; }
never() { ! grep -qF "$1" "$tmp/out" || { echo "FAIL ($2): '$1' printed"; fail=1; }; }
status() { [ "$rc" = "$1" ] || { echo "FAIL ($2): status $rc, want $1"; fail=1; }; }

boot 60 "console=ttyS0 vbproto.x"
status 247 init
want "vbproto: e820 " init
want "vbproto: cmdline 'console=ttyS0 vbproto.x'" init
want "vbproto: initrd 3000 bytes at " init
want "vbproto: cpus 1 of 1" init
want "Run /init as init process" init

boot 60 "vbproto.fault=triple"
status 0 triple   # -no-reboot: QEMU exits on the triple fault's reset
want "vbproto: triple fault" triple
never "Run /init" triple

boot 5 "vbproto.panic"
status 124 panic  # spins: only the timeout ends it
want "Kernel panic - not syncing: vbproto.panic" panic
never "Run /init" panic

boot 5 "vbproto.noinit"
status 124 noinit
want "vbproto: noinit" noinit
never "Run /init" noinit

exit $fail
