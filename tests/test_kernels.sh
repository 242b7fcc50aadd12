#!/usr/bin/env bash
# tools/kernels end to end, in real VMs (Debian's kernel as the KVM host
# under QEMU), sized for CI:
#   aa      the same kernel under two labels, 3 rounds: never slower or
#           faster, exit 0 (all decided) or 5 (some inconclusive); then
#           --until-decided on one phase stops by --max-rounds at the latest
#           and index.json says why
#   npt     kvm_amd.npt=0 (shadow paging) against npt=1, 5 rounds and until vm_create is decided: the MMU
#           phases change (see test_npt for what TCG lets one assert)
#   errors  bad input and broken kernels: one line each, exit 2 with nothing
#           written, or exit 1 with index.json marked incomplete; no QEMU
#           left running
# Usage: test_kernels.sh MODE (in the build tree; VB_BINARY names vcpubench).
# Skips (exit 4) only where QEMU or the kernel package is not available.
set -uo pipefail
mode=${1:?usage: test_kernels.sh aa|npt|errors}
here=$(cd "$(dirname "$0")" && pwd)
tools=$here/../tools
work=$PWD/kernels-$mode
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }
check_grep() { grep -q -e "$1" "$2" || fail "$3: '$1' not in $2: $(tail -n 3 "$2")"; }

command -v qemu-system-x86_64 >/dev/null ||
	{ echo "test_kernels: skipped: no qemu-system-x86_64 (tools/install-deps installs it)"; exit 4; }
if ! prep=$("$tools/vm" --prepare 2>&1); then
	echo "test_kernels: skipped: the VM's kernel is not available: ${prep##*$'\n'}"
	exit 4
fi
rm -rf "$work"
mkdir -p "$work"

# The verdict of PHASE in DIR/compare.json.
verdict() { jq -r --arg p "$2" '.phases[] | select(.phase == $p) | .verdict' "$1/compare.json"; }

test_aa() {
	local out=$work/out status
	"$tools/kernels" --smp 1 --rounds 3 --out "$out" a=linux-image-amd64 b=linux-image-amd64 \
		-- --vms 2 --vcpus 2 --iterations 20 --warmup 2 > "$work/stdout" 2> "$work/stderr"
	status=$?
	check_eq "$status" "$(jq 'if .inconclusive > 0 then 5 else 0 end' "$out/compare.json")" \
		"A/A exit status"
	check_eq "$(jq '[.phases[] | select(.verdict == "slower" or .verdict == "faster")] | length' "$out/compare.json")" 0 \
		"A/A phases called changed ($(jq -c '[.phases[] | select(.verdict == "slower" or .verdict == "faster") | .phase]' "$out/compare.json"))"
	check_eq "$(jq '[.phases[] | select(.by_rounds)] | length >= 20' "$out/compare.json")" true \
		"A/A phases judged by rounds"
	check_eq "$(jq '.complete and (.order | length == 6) and ([.order[].label] == ["a","b","a","b","a","b"])' "$out/index.json")" \
		true "index.json: 6 kernel-rounds, alternating"
	check_eq "$(jq -r '.host.vm.accel' "$out/a/round-1/meta.json")" "$(jq -r .accel "$out/index.json")" \
		"meta.json host.vm.accel"
	for f in txt md json html; do [ -s "$out/compare.$f" ] || fail "no compare.$f"; done
	check_grep 'rounds are the replicates (3 BASE, 3 NEW)' "$work/stdout" "the text says how it judged"
	check_grep '<svg' "$out/compare.html" "the HTML has its plots"
	check_grep ' no change, [0-9]* inconclusive' "$work/stdout" "the summary counts the verdicts"

	# --until-decided: rounds are added until vcpu_cpuid is decided or 3 are done.
	out=$work/until
	"$tools/kernels" --smp 1 --rounds 2 --until-decided --max-rounds 3 --phase vcpu_cpuid \
		--out "$out" a=linux-image-amd64 b=linux-image-amd64 \
		-- --vms 1 --vcpus 2 --iterations 20 --warmup 2 > "$work/stdout" 2> "$work/stderr"
	status=$?
	case $status in 0|5) ;; *) fail "--until-decided exit status $status: $(tail -n 2 "$work/stderr")" ;; esac
	check_eq "$(jq '.rounds >= 2 and .rounds <= 3 and (.order | length) == 2 * .rounds' "$out/index.json")" \
		true "--until-decided: rounds within --rounds and --max-rounds"
	# Two looks (after rounds 2 and 3): alpha 0.01 split over them.
	check_eq "$(jq -c '[.alpha, .until_decided.looks, .until_decided.alpha_per_look]' "$out/index.json")" \
		'[0.01,2,0.005]' "--until-decided: alpha split over its looks"
	# The looks' alpha, then FCR-adjusted over the phases tested (compare.h).
	check_eq "$(jq '(.ci_level - (1 - ([.fcr_selected, 1] | max) * 0.005 / .tested)) as $d |
		.ci_level_unadjusted == 0.995 and $d < 1e-12 and $d > -1e-12' "$out/compare.json")" \
		true "the interval at the looks' level, FCR-adjusted"
	check_grep '(unadjusted: 99.5%)' "$out/compare.txt" "the text says the looks' level"
	check_eq "$(jq -r --arg v "$(verdict "$out" vcpu_cpuid)" '.until_decided.stopped |
		if startswith("decided") then $v != "inconclusive" elif startswith("--max-rounds 3") then true
		else false end' "$out/index.json")" true "--until-decided: index.json says why it stopped"
}

# Under TCG, what shadow paging changes is emulated too, and not all of it
# steadily. KVM_CREATE_VM sets up far less: 5-8x faster, p < 1e-4 in every
# run so far, which is asserted. first_run moved from x0.98 to x1.45 between
# runs (with NPT it is bimodal per iteration, ~0.8 or ~1.15 ms, the mix
# varying by boot), so it is printed, not judged; results/kernels.md has
# the runs. Asserted besides: no verdict against the MMU-free phases, the
# parameter inside the VM and in "what differs", exit 3 only with a phase
# slower. On hardware KVM (nested) the first_run verdict would apply.
test_npt() {
	local out=$work/out status ratio
	# vm_create's change is large but its spread under TCG is too: the
	# verdict waits for the rounds that decide it (exit 5: others undecided).
	"$tools/kernels" --smp 1 --rounds 5 --until-decided --phase vm_create --max-rounds 7 \
		--out "$out" npt1=linux-image-amd64 \
		npt0=linux-image-amd64,kvm_amd.npt=0 -- --vms 1 --vcpus 1 --iterations 60 --warmup 2 \
		> "$work/stdout" 2> "$work/stderr"
	status=$?
	case $status in 0|3|5) ;; *) fail "npt=0 exit status $status: $(tail -n 2 "$work/stderr")" ;; esac
	# Faster, or (under a loaded TCG) undecided: never "no change" or slower.
	case $(verdict "$out" vm_create) in
	faster|inconclusive) ;;
	*) fail "vm_create under shadow paging: got '$(verdict "$out" vm_create)', want faster or inconclusive" ;;
	esac
	ratio=$(jq -r '.phases[] | select(.phase == "first_run") | "\(.ratio) \(.verdict)"' "$out/compare.json")
	echo "test_kernels npt: first_run under shadow paging: ratio and verdict $ratio (not judged under TCG)"
	for p in vcpu_fpu vcpu_regs vcpu_msrs; do
		check_eq "$(verdict "$out" $p | grep -c slower)" 0 "$p under shadow paging"
	done
	[ "$status" != 3 ] ||
		[ "$(jq '[.phases[] | select(.verdict == "slower")] | length' "$out/compare.json")" -gt 0 ] ||
		fail "exit 3 without a phase slower"
	check_eq "$(jq -r '.host.kvm.module_parameters.kvm_amd.npt' "$out/npt0/round-1/meta.json")" N \
		"kvm_amd.npt inside the npt0 VM"
	check_grep 'host.kvm.module_parameters.kvm_amd.npt  Y → N' "$out/compare.txt" "what differs names npt"
}

# A directory of KVM-less modules for the cached Debian kernel: only what
# the VM needs for its filesystems.
modules_without_kvm() {
	local image=$1 release=$2 to=$3 root m
	root=$(dirname "$image")/root
	mkdir -p "$to/lib/modules/$release"
	for m in $(modprobe -d "$root" -S "$release" -a --show-depends 9p 9pnet_virtio virtio_pci |
			sed -n 's/^insmod \([^ ]*\).*/\1/p'); do
		mkdir -p "$to/${m#"$root"/}" && rmdir "$to/${m#"$root"/}"
		cp "$m" "$to/${m#"$root"/}"
	done
	cp "$root/lib/modules/$release"/modules.builtin* "$root/lib/modules/$release/modules.order" \
		"$to/lib/modules/$release/"
	depmod -b "$to" "$release"
}

# No QEMU of this test's VMs may survive: their control directories are
# named in the error lines.
check_no_qemu() {
	local ctl
	for ctl in $(grep -o '/[^ ]*vcpubench-vm\.[A-Za-z0-9]*' "$@" 2>/dev/null | sort -u); do
		! pgrep -f -- "$ctl" >/dev/null || fail "QEMU still running for $ctl"
	done
}

# One failing kernels run: exit status, its one line, index.json.
expect_failure() {
	local name=$1 want_status=$2 want_line=$3 out=$work/$1 status lines
	shift 3
	"$tools/kernels" --out "$out" "$@" > "$work/$name.stdout" 2> "$work/$name.stderr"
	status=$?
	check_eq "$status" "$want_status" "$name: exit status"
	lines=$(grep -c '^tools/kernels: ' "$work/$name.stderr")
	check_eq "$lines" 1 "$name: lines saying why ($(cat "$work/$name.stderr"))"
	check_grep "$want_line" "$work/$name.stderr" "$name: the reason"
	if [ "$want_status" = 2 ]; then
		[ ! -e "$out" ] || fail "$name: '$out' was created"
	else
		check_eq "$(jq -c '[.complete, (.error != null)]' "$out/index.json")" '[false,true]' \
			"$name: index.json marks the run incomplete"
		[ -z "$(find "$out" -name '.*' -o -name '*.tmp*')" ] || fail "$name: half-written files left"
		[ ! -e "$out/compare.txt" ] || fail "$name: a verdict from an incomplete run"
	fi
	check_no_qemu "$work/$name.stderr" "$out"/*/*.log
}

# SIGTERM in the middle of a kernel-round: exit 143, index.json says so,
# and the VM (found by a mark on its kernel command line) is gone.
test_sigterm() {
	local out=$work/sigterm pid status i
	"$tools/kernels" --out "$out" --append vbtest.sigterm=$$ a=linux-image-amd64 \
		b=linux-image-amd64 -- --vms 1 --vcpus 1 --iterations 200 \
		> "$work/sigterm.stdout" 2> "$work/sigterm.stderr" &
	pid=$!
	for i in $(seq 1 100); do
		pgrep -f "vbtest.sigterm=$$" >/dev/null && break
		sleep 0.1
	done
	sleep 2
	kill -TERM "$pid"
	wait "$pid"
	status=$?
	check_eq "$status" 143 "SIGTERM: exit status"
	check_grep "interrupted; what was measured is in" "$work/sigterm.stderr" "SIGTERM: the line"
	check_eq "$(jq -c '[.complete, .error]' "$out/index.json")" '[false,"interrupted by SIGTERM"]' \
		"SIGTERM: index.json"
	sleep 0.5
	! pgrep -f "vbtest.sigterm=$$" >/dev/null || fail "SIGTERM: QEMU still running"
}

test_errors() {
	local image release img
	image=$(sed -n 's/^image //p' <<< "$prep")
	release=$(sed -n 's/.* release \([^ ]*\) .*/\1/p' <<< "$prep")
	img=$(ls "$(dirname "$image")"/root/boot/vmlinuz-* | head -n 1)
	modules_without_kvm "$image" "$release" "$work/nokvm-modules"
	run=(-- --vms 1 --vcpus 1 --iterations 2)

	expect_failure unknown 2 "kernel 'b': .*linux-image-0.0.0-nosuch-amd64' is not a Debian kernel package" \
		a=linux-image-amd64 b=linux-image-0.0.0-nosuch-amd64 "${run[@]}"
	expect_failure syntax 2 "kernel 'b' is not LABEL=SPEC" a=linux-image-amd64 b "${run[@]}"
	expect_failure label 2 "given twice" a=linux-image-amd64 a=linux-image-amd64 "${run[@]}"
	expect_failure alpha 2 "--alpha: '1.5' is not a number between 0 and 1" --alpha 1.5 \
		a=linux-image-amd64 b=linux-image-amd64 "${run[@]}"
	expect_failure runopt 2 "run option '--out'" a=linux-image-amd64 b=linux-image-amd64 \
		-- --out /tmp/x
	expect_failure nokvm 1 "kernel 'nokvm' .* round 1: no /dev/kvm inside the VM" --rounds 1 \
		a=linux-image-amd64 "nokvm=$img,modules=$work/nokvm-modules" "${run[@]}"
	[ -f "$work/nokvm/a/round-1/phases.csv" ] || fail "nokvm: the round measured before is kept"
	expect_failure panic 1 "round 1: the VM stopped before the command finished.*Kernel panic" \
		--append rdinit=/nonexistent a=linux-image-amd64 b=linux-image-amd64 "${run[@]}"
	test_sigterm
	expect_failure hang 1 "round 1: timed out after 20s" --timeout 20 \
		--append "rdinit=/bin/busybox -- sleep 100000" \
		a=linux-image-amd64 b=linux-image-amd64 "${run[@]}"
}

"test_$mode"
if [ "$failures" != 0 ]; then
	echo "test_kernels $mode: $failures failure(s); output in $work" >&2
	exit 1
fi
rm -rf "$work"
