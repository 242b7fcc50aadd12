#!/usr/bin/env bash
# tests/test_linux_guest_build.sh INITRAMFS: tools/linux-guest builds (or
# finds cached) a bzImage whose setup header is one vcpubench can boot, a
# second call reuses it, the build's initramfs holds /init and
# /dev/console, and QEMU (TCG) boots the two to the init's boot-timer write.
# Slow the first time (a kernel build, ~6 min on 2 shared cores): "slow".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
initramfs=${1:?usage: test_linux_guest_build.sh INITRAMFS}
fail() { echo "test_linux_guest_build: $*" >&2; exit 1; }

policy=$(apt-cache policy linux-source-6.1 2>/dev/null)
[[ $policy == *"Candidate: "[0-9]* ]] || { echo "apt knows no linux-source-6.1: skipped"; exit 4; }

image=$("$here/../tools/linux-guest") || fail "tools/linux-guest failed"
[ -f "$image" ] || fail "'$image' does not exist"
file "$image" | grep -q 'Linux kernel x86 boot executable bzImage' || fail "'$image' is not a bzImage: $(file -b "$image")"

# Little-endian fields of the setup header (Documentation/arch/x86/boot.rst).
u16() { od -An -tu2 -j "$1" -N2 "$image" | tr -d ' '; }
[ "$(dd if="$image" bs=1 skip=$((0x202)) count=4 status=none)" = HdrS ] || fail "no HdrS magic at 0x202"
proto=$(u16 $((0x206)))
[ "$proto" -ge $((0x020c)) ] || fail "boot protocol $(printf %#x "$proto") < 2.12"
xlf=$(u16 $((0x236)))
[ $((xlf & 1)) -eq 1 ] || fail "xloadflags $(printf %#x "$xlf") lack XLF_KERNEL_64"
size=$(wc -c < "$image")
[ "$size" -lt $((8 << 20)) ] || fail "$size bytes: not a minimal kernel"

# Cached: the second call builds nothing and is instant.
start=$(date +%s%N)
again=$("$here/../tools/linux-guest") || fail "second tools/linux-guest failed"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$again" = "$image" ] || fail "second call gave '$again', not '$image'"
[ "$ms" -lt 5000 ] || fail "second call took $ms ms: the cache was not used"

list=$(cpio -it --quiet < "$initramfs") || fail "'$initramfs' is not a cpio archive"
for f in init dev/console; do
	grep -qx "$f" <<<"$list" || fail "'$initramfs' has no /$f (has: $list)"
done
long=$(cpio -itv --quiet < "$initramfs")
grep -q '^c.* 5, *1 .*dev/console$' <<<"$long" || fail "/dev/console is not char 5:1"
# The kernel boots to the init under QEMU (TCG: no KVM needed), which sees
# 2 CPUs and writes the boot-timer magic 123 to port 0xf4: isa-debug-exit
# there turns it into QEMU's exit status (123 << 1) | 1 = 247.
qemu=$(command -v qemu-system-x86_64) || fail "qemu-system-x86_64 is missing (tools/install-deps)"
start=$(date +%s%N)
console=$(timeout 300 "$qemu" -accel tcg -M microvm -cpu max -smp 2 -m 128 -kernel "$image" \
	-initrd "$initramfs" -device isa-debug-exit,iobase=0xf4,iosize=1 -nographic -no-reboot \
	-append 'console=ttyS0 panic=-1 reboot=k no-kvmclock tsc=reliable no_timer_check' 2>&1)
rc=$?
boot_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$rc" -eq 247 ] || fail "QEMU exited $rc, not 247 (the boot-timer write); console: $(printf '%s\n' "$console" | tail -n 3)"
grep -q '^vcpubench-init: cpus=2 mem_kib=[0-9]' <<<"$console" ||
	fail "no init line with cpus=2 on the console: $(printf '%s\n' "$console" | tail -n 3)"
mem=$(printf '%s\n' "$console" | sed -n 's/^vcpubench-init: .* mem_kib=\([0-9]*\).*/\1/p')
{ [ "$mem" -gt $((64 << 10)) ] && [ "$mem" -le $((128 << 10)) ]; } || fail "init saw $mem KiB of -m 128"

echo "ok: $image ($size bytes, protocol $(printf %#x "$proto"), xloadflags $(printf %#x "$xlf")); cached call $ms ms; QEMU TCG boot to init $boot_ms ms"
