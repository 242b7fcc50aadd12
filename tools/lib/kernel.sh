# Kernels for tools/vm: a Debian kernel package or a local bzImage, made
# ready to boot as a KVM host under QEMU. Sourced, not run.
#
# vb_kernel_prepare SPEC [MODULES_DIR] sets:
#   VB_KERNEL_IMAGE    what QEMU boots: the uncompressed vmlinux where the
#                      kernel has a PVH entry, else the bzImage
#   VB_KERNEL_INITRD   an initramfs with busybox, tools/lib/vm-init and the
#                      modules a KVM host over virtio-9p needs
#   VB_KERNEL_RELEASE  uname -r of that kernel
#   VB_KERNEL_NAME     what was asked for, resolved (package_version or path)
# or prints one line naming SPEC and the cause and returns 1.
#
# Debian packages are fetched with apt-get download into the cache
# (${VB_CACHE:-$XDG_CACHE_HOME/vcpubench}/kernels), never installed, and
# reused; a metapackage (linux-image-amd64) is followed to the image it
# depends on, so the cache key is the real package and version.

vb_kernel_cache=${VB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vcpubench}/kernels

# The modules a test VM loads, beyond the ones they depend on. KVM: whichever
# of the two loads on this CPU. 9p over virtio-pci: the host's filesystem.
vb_kernel_modules_kvm="kvm_amd kvm_intel"
vb_kernel_modules_fs="virtio_pci 9pnet_virtio 9p"

vb_kernel_err() { echo "tools/vm: --kernel: $*" >&2; }

# The real image package behind NAME (following metapackages), as
# "package version", or nothing when apt does not know NAME.
vb_kernel_resolve() {
	local name=$1 info dep i
	for i in 1 2 3 4; do
		info=$(apt-cache show --no-all-versions "$name" 2>/dev/null) || return 1
		[ -n "$info" ] || return 1
		dep=$(printf '%s\n' "$info" | sed -n 's/^Depends: //p' | tr ',|' '\n\n' |
			sed -n 's/^ *\(linux-image-[^ ]*\).*/\1/p' | head -n 1)
		if [ -z "$dep" ]; then
			printf '%s %s\n' "$name" "$(printf '%s\n' "$info" | sed -n 's/^Version: //p')"
			return 0
		fi
		name=$dep
	done
	return 1
}

# Download and unpack package PKG at VERSION into DIR (once; DIR appears
# whole or not at all).
vb_kernel_fetch_deb() {
	local pkg=$1 version=$2 dir=$3 tmp
	[ -f "$dir/.complete" ] && return 0
	tmp=$(mktemp -d "$vb_kernel_cache/.fetch.XXXXXX") || return 1
	echo "tools/vm: fetching $pkg $version" >&2
	if ! (cd "$tmp" && apt-get download -q "$pkg=$version" >/dev/null 2>"$tmp/apt.err"); then
		vb_kernel_err "'$pkg': apt-get download failed: $(grep -m1 '^E:' "$tmp/apt.err" || tail -n1 "$tmp/apt.err")"
		rm -rf "$tmp"
		return 1
	fi
	dpkg -x "$tmp"/*.deb "$tmp/root" && rm -f "$tmp"/*.deb || { rm -rf "$tmp"; return 1; }
	rm -rf "$dir"
	mv "$tmp" "$dir" && touch "$dir/.complete"
}

# Where modules.dep of RELEASE lives under ROOT, generated if missing
# (Debian's packages leave it to depmod at install time).
vb_kernel_depmod() {
	local root=$1 release=$2
	[ -f "$root/lib/modules/$release/modules.dep" ] && return 0
	depmod -b "$root" "$release" 2>/dev/null || {
		vb_kernel_err "depmod failed for $release under '$root'"
		return 1
	}
}

# Append module NAME and, first, everything it depends on (from modules.dep)
# to the array vb_kernel_order; builtin modules are skipped.
vb_kernel_order_add() {
	local name=${1//-/_} d
	[ -n "${vb_kernel_seen[$name]:-}" ] && return 0
	vb_kernel_seen[$name]=1
	[ -n "${vb_kernel_builtin[$name]:-}" ] && return 0
	[ -n "${vb_kernel_path[$name]:-}" ] || return 1
	for d in ${vb_kernel_deps[$name]}; do
		d=${d##*/}
		vb_kernel_order_add "${d%%.ko*}" || return 1
	done
	vb_kernel_order+=("$name")
}

# Build the initramfs for the kernel whose modules are in MODDIR into OUT.
vb_kernel_initramfs() {
	local moddir=$1 out=$2 here tmp path name deps m rc=0
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	local busybox
	busybox=$(command -v busybox) || { echo "tools/vm: busybox is missing (tools/install-deps installs busybox-static)" >&2; return 1; }
	declare -gA vb_kernel_path=() vb_kernel_deps=() vb_kernel_seen=() vb_kernel_builtin=()
	vb_kernel_order=()
	while IFS=: read -r path deps; do
		name=${path##*/}
		name=${name%%.ko*}
		vb_kernel_path[${name//-/_}]=$path
		vb_kernel_deps[${name//-/_}]=$deps
	done < "$moddir/modules.dep"
	if [ -f "$moddir/modules.builtin" ]; then
		while read -r path; do
			name=${path##*/}
			name=${name%%.ko*}
			vb_kernel_builtin[${name//-/_}]=1
		done < "$moddir/modules.builtin"
	fi
	for m in $vb_kernel_modules_fs; do
		vb_kernel_order_add "$m" || { vb_kernel_err "'$moddir' has no module $m"; return 1; }
	done
	for m in $vb_kernel_modules_kvm; do
		vb_kernel_order_add "$m" || true   # a kernel without KVM is reported from inside
	done
	tmp=$(mktemp -d) || return 1
	mkdir -p "$tmp/bin" "$tmp/modules" "$tmp/dev" "$tmp/proc" "$tmp/sys" "$tmp/newroot"
	cp "$busybox" "$tmp/bin/busybox"
	cp "$here/vm-init" "$tmp/init"
	chmod 755 "$tmp/init"
	for m in "${vb_kernel_order[@]}"; do
		path=$moddir/${vb_kernel_path[$m]}
		case $path in
		*.ko.xz) xz -dc "$path" > "$tmp/modules/$m.ko" ;;
		*.ko.zst) zstd -qdc "$path" > "$tmp/modules/$m.ko" ;;
		*.ko.gz) gzip -dc "$path" > "$tmp/modules/$m.ko" ;;
		*) cp "$path" "$tmp/modules/$m.ko" ;;
		esac || rc=1
		echo "$m" >> "$tmp/modules/order"
	done
	if [ "$rc" = 0 ]; then
		(cd "$tmp" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc 2>/dev/null | gzip -1) > "$out.tmp" &&
			mv "$out.tmp" "$out" || rc=1
	fi
	rm -rf "$tmp"
	return $rc
}

# The vmlinux inside bzImage IMAGE, unpacked once into DIR, when it has a PVH
# entry (Xen ELF note 0x12): QEMU then starts it directly, skipping the
# firmware's Linux loader and the decompression, which take ~3.5 s of a
# ~5 s boot under TCG. Sets VB_KERNEL_IMAGE to it, or to IMAGE otherwise.
vb_kernel_unpack() {
	local image=$1 dir=$2 magic off out=$2/vmlinux
	VB_KERNEL_IMAGE=$image
	if [ ! -f "$out" ] || [ "$out" -ot "$image" ]; then
		for magic in '\xfd7zXZ\x00:xz -dc --single-stream' '\x28\xb5\x2f\xfd:zstd -qdc' \
			     '\x1f\x8b\x08:gzip -dc'; do
			off=$(LC_ALL=C grep -obUaP -m1 "${magic%%:*}" "$image" 2>/dev/null | head -n 1 | cut -d: -f1)
			[ -n "$off" ] || continue
			tail -c +$((off + 1)) "$image" | ${magic#*:} > "$out.tmp" 2>/dev/null
			if readelf -n "$out.tmp" 2>/dev/null | grep -q 'note type: (0x00000012)'; then
				mv "$out.tmp" "$out"
				break
			fi
		done
		rm -f "$out.tmp"
	fi
	[ -f "$out" ] && VB_KERNEL_IMAGE=$out
	return 0
}

# The initramfs for MODDIR in DIR, rebuilt when vm-init changes.
vb_kernel_initrd_for() {
	local moddir=$1 dir=$2 here key
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	key=$(cat "$here/vm-init" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)
	VB_KERNEL_INITRD=$dir/initramfs-$key.cpio.gz
	[ -f "$VB_KERNEL_INITRD" ] && return 0
	rm -f "$dir"/initramfs-*.cpio.gz
	vb_kernel_initramfs "$moddir" "$VB_KERNEL_INITRD"
}

vb_kernel_prepare_deb() {
	local spec=$1 resolved="" pkg version dir link=$vb_kernel_cache/by-name/$1
	# apt-cache takes ~1 s a call: a name resolved within a day is reused.
	if [ -L "$link" ] && [ -f "$link/.complete" ] && [ -n "$(find "$link" -maxdepth 0 -mmin -1440)" ]; then
		resolved=$(cat "$link/.package")
	fi
	[ -n "$resolved" ] || resolved=$(vb_kernel_resolve "$spec")
	if [ -z "$resolved" ] && [ "$(id -u)" = 0 ] && [ -z "${vb_kernel_updated:-}" ]; then
		# A fresh machine has no package lists yet.
		vb_kernel_updated=1
		apt-get update -qq >/dev/null 2>&1
		resolved=$(vb_kernel_resolve "$spec")
	fi
	if [ -z "$resolved" ]; then
		# Offline: use what an earlier fetch of the same name left.
		if [ -L "$link" ] && [ -f "$link/.complete" ]; then
			dir=$(readlink -f "$link")
		else
			vb_kernel_err "'$spec' is not a Debian kernel package apt knows (apt-cache show '$spec')"
			return 1
		fi
	else
		read -r pkg version <<< "$resolved"
		dir=$vb_kernel_cache/${pkg}_$version
		vb_kernel_fetch_deb "$pkg" "$version" "$dir" || return 1
		echo "$resolved" > "$dir/.package"
		mkdir -p "$vb_kernel_cache/by-name"
		[ -n "$(find "$link" -maxdepth 0 -mmin -1440 2>/dev/null)" ] ||
			ln -sfn "../${dir##*/}" "$link"
	fi
	VB_KERNEL_NAME=${dir##*/}
	VB_KERNEL_IMAGE=$(ls "$dir"/root/boot/vmlinuz-* 2>/dev/null | head -n 1)
	if [ -z "$VB_KERNEL_IMAGE" ]; then
		vb_kernel_err "'$spec' ($VB_KERNEL_NAME) holds no /boot/vmlinuz-*: not a kernel image package"
		return 1
	fi
	VB_KERNEL_RELEASE=${VB_KERNEL_IMAGE##*/vmlinuz-}
	vb_kernel_depmod "$dir/root" "$VB_KERNEL_RELEASE" || return 1
	vb_kernel_unpack "$VB_KERNEL_IMAGE" "$dir"
	vb_kernel_initrd_for "$dir/root/lib/modules/$VB_KERNEL_RELEASE" "$dir"
}

# A local bzImage with its modules: MODULES is lib/modules/<release> or a
# directory holding lib/modules/<release> (e.g. an INSTALL_MOD_PATH).
vb_kernel_prepare_local() {
	local image=$1 modules=$2 dir key
	[ -f "$image" ] || { vb_kernel_err "'$image': no such file"; return 1; }
	[ -n "$modules" ] || { vb_kernel_err "'$image': a local kernel needs --modules DIR"; return 1; }
	if [ -d "$modules/lib/modules" ]; then
		modules=$(ls -d "$modules"/lib/modules/*/ 2>/dev/null | head -n 1)
		modules=${modules%/}
	fi
	[ -d "$modules/kernel" ] || { echo "tools/vm: --modules: '$modules' is not a lib/modules/<release> directory" >&2; return 1; }
	VB_KERNEL_RELEASE=${modules##*/}
	if [ ! -f "$modules/modules.dep" ]; then
		vb_kernel_err "'$modules' has no modules.dep (run depmod for $VB_KERNEL_RELEASE)"
		return 1
	fi
	key=$(printf '%s\n' "$(readlink -f "$image")" "$(stat -c %Y "$image")" "$(readlink -f "$modules")" | sha256sum | cut -c1-12)
	dir=$vb_kernel_cache/local-$key
	mkdir -p "$dir"
	VB_KERNEL_NAME=$(readlink -f "$image")
	vb_kernel_unpack "$VB_KERNEL_NAME" "$dir"
	vb_kernel_initrd_for "$modules" "$dir"
}

# vb_kernel_prepare SPEC [MODULES]: see the top of this file. Concurrent
# callers (ctest -j) serialise on one lock so a kernel is fetched once.
vb_kernel_prepare() {
	local spec=$1 modules=${2:-} rc
	# A cache left by root (sudo) is not this user's: name it and the fix.
	if ! mkdir -p "$vb_kernel_cache" 2>/dev/null || [ ! -w "$vb_kernel_cache" ]; then
		vb_kernel_err "the kernel cache '$vb_kernel_cache' is not writable by this user (chown it, or set VB_CACHE or XDG_CACHE_HOME to a directory of yours)"
		return 1
	fi
	exec {vb_kernel_lock}> "$vb_kernel_cache/.lock"
	flock "$vb_kernel_lock"
	if [ -f "$spec" ] || [[ $spec == */* ]]; then
		vb_kernel_prepare_local "$spec" "$modules"
	else
		vb_kernel_prepare_deb "$spec"
	fi
	rc=$?
	exec {vb_kernel_lock}>&-
	return $rc
}
