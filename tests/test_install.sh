#!/usr/bin/env bash
# tests/test_install.sh BUILD_DIR SOURCE_DIR: cmake --install into a
# temporary DESTDIR, then the installed commands run from another
# directory, and nothing installed names the source or build tree.
set -uo pipefail
build=$(cd "$1" && pwd -P) src=$(cd "$2" && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

DESTDIR=$tmp/root cmake --install "$build" --prefix /usr >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }
usr=$tmp/root/usr
for f in bin/vcpubench bin/vcpubench-kernels bin/vcpubench-vm libexec/vcpubench/lib/kernel.sh \
	 libexec/vcpubench/lib/vm-init share/doc/vcpubench/README.md \
	 share/doc/vcpubench/docs/architecture.md share/man/man1/vcpubench.1 \
	 share/bash-completion/completions/vcpubench; do
	[ -e "$usr/$f" ] || fail "not installed: $f"
done
[ -x "$usr/bin/vcpubench-kernels" ] || fail "vcpubench-kernels is not executable"

mkdir "$tmp/cwd" && cd "$tmp/cwd" || exit 1
export PATH=$usr/bin:$PATH XDG_CACHE_HOME=$tmp/cache
out=$(vcpubench guests 2>&1) || fail "vcpubench guests: $out"
grep -q exit-loop <<<"$out" || fail "vcpubench guests lists no exit-loop: $out"
out=$(vcpubench report "$src/tests/data/small" 2>&1) || fail "vcpubench report: $out"
[ -n "$out" ] || fail "vcpubench report printed nothing"
vcpubench --help >/dev/null 2>&1 || fail "vcpubench --help"
out=$(vcpubench-kernels --help 2>&1) || fail "vcpubench-kernels --help: $out"
out=$(vcpubench-vm --help 2>&1) || fail "vcpubench-vm --help: $out"
# Installed, the kernels tool finds vcpubench on PATH, not in a build tree.
# Installed, vcpubench-kernels finds vcpubench on PATH (not in a build
# tree) and its lib/ beside its real file: it gets as far as resolving the
# kernels (through vcpubench-vm and lib/kernel.sh), which fails on a bogus name.
out=$(vcpubench-kernels a=no-such-kernel-pkg b=no-such-kernel-pkg 2>&1)
grep -q "kernel 'a': tools/vm: --kernel: 'no-such-kernel-pkg' is not a Debian kernel package" <<<"$out" ||
	fail "vcpubench-kernels did not reach its kernels: $out"
out=$(PATH=/usr/bin:/bin "$usr/bin/vcpubench-kernels" a=x b=y 2>&1)
grep -q "no vcpubench at 'vcpubench'" <<<"$out" || fail "vcpubench-kernels without vcpubench on PATH: $out"
[ -z "$(ls -A "$tmp/cwd")" ] || fail "a command wrote into the current directory: $(ls -A "$tmp/cwd")"

# No installed text file names the source or build tree.
if hits=$(grep -rlI -e "$src" -e "$build" "$usr"); then
	fail "installed files name the source or build tree: $hits"
fi
[ "$fails" = 0 ] && echo "test_install: all checks passed"
exit $((fails > 0))
