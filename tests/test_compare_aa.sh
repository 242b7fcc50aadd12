#!/usr/bin/env bash
# Issue 21's "an A/A with enough rounds gives *no change* for the µs
# ioctls", on a real KVM (run it under tools/with-kvm): ROUNDS alternating
# runs of the same binary into a/round-N and b/round-N, then `vcpubench
# compare a b` by rounds. Asserts: no phase slower or faster; the µs vCPU
# ioctls no change (interval inside ±5 %) and judged by rounds; the exit
# status is what the verdicts say (0 all decided, 5 some inconclusive).
# Minutes (≈ 1 s a round on a host's KVM; under the test VM's TCG more):
# a slow test. Usage: test_compare_aa.sh VCPUBENCH [ROUNDS] (default 250).
set -uo pipefail
vb=${1:?usage: test_compare_aa.sh VCPUBENCH [ROUNDS]}
rounds=${2:-250}
work=$PWD/compare-aa
ioctls="vcpu_cpuid vcpu_fpu vcpu_msrs vcpu_regs vcpu_sregs"
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

rm -rf "$work"
mkdir -p "$work/a" "$work/b"
start=$(date +%s)
for i in $(seq 1 "$rounds"); do
	for side in a b; do
		"$vb" run --vms 2 --vcpus 2 --iterations 20 --warmup 2 --quiet \
			--out "$work/$side/round-$i" > "$work/run.log" 2>&1 ||
			{ echo "FAIL: round $i $side: $(tail -n 2 "$work/run.log")" >&2; exit 1; }
	done
done
"$vb" compare --format json "$work/a" "$work/b" > "$work/compare.json"
status=$?
"$vb" compare "$work/a" "$work/b" > "$work/compare.txt"
echo "test_compare_aa: $rounds rounds a side in $(( $(date +%s) - start )) s;" \
	"$(grep '^result:' "$work/compare.txt")"

want=$(jq 'if .inconclusive > 0 then 5 else 0 end' "$work/compare.json")
[ "$status" = "$want" ] || fail "exit status $status, the verdicts say $want"
changed=$(jq -c '[.phases[] | select(.verdict == "slower" or .verdict == "faster") | .phase]' \
	"$work/compare.json")
[ "$changed" = "[]" ] || fail "A/A phases called changed: $changed"
for p in $ioctls; do
	row=$(jq -c --arg p "$p" '.phases[] | select(.phase == $p) |
		{verdict, by_rounds, ratio, ratio_ci, rounds_base, rounds_new}' "$work/compare.json")
	echo "  $p: $row"
	[ "$(jq -r .verdict <<< "$row")" = "no change" ] || fail "$p: not no change after $rounds rounds: $row"
	[ "$(jq -r .by_rounds <<< "$row")" = true ] || fail "$p: not judged by rounds: $row"
done
[ "$failures" = 0 ] || { echo "test_compare_aa: $failures failure(s); results in $work" >&2; exit 1; }
rm -rf "$work"
echo "test_compare_aa: ok"
