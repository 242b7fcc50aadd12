#!/usr/bin/env bash
# A disk that fills in the middle of `db import`: the database sits on a
# small tmpfs this test mounts (and unmounts on every path), and ten runs of
# ~6,000 samples each are imported into it until it is full.
#   sqlite    the SQLite file (and its WAL) on a 2 MiB tmpfs
#   postgres  a server this test starts with its data directory on a tmpfs
#             of the initdb's size plus 4 MiB (its WAL outside: a WAL that
#             cannot be written stops the server, a table that cannot
#             grow only fails the statement, the case under test)
# Either way: exit 1, one line on stderr naming the database and the full
# disk; what is in the database is whole runs only, each with all its
# samples, and the run that failed is absent; the database still opens.
# Usage: test_db_full.sh sqlite|postgres VCPUBENCH DATA. Skips (exit 4)
# when mount is not permitted or (postgres) the server is not installed.
set -uo pipefail
mode=${1:?usage: test_db_full.sh sqlite|postgres VCPUBENCH DATA}
vb=${2:?} data=${3:?}
failures=0
tmp=$(mktemp -d)
mnt=$tmp/mnt
# shellcheck source=tests/pg_server.sh
. "$(dirname "$0")/pg_server.sh"

cleanup() {
	pg_stop
	mountpoint -q "$mnt" && umount "$mnt"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }
check_grep() { grep -q -E -e "$1" "$2" || fail "$3: '$1' not in $2: $(tail -n 3 "$2")"; }

case $mode in
sqlite) size=2m ;;
postgres)
	pg_find
	[ -n "$pgbin" ] || { echo "test_db_full: skipped: no PostgreSQL server binaries"; exit 4; }
	# initdb's size, measured here (it differs between versions).
	mkdir "$tmp/probe"
	pg_start "$tmp" "$tmp/probe/data" --waldir="$tmp/probe-wal" || exit 1
	pg_stop fast
	size=$(($(du -sk "$tmp/probe/data" | cut -f1) + 4096))k
	rm -rf "$tmp/probe" "$tmp/probe-wal"
	;;
*) echo "usage: test_db_full.sh sqlite|postgres VCPUBENCH DATA" >&2; exit 2 ;;
esac
mkdir "$mnt"
if ! mount -t tmpfs -o "size=$size,mode=0755" tmpfs "$mnt" 2>"$tmp/mount.err"; then
	echo "test_db_full: skipped: cannot mount a tmpfs: $(head -n 1 "$tmp/mount.err")"
	exit 4
fi

# Ten runs: tests/data/small's rows repeated for 60 x 3 iterations (5,940
# samples, ~0.5 MB in SQLite), each with its own start time.
nruns=10 rows=5940
mkdir "$tmp/runs"
for i in $(seq 0 $((nruns - 1))); do
	d=$tmp/runs/run-$i
	mkdir "$d"
	sed "s/\"start_utc\": \"[^\"]*\"/\"start_utc\": \"2028-01-01T00:00:0$i.000000Z\"/" \
		"$data/small/meta.json" >"$d/meta.json"
	awk -F, -v OFS=, 'NR == 1 { print; next } { row[++n] = $0 }
		END { for (k = 0; k < 60; k++) for (j = 1; j <= n; j++) {
			split(row[j], f, ","); if (f[1] != "") f[1] += 3 * k
			s = f[1]; for (c = 2; c <= 10; c++) s = s OFS f[c]; print s } }' \
		"$data/small/phases.csv" >"$d/phases.csv"
done
check_eq "$(($(wc -l <"$tmp/runs/run-0/phases.csv") - 1))" "$rows" "the runs' samples"

if [ "$mode" = sqlite ]; then
	url=$mnt/full.sqlite
	sql() { sqlite3 "$url" "$1"; }
else
	pg_start "$tmp" "$mnt/data" --waldir="$tmp/wal" || exit 1
	url=$(pg_url postgres)
	sql() { psql -X -q -At -d "$url" -c "$1"; }
fi

"$vb" db import --db "$url" "$tmp/runs" >"$tmp/out" 2>"$tmp/err"
check_eq "$?" 1 "disk full: exit status ($(cat "$tmp/err"))"
cp "$tmp/err" "$tmp/full.err"
check_eq "$(wc -l <"$tmp/err")" 1 "disk full: one line on stderr ($(cat "$tmp/err"))"
check_grep "^vcpubench: db import: ${url//\?/\\?}: .*(disk is full|disk full: )" \
	"$tmp/err" "disk full: names the database and the cause"
added=$(sed -n 's/^\([0-9]*\) imported, 0 already present, 1 failed.*/\1/p' "$tmp/out")
[ -n "$added" ] && [ "$added" -ge 1 ] && [ "$added" -lt "$nruns" ] ||
	fail "disk full: not full in the middle of the import: $(tail -n 1 "$tmp/out")"
failed=$(sed -n 's/.*(importing \([^:]*\): nothing of it imported.*/\1/p' "$tmp/err")

# The database opens and holds whole runs only.
check_eq "$(sql 'SELECT COUNT(*) FROM runs')" "$added" "after: the runs imported"
check_eq "$(sql "SELECT COUNT(*) FROM runs r WHERE (SELECT COUNT(*) FROM samples s
	WHERE s.run_id = r.run_id) <> $rows OR rows_total <> $rows")" 0 "after: every run has all its samples"
check_eq "$(sql "SELECT COUNT(*) FROM samples WHERE run_id NOT IN (SELECT run_id FROM runs)")" 0 \
	"after: no samples without their run"
check_eq "$(sql "SELECT COUNT(*) FROM runs WHERE dir = '$failed'")" 0 "after: the failed run absent"
[ "$mode" = postgres ] || check_eq "$(sql 'PRAGMA integrity_check')" ok "after: integrity_check"
"$vb" db history --db "$url" --phase vm_create --format csv >"$tmp/hist" 2>"$tmp/err"
check_eq "$?" 0 "after: history opens the database ($(cat "$tmp/err"))"
check_eq "$(grep -c '^vm_create,' "$tmp/hist")" "$added" "after: history's runs"

[ "$failures" = 0 ] || { echo "test_db_full $mode: $failures failures" >&2; exit 1; }
echo "test_db_full $mode: ok ($added of $nruns runs in when the $size disk filled)"
cat "$tmp/full.err"
