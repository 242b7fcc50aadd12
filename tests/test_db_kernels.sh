#!/usr/bin/env bash
# Issue 19's acceptance, on real runs: 15 runs under Debian's 6.1 followed
# by 15 under 6.12, and an A/A series of 30 under 6.1, each series made in
# one boot of the test VM (tools/vm: QEMU TCG, the guest kernel's own KVM:
# times are emulated), one run after another, `vcpubench run --vms 2
# --vcpus 2 --iterations 20 --warmup 2`. Both series go into SQLite and
# into a PostgreSQL this test starts; checked:
#   - the same rows in both: the row count of every table, each run's
#     sample count and duration sum, each run's per-phase n and p50
#   - `db history --phase vm_create`: exactly one change point in the
#     kernel series, at run 16 (the first 6.12 run), the same in both
#     backends; none in the A/A series
# Why one boot per series and not tools/kernels: tools/kernels alternates
# the kernels round by round (a boot each), so its rounds in time order are
# 6.1, 6.12, 6.1, ...; a history with a switch needs 15 of one, then 15 of
# the other.
# Usage: test_db_kernels.sh VCPUBENCH [--from DIR] [--keep DIR]
#   --from DIR  reuse the runs of an earlier --keep (DIR/step, DIR/aa)
#   --keep DIR  leave the runs there (must not exist)
# Slow (minutes; a CTest only with -DVB_SLOW_TESTS=ON). Skips (exit 4) when
# the test VM cannot boot or PostgreSQL is not installed.
set -uo pipefail
vb=${1:?usage: test_db_kernels.sh VCPUBENCH [--from DIR] [--keep DIR]}
shift
from="" keep=""
while [ $# -gt 0 ]; do
	case $1 in
	--from) from=${2:?--from needs a directory}; shift 2 ;;
	--keep) keep=${2:?--keep needs a directory}; shift 2 ;;
	*) echo "usage: test_db_kernels.sh VCPUBENCH [--from DIR] [--keep DIR]" >&2; exit 2 ;;
	esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
vb=$(readlink -f "$vb")
failures=0
tmp=$(mktemp -d)
# shellcheck source=tests/pg_server.sh
. "$root/tests/pg_server.sh"
cleanup() { pg_stop; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }

pg_find
[ -n "$pgbin" ] || { echo "test_db_kernels: skipped: no PostgreSQL server binaries"; exit 4; }

# series DIR N TAG KERNEL: N runs in one boot of KERNEL.
series() {
	local dir=$1 n=$2 tag=$3 kernel=$4 t0
	mkdir -p "$dir"
	cat >"$tmp/series.sh" <<EOF
#!/bin/bash
for i in \$(seq -w 1 $n); do
	"$vb" run --vms 2 --vcpus 2 --iterations 20 --warmup 2 --quiet --tag $tag --out "$dir/r\$i" || exit 1
done
EOF
	chmod +x "$tmp/series.sh"
	t0=$(date +%s)
	"$root/tools/vm" --kernel "$kernel" --smp 1 --timeout 3000 --share "$tmp" \
		--times "$tmp/times" -- "$tmp/series.sh" >"$tmp/vm.log" 2>&1
	local rc=$?
	echo "test_db_kernels: $tag: $n runs under $kernel: exit $rc, wall $(($(date +%s) - t0)) s ($(cat "$tmp/times" 2>/dev/null))"
	[ "$rc" = 0 ] || { echo "FAIL: the VM series $tag: $(tail -n 3 "$tmp/vm.log")" >&2; exit 1; }
}

if [ -n "$from" ]; then
	runs=$(readlink -f "$from")
else
	for k in linux-image-amd64 linux-image-6.12-amd64; do
		"$root/tools/vm" --kernel "$k" --prepare >"$tmp/prep" 2>&1 ||
			{ echo "test_db_kernels: skipped: tools/vm cannot prepare $k: $(tail -n 1 "$tmp/prep")"; exit 4; }
	done
	runs=$tmp/runs
	series "$runs/step/1-k6.1" 15 k6.1 linux-image-amd64
	series "$runs/step/2-k6.12" 15 k6.12 linux-image-6.12-amd64
	series "$runs/aa/k6.1" 30 aa-6.1 linux-image-amd64
	[ -z "$keep" ] || cp -r "$runs" "$keep" || fail "--keep: cannot copy to '$keep'"
fi

pg_start "$tmp" "$tmp/pg" || exit 1
for d in step aa; do createdb -h "$tmp" -U vb "$d" || { echo "FAIL: createdb $d"; exit 1; }; done

tables="runs phase_summary samples exits kvm_stats run_config"
sq_sql() { sqlite3 "$sq" "$1"; }
pg_sql() { psql -X -q -At -d "$pg" -c "$1"; }
# What must be equal in both backends, as text; $1: sq_sql or pg_sql.
fingerprint() {
	local q="SELECT 'rows'" t
	for t in $tables; do q="$q || ' $t ' || (SELECT COUNT(*) FROM $t)"; done
	$1 "$q"
	$1 "SELECT run_id || ' ' || COUNT(*) || ' ' || SUM(duration_ns) FROM samples GROUP BY run_id ORDER BY run_id"
	$1 "SELECT run_id || ' ' || phase || ' ' || n || ' ' || CAST(p50 AS BIGINT) FROM phase_summary ORDER BY run_id, phase"
}

for s in step aa; do
	sq=$tmp/$s.sqlite pg=$(pg_url "$s")
	for b in sqlite postgresql; do
		u=$sq
		[ "$b" = sqlite ] || u=$pg
		t0=$(date +%s.%N)
		"$vb" db import --db "$u" "$runs/$s" >"$tmp/import" 2>&1 || fail "$s: import into $u: $(tail -n 2 "$tmp/import")"
		echo "test_db_kernels: $s into $b: $(tail -n 1 "$tmp/import"), $(echo "$(date +%s.%N) - $t0" | bc) s"
		"$vb" db history --db "$u" --phase vm_create --format json >"$tmp/$s.hist.json" ||
			fail "$s: history of $u"
		jq -c '[.[0].change_points[] | {index, kernel, rel_change, p_value}]' "$tmp/$s.hist.json" >"$tmp/$s.cp.$b"
	done
	fingerprint sq_sql >"$tmp/$s.sq.fp"
	fingerprint pg_sql >"$tmp/$s.pg.fp"
	check_eq "$(wc -l <"$tmp/$s.sq.fp")" "$((1 + 30 + $(sq_sql 'SELECT COUNT(*) FROM phase_summary')))" \
		"$s: the fingerprint's lines"
	cmp -s "$tmp/$s.sq.fp" "$tmp/$s.pg.fp" ||
		fail "$s: SQLite and PostgreSQL differ: $(diff "$tmp/$s.sq.fp" "$tmp/$s.pg.fp" | head -n 4)"
	echo "test_db_kernels: $s: $(head -n 1 "$tmp/$s.sq.fp") in both; samples' duration sum $(sq_sql 'SELECT SUM(duration_ns) FROM samples') ns in both"
	cmp -s "$tmp/$s.cp.sqlite" "$tmp/$s.cp.postgresql" ||
		fail "$s: the backends' change points differ: $(cat "$tmp/$s.cp.sqlite" "$tmp/$s.cp.postgresql")"
	"$vb" db history --db "$sq" --phase vm_create | grep -E '^vm_create|change' | sed "s/^/test_db_kernels: $s: /"
done
check_eq "$(jq -c '[.[0].change_points[] | .index]' "$tmp/step.hist.json")" "[15]" \
	"kernel series: one change point, at run 16"
check_eq "$(jq -r '.[0].runs[15].kernel' "$tmp/step.hist.json")" "6.12.118+deb12-amd64" \
	"kernel series: run 16 is the first 6.12 run"
check_eq "$(jq -c '[.[0].change_points[]]' "$tmp/aa.hist.json")" "[]" "A/A series: no change point"
# Not checked, reported: every phase of both series.
for s in step aa; do
	"$vb" db history --db "$tmp/$s.sqlite" >"$tmp/$s.all"
	echo "test_db_kernels: $s: all phases: $(grep -c '^  change at' "$tmp/$s.all") change points in" \
		"$(grep -cE '^[a-z0-9_]+ \([0-9]+ runs\)$' "$tmp/$s.all") phase series, at runs:" \
		"$(sed -n 's/^  change at #\([0-9]*\) .*/\1/p' "$tmp/$s.all" | sort -n | uniq -c | awk '{ printf "%s#%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')"
done

[ "$failures" = 0 ] || { echo "test_db_kernels: $failures failures" >&2; exit 1; }
echo "test_db_kernels: ok"
