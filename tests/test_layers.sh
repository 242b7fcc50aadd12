#!/usr/bin/env bash
# tools/check-layers on the tree (must pass), and on a copy with one
# deliberate back-include, a base file including a report header (must
# fail, naming the file, the line and the cycle it makes).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/check-layers" "$root" || { echo "test_layers: the tree breaks its layering"; exit 1; }
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r "$root/src" "$root/CMakeLists.txt" "$copy/"
sed -i '0,/^#include "clock.h"/s//#include "clock.h"\n#include "report.h"/' "$copy/src/base/clock.c"
if out=$("$root/tools/check-layers" "$copy"); then
	echo "test_layers: a back-include from base to report went unnoticed"
	exit 1
fi
grep -q 'src/base/clock.c:2 includes report.h of src/report/, which src/base/ may not use' <<< "$out" &&
	grep -q 'form a cycle' <<< "$out" || { echo "test_layers: unexpected output: $out"; exit 1; }
echo "test_layers: the back-include is caught: $(head -n 1 <<< "$out")"
