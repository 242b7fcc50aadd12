#!/usr/bin/env bash
# vcpubench db import / db history against SQLite (a temporary file) and
# against a real PostgreSQL this test starts (initdb in a temporary
# directory, a Unix socket there, no TCP) and stops on every path.
#   sqlite    a missing libsqlite3 (root: a private mount namespace hides
#             it), import tests/data, twice (idempotent), history, --where
#             (counted against the meta.json files, and after a migration
#             from schema version 1), a corrupt directory among good ones,
#             a newer schema, bad URLs, usage
#   changes   (in both) a synthetic 30-run series with a 30% step in
#             vm_create at run 16 (copies of tests/data/small, new start
#             times, durations rescaled): the change is found there, and not
#             in an A/A series of the same length; --alpha/--min-change
#   run --db  (sqlite, where tools/with-kvm finds a KVM) a real run imports
#             its directory at the end; a URL that cannot work (bad
#             syntax, missing or unwritable directory): refused before the
#             run, exit 2, one line, nothing created
#   postgres  the same against the server, the same row counts as SQLite,
#             and the error of a server that is down (db import, and at
#             the end of a run: exit 1, results kept)
# Usage: test_db.sh MODE VCPUBENCH DATA. Skips (exit 4) only when the
# PostgreSQL server binaries are missing (postgres mode).
set -uo pipefail
mode=${1:?usage: test_db.sh sqlite|postgres VCPUBENCH DATA}
vb=${2:?} data=${3:?}
failures=0
tmp=$(mktemp -d)
# The real runs' results and database: where the test VM (tools/with-kvm on
# a host without a usable KVM) sees them too, the build tree it shares; its
# own /tmp is another file system.
live=$(mktemp -d "$PWD/test_db-live.XXXXXX")
# shellcheck source=tests/pg_server.sh
. "$(dirname "$0")/pg_server.sh"

cleanup() {
	pg_stop
	rm -rf "$tmp" "$live"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }
check_grep() { grep -q -e "$1" "$2" || fail "$3: '$1' not in $2: $(tail -n 3 "$2")"; }
one_line() { check_eq "$(wc -l <"$1")" 1 "$2: one line on stderr ($(cat "$1"))"; }

# The good inputs: the sample runs, a sweep (3 points) and a directory of
# rounds laid out as tools/kernels writes it (LABEL/round-N).
cp -r "$data" "$tmp/data"
mkdir -p "$tmp/kernels/a" "$tmp/kernels/b"
for r in 1 2 3 4; do
	d=aa
	[ "$r" -le 2 ] || d=small
	k=0
	for l in a b; do
		cp -r "$data/$d" "$tmp/kernels/$l/round-$r"
		sed -i "s/\"start_utc\": \"2026-11-26T11/\"start_utc\": \"2026-12-0${r}T1$k/" \
			"$tmp/kernels/$l/round-$r/meta.json"
		k=1
	done
done
# exits.csv and kvm_stats.csv in one round (as --exits and --kvm-stats write them).
printf 'iteration,vm,vcpu,seq,exit_reason,duration_ns\n0,0,0,0,io,812\n0,0,0,1,hlt,95\n0,0,1,0,io,790\n' \
	>"$tmp/kernels/a/round-1/exits.csv"
printf 'iteration,vm,vcpu,stat,before,after\n0,0,0,exits,0,12\n0,0,,pages_4k,0,8192\n' \
	>"$tmp/kernels/a/round-1/kvm_stats.csv"
dirs=("$tmp/data/aa" "$tmp/data/partial" "$tmp/data/small" "$tmp/data/sweep" "$tmp/kernels")
want_runs=14
want_samples=$(($(cat "$data"/{aa,partial,small}/phases.csv "$data"/sweep/*/phases.csv | wc -l) - 6 +
	2 * 2 * ($(wc -l <"$data/aa/phases.csv") - 1 + $(wc -l <"$data/small/phases.csv") - 1)))

# A corrupt copy of a run, as a run of its own (another start time).
mkdir -p "$tmp/bad"
cp -r "$data/small" "$tmp/bad/run"
sed -i 's/"start_utc": "2026-11-26T11:59:2/"start_utc": "2026-11-27T11:59:2/' "$tmp/bad/run/meta.json"
sed -i '5s/,ok,/,ok,x/; 5s/,[0-9]*,ok/,12x,ok/' "$tmp/bad/run/phases.csv"
# And one whose exits.csv, read after its samples went in, is corrupt: the
# transaction takes the samples back out.
cp -r "$data/small" "$tmp/bad/run2"
sed -i 's/"start_utc": "2026-11-26T11:59:2/"start_utc": "2026-11-28T11:59:2/' "$tmp/bad/run2/meta.json"
printf 'iteration,vm,vcpu,seq,exit_reason,duration_ns\n0,0,0,0,io,81x\n' >"$tmp/bad/run2/exits.csv"

# SQL the server understands, through the backend's own client.
sql() {
	case $url in
	postgres*) psql -X -q -At -d "$url" -c "$1" ;;
	*) sqlite3 "$url" "$1" ;;
	esac
}
counts() {
	sql "SELECT (SELECT COUNT(*) FROM runs) || ' ' || (SELECT COUNT(*) FROM phase_summary) || ' ' ||
	     (SELECT COUNT(*) FROM samples) || ' ' ||
	     (SELECT COUNT(*) FROM exits) || ' ' || (SELECT COUNT(*) FROM kvm_stats)"
}

suite() {
	local out=$tmp/out err=$tmp/err rc
	"$vb" db import --db "$url" "${dirs[@]}" >"$out" 2>"$err"
	check_eq "$?" 0 "import: exit status ($(cat "$err"))"
	check_grep "^$want_runs imported, 0 already present, 0 failed ($want_samples samples)" \
		"$out" "import: summary"
	check_eq "$(sql 'SELECT COUNT(*) FROM runs')" "$want_runs" "runs"
	check_eq "$(sql 'SELECT COUNT(*) FROM samples')" "$want_samples" "samples"
	check_eq "$(sql "SELECT COUNT(*) FROM samples WHERE phase = 'vm_create' AND status = 'ok'")" \
		"$(awk -F, '$6 == "vm_create" && $9 == "ok"' "$data"/{aa,partial,small}/phases.csv \
			"$data"/sweep/*/phases.csv "$tmp"/kernels/*/*/phases.csv | wc -l)" \
		"vm_create ok samples"
	check_eq "$(sql "SELECT host || ' ' || kernel || ' ' || complete FROM runs WHERE dir LIKE '%/small'")" \
		"vm 6.18.44-fc-v669 1" "the run's meta"
	check_eq "$(sql "SELECT COUNT(*) || ' ' || SUM(duration_ns) FROM exits")" "3 1697" "exits rows"
	check_eq "$(sql "SELECT stat || ' ' || (after - before) FROM kvm_stats WHERE vcpu IS NULL")" \
		"pages_4k 8192" "kvm_stats rows"
	local before
	before=$(counts)
	"$vb" db import --db "$url" "${dirs[@]}" >"$out" 2>"$err"
	check_eq "$?" 0 "second import: exit status"
	check_grep "^0 imported, $want_runs already present, 0 failed" "$out" "second import: summary"
	check_eq "$(counts)" "$before" "second import: the same rows"

	"$vb" db history --db "$url" --phase vm_create >"$out" 2>"$err"
	check_eq "$?" 0 "history: exit status ($(cat "$err"))"
	check_grep "^vm_create ($want_runs runs)" "$out" "history: the series"
	check_eq "$(grep -c '6.18.44-fc-v669' "$out")" "$want_runs" "history: a line per run"
	! grep -q kvm_open "$out" || fail "history: --phase vm_create shows kvm_open"
	"$vb" db history --db "$url" --format csv --phase vm_create --phase kvm_open >"$out"
	check_eq "$(grep -c '^vm_create,' "$out")" "$want_runs" "history csv: vm_create rows"
	check_eq "$(grep -c '^kvm_open,' "$out")" "$want_runs" "history csv: kvm_open rows"
	# The rows in start-time order: the sample runs (2026-11-26) before the rounds (2026-12-).
	check_eq "$(cut -d, -f4 "$out" | grep -n '^2026-12' | head -1 | cut -d: -f1)" 8 \
		"history csv: in start-time order"
	# p50 of small's vm_create, from the file: 3 samples, the middle one.
	check_grep "$(grep ',vm_create,' "$data/small/phases.csv" | cut -d, -f8 | sort -n | sed -n 2p)" \
		<(grep "^vm_create,0," "$out") "history csv: small's p50"
	"$vb" db history --db "$url" --format json --host nosuchhost >"$out"
	check_eq "$(jq length "$out")" 0 "history json: --host filters"
	"$vb" db history --db "$url" --format json --kernel 6.18.44-fc-v669 --phase vcpu_create \
		>"$out" 2>"$err" || fail "history json: $(cat "$err")"
	check_eq "$(jq '.[0].runs | length' "$out")" "$want_runs" "history json: runs"
	check_eq "$(jq '.[0].change_points | length' "$out")" 0 "history json: change_points"

	where_checks

	# A corrupt directory among good ones: the others go in, nothing of it.
	sql "DELETE FROM samples WHERE run_id IN (SELECT run_id FROM runs WHERE dir LIKE '%/sweep/vms-2')"
	sql "DELETE FROM phase_summary WHERE run_id IN (SELECT run_id FROM runs WHERE dir LIKE '%/sweep/vms-2')"
	sql "DELETE FROM run_config WHERE run_id IN (SELECT run_id FROM runs WHERE dir LIKE '%/sweep/vms-2')"
	sql "DELETE FROM runs WHERE dir LIKE '%/sweep/vms-2'"
	"$vb" db import --db "$url" "$tmp/bad" "$tmp/data/sweep" >"$out" 2>"$err"
	rc=$?
	check_eq "$rc" 1 "corrupt dir: exit status"
	check_eq "$(wc -l <"$err")" 2 "corrupt dir: one line per bad run ($(cat "$err"))"
	check_grep "$tmp/bad/run: .*phases.csv:5" "$err" "corrupt dir: names the file and line"
	check_grep "$tmp/bad/run2: .*exits.csv:2" "$err" "corrupt dir: names the file and line"
	check_grep "^1 imported, 2 already present, 2 failed" "$out" "corrupt dir: summary"
	check_eq "$(counts)" "$before" "corrupt dir: the good run back in, nothing of the bad one"
	check_eq "$(sql "SELECT COUNT(*) FROM runs WHERE dir LIKE '$tmp/bad%'")" 0 "corrupt dir: no run"

	"$vb" db import --db "$url" "$tmp/nosuchdir" >"$out" 2>"$err"
	check_eq "$?" 1 "missing dir: exit status"
	one_line "$err" "missing dir"

	# A database of a newer schema: refused, one line, nothing changed.
	sql "INSERT INTO schema_version (version) VALUES (99)"
	"$vb" db import --db "$url" "$tmp/data/small" >"$out" 2>"$err"
	check_eq "$?" 1 "newer schema: exit status"
	one_line "$err" "newer schema"
	check_grep "schema version 99 is newer" "$err" "newer schema: message"
	"$vb" db history --db "$url" >"$out" 2>"$err"
	check_eq "$?" 1 "newer schema: history exit status"
	sql "DELETE FROM schema_version WHERE version = 99"
	check_eq "$(counts)" "$before" "newer schema: nothing changed"
}

# The number of imported runs whose meta.json's config passes the jq test $1.
runs_where() {
	find "${dirs[@]}" -name phases.csv -printf '%h/meta.json\n' | xargs jq -r "(.config | $1)" |
		grep -cx true
}

# --where on the runs of suite(), before the corrupt ones come in.
where_checks() {
	local out=$tmp/out err=$tmp/err w
	for w in "vms=1:.vms == 1" "vcpus=2:.vcpus == 2" "trace=true:.trace == true" \
		"guest=pio:.guest == \"pio\"" "timeout_s=10.0:.timeout_s == 10" "vms=99:false"; do
		"$vb" db history --db "$url" --format json --phase vm_create --where "${w%%:*}" \
			>"$out" 2>"$err"
		check_eq "$?" 0 "--where ${w%%:*}: exit status ($(cat "$err"))"
		check_eq "$(jq '[.[].runs | length] | add // 0' "$out")" "$(runs_where "${w#*:}")" \
			"--where ${w%%:*}: the runs"
	done
	# Repeated: all of them hold.
	"$vb" db history --db "$url" --format csv --phase vm_create --where vms=1 --where vcpus=2 \
		--where trace=false >"$out"
	check_eq "$(($(wc -l <"$out") - 1))" "$(runs_where '.vms == 1 and .vcpus == 2 and .trace == false')" \
		"--where AND: the runs"
	[ "$(runs_where '.vms == 1 and .vcpus == 2 and .trace == false')" -gt 0 ] ||
		fail "--where AND: the data has no such run (the check cannot fail)"
	for w in x =1 Vms=1 "v ms=1"; do
		"$vb" db history --db "$url" --where "$w" >"$out" 2>"$err"
		check_eq "$?" 2 "--where '$w': exit status"
		check_eq "$(cat "$err")" "vcpubench: db history: --where: '$w' is not KEY=VALUE" \
			"--where '$w': the message"
	done
	"$vb" db history --db "$url" --where vms=1 --where nosuchkey=1 >"$out" 2>"$err"
	check_eq "$?" 2 "--where unknown key: exit status"
	one_line "$err" "--where unknown key"
	check_grep "'nosuchkey' is not a config key of any run" "$err" "--where unknown key: message"
	# A database of schema version 1 (no run_config) migrates forward on open and fills it.
	sql "DROP TABLE run_config"
	sql "DELETE FROM schema_version WHERE version = 2"
	"$vb" db history --db "$url" --format json --where vms=1 >"$out" 2>"$err"
	check_eq "$?" 0 "--where after migration: exit status ($(cat "$err"))"
	check_eq "$(jq '[.[] | select(.phase == "vm_create") | .runs | length] | add // 0' "$out")" \
		"$(runs_where '.vms == 1')" "--where after migration: the runs"
	check_eq "$(sql 'SELECT MAX(version) FROM schema_version')" 2 "migration: version 2 recorded"
}

# series OUT N STEP_AT FACTOR: N copies of small, run i's vm_create durations x (1 +- 2%) x FACTOR from STEP_AT
series() {
	local out=$1 n=$2 at=$3 factor=$4 i f
	for ((i = 0; i < n; i++)); do
		f=1
		[ "$i" -lt "$at" ] || f=$factor
		cp -r "$data/small" "$out/run-$i"
		sed -i "s/\"start_utc\": \"2026-11-26T11:59:26/\"start_utc\": \"2027-01-01T00:$(printf %02d $((i / 60))):$(printf %02d $((i % 60)))/" \
			"$out/run-$i/meta.json"
		awk -F, -v OFS=, -v f="$f" -v s="$i$at" 'BEGIN { srand(s); j = 1 + (rand() - 0.5) * 0.04 }
			NR > 1 && $6 == "vm_create" { $8 = int($8 * f * j) } { print }' \
			"$data/small/phases.csv" >"$out/run-$i/phases.csv"
	done
}

mkdir -p "$tmp/step" "$tmp/aaseries"
series "$tmp/step" 30 15 1.3
series "$tmp/aaseries" 30 99 1

changes() {
	local db=$1 dbaa=$2 out=$tmp/out err=$tmp/err
	"$vb" db import --db "$db" "$tmp/step" >/dev/null 2>"$err" || fail "step import: $(cat "$err")"
	"$vb" db import --db "$dbaa" "$tmp/aaseries" >/dev/null 2>"$err" || fail "a/a import: $(cat "$err")"
	"$vb" db history --db "$db" --phase vm_create >"$out" 2>"$err"
	check_eq "$?" 0 "step history: exit status ($(cat "$err"))"
	check_eq "$(grep -c '^  change at' "$out")" 1 "step: one change point"
	check_grep "^  change at #16 (run [0-9a-f]*, 2027-01-01 00:00:15, host vm, kernel 6.18.44-fc-v669, version 0.1.0): p50 .* (+[23][0-9]\.[0-9]%" \
		"$out" "step: the change at the switch run"
	"$vb" db history --db "$db" --phase vm_create --format json >"$out"
	check_eq "$(jq -c '[.[0].change_points[] | [.index, .started_utc[0:19], (.rel_change > 0.25 and .rel_change < 0.35)]]' "$out")" \
		'[[15,"2027-01-01T00:00:15",true]]' "step json: the change point"
	"$vb" db history --db "$db" --phase vm_create --format csv >"$out"
	check_eq "$(awk -F, '$11 != "" { print $2 }' "$out" | tail -n +2)" 15 "step csv: change_rel on the switch run"
	"$vb" db history --db "$db" --phase vm_create --format md >"$out"
	check_grep "^## vm_create (30 runs)" "$out" "step md: the heading"
	check_grep "^| 16 | 2027-01-01 00:00:15 |" "$out" "step md: the table"
	check_grep "^- change at #16 (" "$out" "step md: the change point"
	if command -v gnuplot >/dev/null; then
		"$vb" db history --db "$db" --format html >"$out" 2>"$err"
		check_eq "$?" 0 "step html: exit status ($(cat "$err"))"
		check_eq "$(grep -c '^<h2>' "$out")" "$(grep -c '<svg' "$out")" "step html: a plot per phase"
		check_grep "<li>change at #16 (run" "$out" "step html: the change point"
		check_grep "+3[0-9]\.[0-9]%" "$out" "step html: the change marked on the plot"
	fi
	"$vb" db history --db "$db" --phase vm_create --min-change 0.5 >"$out"
	check_eq "$(grep -c '^  change at' "$out")" 0 "step: --min-change 0.5 drops the 30% change"
	"$vb" db history --db "$dbaa" >"$out" 2>"$err"
	check_eq "$?" 0 "a/a history: exit status ($(cat "$err"))"
	check_eq "$(grep -c '^  change at' "$out")" 0 "a/a: no change point"
	check_grep "^vm_create (30 runs)" "$out" "a/a: the series"
	for a in "--alpha 0" "--alpha 1" "--alpha x" "--min-change -1" "--min-change 5%"; do
		# shellcheck disable=SC2086
		"$vb" db history --db "$db" $a >/dev/null 2>"$err"
		check_eq "$?" 2 "history $a: exit status"
		one_line "$err" "history $a"
	done
}

withkvm="$(cd "$(dirname "$0")/.." && pwd)/tools/with-kvm"

# run_live DIR URL: a small real run into DIR importing into URL; 4 when no KVM.
run_live() {
	"$withkvm" --timeout 120 "$vb" run --vms 1 --vcpus 2 --iterations 3 --quiet \
		--out "$1" --db "$2" >"$tmp/out" 2>"$tmp/err"
}

run_db() {
	local rc
	run_live "$live/live" "$live/live.sqlite"
	rc=$?
	if [ "$rc" = 4 ]; then
		echo "test_db: run --db not tested: $(cat "$tmp/out" "$tmp/err" | tail -n 1)"
		return
	fi
	check_eq "$rc" 0 "run --db: exit status ($(tail -n 2 "$tmp/err"))"
	check_eq "$(sqlite3 "$live/live.sqlite" 'SELECT COUNT(*) || " " || MIN(complete) FROM runs')" "1 1" \
		"run --db: the run in the database"
	check_eq "$(sqlite3 "$live/live.sqlite" 'SELECT COUNT(*) FROM samples')" \
		"$(($(wc -l <"$live/live/phases.csv") - 1))" "run --db: its samples"
	check_eq "$(sqlite3 "$live/live.sqlite" "SELECT value FROM run_config WHERE name = 'vcpus'")" 2 \
		"run --db: its config"
}

# run --db URL that cannot work: refused before anything is measured (no
# /dev/kvm needed), one line naming --db and the value, exit 2, nothing created.
run_db_url_checks() {
	local err=$tmp/err u ro=$tmp/ro asuser=() asvb=$vb
	mkdir -p "$ro" && chmod 555 "$ro" && touch "$tmp/afile"
	if [ "$(id -u)" = 0 ]; then
		# root writes anywhere: the unwritable directory is tried as nobody,
		# with a copy of the binary it can run (a clone under mktemp -d is
		# the owner's alone).
		chmod 755 "$tmp"
		asuser=(runuser -u nobody --)
		cp "$vb" "$tmp/vcpubench" && chmod 755 "$tmp/vcpubench" && asvb=$tmp/vcpubench
	fi
	for u in "mysql://x/y" "postgresql://[::1" "sqlite:" "$tmp/nosuchdir/x.sqlite" \
		"$tmp/afile/x.sqlite" "sqlite:$tmp/nosuchdir/x.sqlite" "$tmp"; do
		"$vb" run --vms 1 --iterations 2 --quiet --out "$tmp/never" --db "$u" >/dev/null 2>"$err"
		check_eq "$?" 2 "run --db '$u': exit status"
		one_line "$err" "run --db '$u'"
		check_grep "^vcpubench: --db: .*'${u//[/\\[}'" "$err" "run --db '$u': names --db and the value"
		[ ! -e "$tmp/never" ] || { fail "run --db '$u': created its results directory"; rm -rf "$tmp/never"; }
	done
	[ ! -e "$tmp/nosuchdir" ] || fail "run --db: created the missing directory"
	"${asuser[@]}" "$asvb" run --vms 1 --iterations 2 --quiet --out "$tmp/never" --db "$ro/x.sqlite" \
		>/dev/null 2>"$err"
	check_eq "$?" 2 "run --db unwritable directory: exit status ($(cat "$err"))"
	one_line "$err" "run --db unwritable directory"
	check_grep "'$ro' is not writable" "$err" "run --db unwritable directory: message"
	[ ! -e "$tmp/never" ] && [ ! -e "$ro/x.sqlite" ] || fail "run --db unwritable directory: created files"
}

usage_checks() {
	local err=$tmp/err
	for args in "" "frob" "history --format xml" "history --phase nosuch" "import" \
		"import --phase vm_create x" "history extra"; do
		# shellcheck disable=SC2086
		"$vb" db $args >/dev/null 2>"$err"
		check_eq "$?" 2 "usage 'db $args': exit status"
	done
	for u in "mysql://h/db" "postgresql://[::1" "sqlite:"; do
		"$vb" db history --db "$u" >/dev/null 2>"$err"
		check_eq "$?" 1 "url '$u': exit status"
		one_line "$err" "url '$u'"
	done
}

# libsqlite3 is dlopen()ed on the first open: without it (hidden by a bind
# mount of /dev/null in a private mount namespace, where unshare and root
# allow it) `db` exits 1 naming the library, in one line.
missing_lib() {
	local lib err=$tmp/nolib.err
	lib=$(ldconfig -p | awk '$1 == "libsqlite3.so.0" && p == "" { p = $NF } END { print p }')
	lib=$(readlink -f "$lib")
	if [ "$(id -u)" != 0 ] || [ ! -e "$lib" ] || ! unshare -m true 2>/dev/null; then
		echo "test_db: missing libsqlite3 not checked (needs root and unshare)"
		return
	fi
	unshare -m sh -c 'mount --bind /dev/null "$1" && exec "$2" db history --db "$3"' sh \
		"$lib" "$vb" "$tmp/nolib.sqlite" >/dev/null 2>"$err"
	check_eq "$?" 1 "no libsqlite3: exit status"
	one_line "$err" "no libsqlite3"
	check_grep "sqlite: cannot load libsqlite3.so.0: " "$err" "no libsqlite3"
}

case $mode in
sqlite)
	missing_lib
	url=$tmp/vcpubench.sqlite
	suite
	usage_checks
	changes "$tmp/step.sqlite" "$tmp/aa.sqlite"
	run_db
	run_db_url_checks
	check_eq "$(sqlite3 "$url" 'PRAGMA journal_mode')" wal "sqlite: WAL journal"
	;;
postgres)
	pg_find
	if [ -z "$pgbin" ]; then
		echo "test_db: skipped: no PostgreSQL server binaries (tools/install-deps installs postgresql)"
		exit 4
	fi
	pg_start "$tmp" "$tmp/pg" || exit 1
	for d in vb vbstep vbaa; do
		createdb -h "$tmp" -U vb $d || { echo "FAIL: createdb $d"; exit 1; }
	done
	changes "postgresql:///vbstep?host=$tmp&user=vb" "postgresql:///vbaa?host=$tmp&user=vb"
	url="postgresql:///vb?host=$tmp&user=vb"
	suite
	pg_counts=$(counts)
	# The same directories into SQLite: the same rows.
	url=$tmp/same.sqlite
	"$vb" db import --db "$url" "${dirs[@]}" >/dev/null 2>&1
	check_eq "$pg_counts" "$(counts)" "postgres and sqlite: the same rows"
	url="postgresql:///vb?host=$tmp&user=vb"
	"$vb" db history --db "$url" --format csv >"$tmp/pg.csv"
	"$vb" db history --db "$tmp/same.sqlite" --format csv >"$tmp/sq.csv"
	cmp -s "$tmp/pg.csv" "$tmp/sq.csv" || fail "postgres and sqlite: different history:
$(diff "$tmp/pg.csv" "$tmp/sq.csv" | head -5)"
	# Login refused: no such role.
	"$vb" db history --db "postgresql:///vb?host=$tmp&user=nobody_here" >/dev/null 2>"$tmp/err"
	check_eq "$?" 1 "login refused: exit status"
	one_line "$tmp/err" "login refused"
	# The server down.
	pg_stop fast
	"$vb" db import --db "$url" "$tmp/data/small" >/dev/null 2>"$tmp/err"
	check_eq "$?" 1 "server down: exit status"
	one_line "$tmp/err" "server down"
	check_grep "cannot connect" "$tmp/err" "server down: message"
	# The server down at the end of a run: one line, exit 1, the results kept.
	run_live "$live/live-down" "$url"
	rc=$?
	if [ "$rc" = 4 ]; then
		echo "test_db: run --db with the server down not tested: $(cat "$tmp/out" "$tmp/err" | tail -n 1)"
	else
		check_eq "$rc" 1 "run --db, server down: exit status"
		one_line "$tmp/err" "run --db, server down"
		check_grep "^vcpubench: run: --db: postgresql: cannot connect: .*; results kept in $live/live-down$" \
			"$tmp/err" "run --db, server down: message"
		[ -s "$live/live-down/phases.csv" ] && [ -s "$live/live-down/meta.json" ] ||
			fail "run --db, server down: the results are not kept"
	fi
	;;
*) echo "usage: test_db.sh sqlite|postgres VCPUBENCH DATA" >&2; exit 2 ;;
esac

[ "$failures" = 0 ] || { echo "test_db $mode: $failures failures" >&2; exit 1; }
echo "test_db $mode: ok"
