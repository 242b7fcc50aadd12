#!/usr/bin/env bash
# tests/test_deb_root.sh BUILD_DIR SOURCE_DIR: the .deb from tools/package,
# installed with apt-get into a clean Debian root (debootstrap minbase, the
# mirror this host's apt uses), runs there: 'vcpubench run' on the host's
# /dev/kvm, 'report --format html' with gnuplot from Recommends, 'man
# vcpubench'; then 'apt-get remove' (and purge) leaves none of the files it installed.
# The root and the downloaded .debs are cached under
# ${XDG_CACHE_HOME:-~/.cache}/vcpubench/debroot, so only the first run
# downloads much. Skips (4) when the mirror cannot be reached, or not root.
set -uo pipefail
build=$1 src=$2
suite=bookworm
skip() { echo "test_deb_root: skipped: $*"; exit 4; }
die() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || skip "needs root for debootstrap, chroot and mount"
command -v debootstrap >/dev/null || die "needs debootstrap (tools/install-deps)"
[ -r /dev/kvm ] && [ -w /dev/kvm ] || die "needs /dev/kvm (run it through tools/with-kvm)"

# The first URI that serves $suite's main, in deb822 or one-line sources.
mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
	 awk -v s="$suite" 'BEGIN { RS = ""; FS = "\n" }
	     { u = ""; ok = 0
	       for (i = 1; i <= NF; i++) {
	           if ($i ~ /^URIs:/) { split($i, a, " "); u = a[2] }
	           if ($i ~ /^Suites:/ && (" " $i " ") ~ (" " s " ")) ok = 1 }
	       if (ok && u != "") { print u; exit } }')
[ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	awk -v s="$suite" '$1 == "deb" && $0 ~ (" " s " ") { for (i = 2; i <= NF; i++)
	    if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }')
mirror=${mirror:-http://deb.debian.org/debian}

cache=${XDG_CACHE_HOME:-$HOME/.cache}/vcpubench/debroot
tarball=$cache/$suite-minbase.tar.gz
mkdir -p "$cache/archives/partial"
tmp=$(mktemp -d)
root=$tmp/root
mounted=()
cleanup() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount -l "${mounted[i]}" 2>/dev/null
	done
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
t0=$SECONDS

deb=$("$src/tools/package" "$build" "$tmp" 2>&1) || die "tools/package: $deb"
if [ -s "$tarball" ]; then
	mkdir "$root" && tar -xzpf "$tarball" -C "$root" || die "cannot unpack $tarball"
else
	if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
		grep -qE "Failed getting release file|Couldn't download|Temporary failure resolving|Could not resolve" \
			"$tmp/debootstrap.log" && skip "debootstrap cannot reach $mirror"
		tail -5 "$tmp/debootstrap.log"; die "debootstrap $suite $mirror"
	fi
	rm -rf "$root/var/cache/apt/archives"/*.deb
	tar -czpf "$tarball.$$" -C "$root" . && mv "$tarball.$$" "$tarball"
fi
t_root=$((SECONDS - t0))

# The host's resolver, the cached .debs, the host's /dev, /proc and /sys.
cp /etc/resolv.conf "$root/etc/resolv.conf"
bind() {
	mkdir -p "$root$2" && mount --bind "$1" "$root$2" || die "mount --bind $1 $root$2"
	mounted+=("$root$2")
}
bind /dev /dev
bind /proc /proc
bind /sys /sys
bind "$cache/archives" /var/cache/apt/archives
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
cp "$deb" "$root/tmp/" || die "cp $deb"
name=$(basename "$deb")

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# Depends from the mirror; of the Recommends, gnuplot-nox for the HTML
# report's plots (QEMU and the rest are big and not used here: that they
# exist on the mirror is checked). man-db to read the page.
in_root apt-get -q update >"$tmp/apt.log" 2>&1 || { tail -3 "$tmp/apt.log"; skip "apt-get update cannot reach $mirror"; }
in_root apt-get install -y -q --no-install-recommends "/tmp/$name" gnuplot-nox man-db \
	>>"$tmp/apt.log" 2>&1 || { tail -20 "$tmp/apt.log"; die "apt-get install ./$name"; }
t_install=$((SECONDS - t0))

# Every library the binary links resolves from what apt installed.
missing=$(in_root ldd /usr/bin/vcpubench | grep 'not found')
[ -z "$missing" ] || fail "unresolved after install: $missing"
recommends=$(in_root dpkg-query -W -f='${Recommends}' vcpubench)
for p in gnuplot-nox qemu-system-x86 busybox-static hyperfine; do
	grep -qw -- "$p" <<<"$recommends" || fail "Recommends lacks $p: $recommends"
	policy=$(in_root apt-cache policy "$p")
	grep -q 'Candidate: [0-9]' <<<"$policy" || fail "Recommends $p is not on $mirror: $policy"
done

cd "$root/tmp" || die "cd $root/tmp"
out=$(in_root sh -c 'cd /tmp && vcpubench run --vms 2 --vcpus 2 --quiet --out /tmp/r' 2>&1) ||
	fail "vcpubench run in the root: $out"
for f in meta.json phases.csv; do
	[ -s "$root/tmp/r/$f" ] || fail "vcpubench run wrote no /tmp/r/$f"
done
out=$(in_root sh -c 'cd /tmp && vcpubench report --format html /tmp/r >/tmp/r.html' 2>&1) ||
	fail "vcpubench report --format html: $out"
# The plots are gnuplot's SVG, inline: without gnuplot there are none.
grep -q '<svg' "$root/tmp/r.html" || fail "the html report has no plot: $out"
warn=$(in_root sh -c 'MANWIDTH=80 man --warnings vcpubench 2>&1 >/tmp/man.txt')
[ -z "$warn" ] || fail "man vcpubench warns: $warn"
grep -q "SYNOPSIS" "$root/tmp/man.txt" && grep -q -- "--irqchip" "$root/tmp/man.txt" ||
	fail "man vcpubench did not render the page: $(head -5 "$root/tmp/man.txt")"
cd / || exit 1

# Remove, purge: no file the package installed is left (directories other
# packages also own, such as /usr/bin, stay).
in_root dpkg -L vcpubench >"$tmp/files" || die "dpkg -L vcpubench"
out=$(in_root apt-get remove -y -q vcpubench 2>&1) || fail "apt-get remove vcpubench: $out"
# Without conffiles dpkg forgets the package on remove, and apt, which got
# it from a file, no longer knows its name: purge what dpkg may still hold.
out=$(in_root dpkg --purge vcpubench 2>&1) || fail "dpkg --purge vcpubench: $out"
in_root dpkg-query -W -f='${Status}\n' vcpubench 2>/dev/null | grep -q "installed" &&
	fail "vcpubench is still installed"
left=0
while read -r f; do
	[ -n "$f" ] && [ "$f" != /. ] || continue
	if [ -d "$root$f" ] && [ ! -L "$root$f" ]; then
		# A directory only vcpubench owned must be gone.
		case $f in */vcpubench|*/vcpubench/*)
			fail "left behind: $f/"; left=$((left + 1)) ;;
		esac
	elif [ -e "$root$f" ] || [ -L "$root$f" ]; then
		fail "left behind: $f"; left=$((left + 1))
	fi
done <"$tmp/files"
[ "$(grep -c . "$tmp/files")" -gt 5 ] || fail "dpkg -L listed too little: $(cat "$tmp/files")"

[ "$fails" = 0 ] && echo "test_deb_root: $name installed, ran, reported and purged in a" \
	"$suite root from $mirror (root ${t_root}s, install $((t_install - t_root))s," \
	"total $((SECONDS - t0))s)"
exit $((fails > 0))
