#!/usr/bin/env bash
# tests/test_nonroot.sh VCPUBENCH [SOURCE_DIR]: what an unprivileged user sees. A user
# made here (useradd -r, removed on every path) with access to /dev/kvm
# (group kvm when /dev/kvm is group-accessible, else an ACL) runs a 2x2
# run (must work), run --trace and info (must name tracefs and the
# remedy); without that access, run must name /dev/kvm and the remedy;
# tools/kernels must name a kernel cache it cannot write.
# Needs root to make the user; exit 4 (skip) otherwise.
set -uo pipefail
bin=$1 src=${2:-}
[ "$(id -u)" = 0 ] || { echo "test_nonroot: skipped: needs root to create a user"; exit 4; }
[ -c /dev/kvm ] || { echo "test_nonroot: skipped: no /dev/kvm"; exit 4; }
for t in useradd userdel setpriv; do
	command -v $t >/dev/null || { echo "test_nonroot: skipped: no $t"; exit 4; }
done
# In the test VM the root file system is the host's, read-only: the user is
# made in a private mount namespace over a writable copy of /etc.
if [ ! -w /etc ] && [ -z "${VB_NONROOT_ETC:-}" ]; then
	command -v unshare >/dev/null || { echo "test_nonroot: skipped: /etc is read-only and there is no unshare"; exit 4; }
	exec unshare -m --propagation private env VB_NONROOT_ETC=1 bash -c \
		'e=$(mktemp -d) && cp -a /etc/. "$e" && mount --bind "$e" /etc && exec bash "$0" "$@"' "$0" "$@"
fi

user=vbtest$$
tmp=$(mktemp -d)
acl=0
cleanup() {
	[ "$acl" = 1 ] && setfacl -x "u:$user" /dev/kvm
	userdel "$user" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

useradd -r -M -d "$tmp" -s /bin/sh "$user" || { echo "FAIL: useradd"; exit 1; }
chmod 755 "$tmp"
cp "$bin" "$tmp/vcpubench" && chmod 755 "$tmp/vcpubench"
mkdir "$tmp/out" && chown "$user" "$tmp/out"
as_user() { (cd "$tmp/out" && setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups --reset-env "$tmp/vcpubench" "$@"); }

# Without access to /dev/kvm (before any is granted).
grp=$(stat -c %G /dev/kvm)
out=$(as_user run --vms 2 --vcpus 2 --iterations 1 --quiet --out "$tmp/out/r0" 2>&1); rc=$?
echo "  run: $out"
[ "$rc" = 1 ] || fail "run without /dev/kvm access: exit $rc, not 1: $out"
grep -qF "cannot open '/dev/kvm': Permission denied (add the user to group 'kvm' or run as root)" <<<"$out" ||
	fail "run without /dev/kvm access: message: $out"
out=$(as_user info 2>&1) || fail "info without /dev/kvm access failed: $out"
grep -qF "Permission denied (add the user to group 'kvm' or run as root)" <<<"$out" ||
	fail "info without /dev/kvm access: message: $out"

# With access: group kvm when it grants it, else an ACL for this user.
if [ "$grp" != root ] && [ $(( 0$(stat -c %a /dev/kvm) & 060 )) = 060 ]; then
	usermod -a -G "$grp" "$user"
elif command -v setfacl >/dev/null && setfacl -m "u:$user:rw" /dev/kvm; then
	acl=1
else
	echo "test_nonroot: skipped: /dev/kvm grants no group access and setfacl is missing or refused"
	exit 4
fi
out=$(as_user run --vms 2 --vcpus 2 --iterations 2 --kvm-stats --quiet --out "$tmp/out/r1" 2>&1) ||
	fail "2x2 run as $user failed: $out"
[ -s "$tmp/out/r1/meta.json" ] && [ -s "$tmp/out/r1/phases.csv" ] || fail "2x2 run as $user: no meta.json under $tmp/out/r1"

# Tracing: root mounts tracefs first (as on most hosts) so the user meets
# an unreadable tracefs, not a missing one.
"$tmp/vcpubench" info >/dev/null 2>&1
dir=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
if [ -n "$dir" ] && setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups test -w "$dir/instances"; then
	echo "test_nonroot: note: tracefs at $dir is writable by $user here; --trace message not checked"
else
	out=$(as_user run --vms 2 --vcpus 2 --iterations 1 --trace --quiet --out "$tmp/out/r2" 2>&1); rc=$?
	echo "  run --trace: $out"
	[ "$rc" = 1 ] || fail "run --trace as $user: exit $rc, not 1: $out"
	grep -qE "tracefs (at .* is not (readable|writable)|is not mounted at .*) .*run as root, or" <<<"$out" ||
		fail "run --trace as $user: message: $out"
	grep -q "is an event on this host" <<<"$out" && fail "run --trace as $user blames the events: $out"
	out=$(as_user info 2>&1) || fail "info as $user failed: $out"
	grep -qE "why_not.*tracefs .*run as root, or grant tracefs access" <<<"$out" ||
		fail "info as $user: tracing line: $out"
fi
# tools/kernels (through tools/vm) with a kernel cache root left behind.
if [ -n "$src" ] && command -v qemu-system-x86_64 >/dev/null; then
	cp -r "$src/tools" "$tmp/tools" && touch "$tmp/CMakeLists.txt" && chmod -R a+rX "$tmp/tools"
	mkdir "$tmp/rootcache"
	out=$(cd "$tmp/out" && setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups \
	      env VB_CACHE="$tmp/rootcache" VB_BINARY="$tmp/vcpubench" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	      "$tmp/tools/kernels" a=linux-image-amd64 b=linux-image-amd64 --out "$tmp/out/k" 2>&1); rc=$?
	[ "$rc" = 2 ] || fail "tools/kernels with a root-owned cache: exit $rc, not 2: $out"
	grep -qF "the kernel cache '$tmp/rootcache/kernels' is not writable by this user" <<<"$out" ||
		fail "tools/kernels with a root-owned cache: message: $out"
	echo "  tools/kernels: ${out##*$'\n'}"
fi
[ "$fails" = 0 ] && echo "test_nonroot: all checks passed (run, run --trace, info, as $user)"
exit $((fails > 0))
