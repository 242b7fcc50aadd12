#!/usr/bin/env bash
# tests/test_completion.sh VCPUBENCH: source `vcpubench completion bash`
# and drive its function as bash's programmable completion does.
set -uo pipefail
bin=$1
fails=0
eval "$("$bin" completion bash)" || { echo "FAIL: the completion does not load"; exit 1; }
complete -p vcpubench >/dev/null || { echo "FAIL: no 'complete' for vcpubench"; exit 1; }
# complete WORDS...: COMPREPLY for the last word (may be empty).
complete_words() {
	COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMPREPLY=()
	_vcpubench vcpubench "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	echo "${COMPREPLY[*]}"
}
expect() {
	local want=$1; shift
	local got; got=$(complete_words "$@")
	[ "$got" = "$want" ] || { echo "FAIL: '$*' -> '$got', not '$want'"; fails=$((fails + 1)); }
}
expect "--irqchip" vcpubench run --irq
expect "kernel none" vcpubench run --irqchip ""
expect "direct sipi" vcpubench run --smp ""
expect "run" vcpubench ru
expect "--vms --vcpus --verify" vcpubench run --v
expect "--format" vcpubench report x --fo
expect "--push" vcpubench report --p
expect "text md html csv json openmetrics" vcpubench report --format ""
expect "--metric" vcpubench compare a b --me
expect "wall oncpu" vcpubench compare --metric ""
expect "text md json html" vcpubench compare --format ""
expect "import history" vcpubench db ""
expect "--phase" vcpubench db history --ph
expect "text md csv json html" vcpubench db history --format ""
for c in report compare; do
	for o in $("$bin" $c --help | grep -oE '^  --[a-z-]+'); do
		grep -qw -- "$o" <<<"$(complete_words vcpubench $c --)" ||
			{ echo "FAIL: '$c --' does not offer $o"; fails=$((fails + 1)); }
	done
done
subs=$(complete_words vcpubench "")
for c in run info guests report compare db completion; do
	grep -qw -- "$c" <<<"$subs" || { echo "FAIL: 'vcpubench ' does not offer $c: $subs"; fails=$((fails + 1)); }
done
guests=$(complete_words vcpubench run --guest "")
for g in $("$bin" guests | awk 'NR > 1 && /^[a-z][a-z-]* / { print $1 }'); do
	grep -qw -- "$g" <<<"$guests" || { echo "FAIL: --guest does not offer $g: $guests"; fails=$((fails + 1)); }
done
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/dir1" && touch "$tmp/file1"
expect "$tmp/dir1" vcpubench run --out "$tmp/"
[ "$fails" = 0 ] && echo "test_completion: all checks passed"
exit $((fails > 0))
