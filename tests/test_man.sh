#!/usr/bin/env bash
# tests/test_man.sh VCPUBENCH MANPAGE: the generated man page renders with
# no groff warning, and names every option that `vcpubench run --help`,
# `report --help` and `compare --help` list.
set -uo pipefail
bin=$1 page=$2
command -v groff >/dev/null || { echo "test_man: skipped: no groff"; exit 4; }
fails=0
warn=$(groff -man -ww -z "$page" 2>&1)
[ -z "$warn" ] || { echo "FAIL: groff warnings: $warn"; fails=1; }
text=$(groff -man -Tutf8 -P-cbou "$page" 2>/dev/null)
n=0
for o in $("$bin" run --help | grep -oE '^  --[a-z-]+'); do
	n=$((n + 1))
	grep -qE -- "^ +$o( |\[|$)" <<<"$text" || { echo "FAIL: $o is not in the man page"; fails=1; }
done
for c in report compare; do
	for o in $("$bin" $c --help | grep -oE '^  --[a-z-]+'); do
		n=$((n + 1))
		grep -qE -- "^ +$o( |\[|$)" <<<"$text" || { echo "FAIL: $c $o is not in the man page"; fails=1; }
	done
done
for o in $("$bin" db --help | grep -oE -- '--[a-z-]+' | sort -u); do
	n=$((n + 1))
	grep -qE -- "^ +$o( |\[|$)" <<<"$text" || { echo "FAIL: db $o is not in the man page"; fails=1; }
done
[ "$n" -ge 20 ] || { echo "FAIL: only $n options from run --help"; fails=1; }
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
	grep -q "^$s" <<<"$text" || { echo "FAIL: no section $s"; fails=1; }
done
[ "$fails" = 0 ] && echo "test_man: $n options, no warnings"
exit $fails
