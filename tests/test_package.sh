#!/usr/bin/env bash
# tests/test_package.sh BUILD_DIR SOURCE_DIR: tools/package builds the .deb;
# its control fields and contents are checked, and the binary unpacked from
# it runs. (Installing it with apt-get into a clean Debian root is not done
# here: a debootstrap takes minutes.)
set -uo pipefail
build=$1 src=$2
command -v dpkg-deb >/dev/null || { echo "test_package: skipped: no dpkg-deb"; exit 4; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
deb=$("$src/tools/package" "$build" "$tmp" 2>&1) || { echo "FAIL: tools/package: $deb"; exit 1; }
[[ $(basename "$deb") =~ ^vcpubench_[0-9.]+_amd64\.deb$ ]] || fail "package name: $deb"
info=$(dpkg-deb --info "$deb")
for lib in libc6 libjansson4 libtracefs1 libtraceevent1 liburcu libsqlite3-0; do
	grep -q "^ Depends:.*$lib" <<<"$info" || fail "Depends lacks $lib: $info"
done
grep -qE "^ Recommends: gnuplot-nox, qemu-system-x86, busybox-static, hyperfine(, [a-z0-9.+-]+)*$" <<<"$info" ||
	fail "Recommends: $info"
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/vcpubench ./usr/bin/vcpubench-kernels ./usr/bin/vcpubench-vm \
	 ./usr/libexec/vcpubench/lib/kernel.sh ./usr/share/man/man1/vcpubench.1.gz \
	 ./usr/share/bash-completion/completions/vcpubench ./usr/share/doc/vcpubench/README.md; do
	grep -q " $f\( \|$\)" <<<"$contents" || fail "not in the package: $f"
done
grep -q "root/root" <<<"$contents" || fail "files are not owned by root: $contents"
dpkg-deb -x "$deb" "$tmp/x"
"$tmp/x/usr/bin/vcpubench" guests >/dev/null || fail "the unpacked vcpubench does not run"
[ "$fails" = 0 ] && echo "test_package: $(basename "$deb") checked"
exit $((fails > 0))
