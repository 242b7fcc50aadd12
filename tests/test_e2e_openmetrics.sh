#!/usr/bin/env bash
# report --format openmetrics and --push against real Prometheus tools:
# promtool checks the exposition, the content is checked against phases.csv
# and meta.json, and a real Pushgateway (started here on a free loopback
# port, stopped by the trap on every path) takes the push and serves the
# samples back with their labels. Then the errors: a server that is down, a
# bad URL, a non-2xx answer (exit 1, one line), --push without openmetrics
# (exit 2). Skips (exit 4) only when promtool or the Pushgateway is absent.
# usage: test_e2e_openmetrics.sh VCPUBENCH DATA_DIR
set -uo pipefail
bin=$1 data=$2

skip() { echo "skip: $*" >&2; exit 4; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
failures=0

promtool=$(command -v promtool) || skip "no promtool (Debian: apt-get install prometheus)"
gateway=$(command -v prometheus-pushgateway) ||
  skip "no prometheus-pushgateway (Debian: apt-get install prometheus-pushgateway)"
command -v curl >/dev/null || skip "no curl (Debian: apt-get install curl)"
tmp=$(mktemp -d /tmp/vb-om-XXXXXX)
gw_pid=
stop_gateway() { [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null; gw_pid=; }
trap 'stop_gateway; rm -rf "$tmp"' EXIT

# --- the exposition ---------------------------------------------------------
om() { "$bin" report --format openmetrics "$@"; }
for set in "small" "sweep" "small aa partial" "small small"; do
  dirs=(); for d in $set; do dirs+=("$data/$d"); done
  om "${dirs[@]}" >"$tmp/om" 2>"$tmp/err" || fail "$set: exit $?: $(cat "$tmp/err")"
  "$promtool" check metrics <"$tmp/om" >"$tmp/lint" 2>&1 || fail "$set: promtool: $(head -3 "$tmp/lint")"
  [ "$(tail -n 1 "$tmp/om")" = "# EOF" ] || fail "$set: does not end with # EOF"
  dup=$(grep -v '^#' "$tmp/om" | sed 's/ [^ ]*$//' | sort | uniq -d | head -1)
  [ -z "$dup" ] || fail "$set: a series twice: $dup"
done

om "$data/small" >"$tmp/small.om"
grep -qx '# UNIT vcpubench_phase_duration_seconds seconds' "$tmp/small.om" ||
  fail "no # UNIT seconds for the phase summary"
grep -Eq '^[a-z_]*_(ns|us|ms|nanoseconds)[{ ]' "$tmp/small.om" &&
  fail "a metric not in base units"

# Each phase with ok rows in phases.csv has its summary with that count.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         $c["status"] == "ok" { n[$c["phase"]]++ }
         END { for (p in n) print p, n[p] }' "$data/small/phases.csv" >"$tmp/counts"
[ -s "$tmp/counts" ] || fail "no ok rows in phases.csv?"
while read -r phase n; do
  got=$(grep "^vcpubench_phase_duration_seconds_count{phase=\"$phase\"," "$tmp/small.om" |
        awk '{ print $NF }')
  [ "$got" = "$n" ] || fail "phase $phase: _count '$got', phases.csv has $n ok rows"
  for q in 0.5 0.9 0.99 0.999; do
    grep -q "^vcpubench_phase_duration_seconds{phase=\"$phase\",quantile=\"$q\"," "$tmp/small.om" ||
      fail "phase $phase: no quantile $q"
  done
  grep -q "^vcpubench_phase_duration_seconds_sum{phase=\"$phase\"," "$tmp/small.om" ||
    fail "phase $phase: no _sum"
done <"$tmp/counts"
summaries=$(grep -c '^vcpubench_phase_duration_seconds_count{' "$tmp/small.om")
[ "$summaries" -eq "$(wc -l <"$tmp/counts")" ] || fail "$summaries summaries for $(wc -l <"$tmp/counts") phases"

# Seconds: kvm_open has one sample in small, its duration_ns as seconds.
ns=$(awk -F, '$6 == "kvm_open" && $9 == "ok" { print $8 }' "$data/small/phases.csv")
want=$(awk -v ns="$ns" 'BEGIN { printf "%.9f", ns / 1e9 }')
grep -q "^vcpubench_phase_duration_seconds{phase=\"kvm_open\",quantile=\"0.5\",.*} $want\$" \
  "$tmp/small.om" || fail "kvm_open p50 is not $want s"

# The identity on every sample, from meta.json.
host=$(jq -r .host.hostname "$data/small/meta.json")
kernel=$(jq -r .host.kernel_release "$data/small/meta.json")
for l in "run=\"small\"" "host=\"$host\"" "kernel=\"$kernel\"" 'vms="1"' 'vcpus="2"' \
         'iterations="3"' 'guest="pio"' 'version="0.1.0"'; do
  missing=$(grep -v '^#' "$tmp/small.om" | grep -cvF "$l")
  [ "$missing" -eq 0 ] || fail "$missing samples without $l"
done
for g in run_wall_seconds run_vms_per_second run_vcpus_per_second run_complete \
         trace_events_lost; do
  grep -q "^vcpubench_$g{" "$tmp/small.om" || fail "no vcpubench_$g"
done
grep -q '^vcpubench_run_complete{.*} 1$' "$tmp/small.om" || fail "complete is not 1"
grep -q '^vcpubench_trace_events_lost{.*} 3$' "$tmp/small.om" || fail "events lost is not 3"
# Into files, not into grep -q: grep quits at the first match, the writer
# dies of SIGPIPE, and pipefail would call that a failure.
om "$data/partial" >"$tmp/partial.om"
grep -q '^vcpubench_run_complete{run="partial",.*} 0$' "$tmp/partial.om" ||
  fail "partial: complete is not 0"
wall=$(jq .run.wall_ns "$data/small/meta.json")
grep -q "^vcpubench_run_wall_seconds{.*} $(awk -v ns="$wall" 'BEGIN { printf "%.9g", ns / 1e9 }')\$" \
  "$tmp/small.om" || fail "wall time is not $wall ns in seconds"

# The same directory twice: two runs, not one series twice.
om "$data/small" "$data/small" >"$tmp/twice.om"
grep -q "^vcpubench_run_complete{run=\"$data/small#2\"" "$tmp/twice.om" ||
  fail "small twice: no second run label"

# Sweep points apart by their run label, each with its own VM count.
om "$data/sweep" >"$tmp/sweep.om"
for pt in vms-1:1 vms-2:2 vms-4:4; do
  grep -q "^vcpubench_phase_duration_seconds_count{phase=\"vm_create\",run=\"${pt%:*}\",.*vms=\"${pt#*:}\"" \
    "$tmp/sweep.om" || fail "sweep point ${pt%:*}: no vm_create summary with vms=${pt#*:}"
done

# A tag that needs escaping stays one valid label value.
cp -r "$data/small" "$tmp/tagged"
jq '.config.tag = "a\"b\\c\nd"' "$data/small/meta.json" >"$tmp/tagged/meta.json"
om "$tmp/tagged" >"$tmp/tagged.om" || fail "tagged: exit $?"
"$promtool" check metrics <"$tmp/tagged.om" >"$tmp/lint" 2>&1 || fail "tagged: promtool: $(head -3 "$tmp/lint")"
grep -qF 'tag="a\"b\\c\nd"' "$tmp/tagged.om" || fail "tag not escaped as a\\\"b\\\\c\\nd"

# --- the push ---------------------------------------------------------------
# A free port: try random ones until the gateway stays up and is ready.
port=
for _ in 1 2 3 4 5 6 7 8; do
  p=$((20000 + RANDOM % 40000))
  "$gateway" --web.listen-address="127.0.0.1:$p" --persistence.file= >"$tmp/gw.log" 2>&1 &
  gw_pid=$!
  for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$p/-/ready" >/dev/null 2>&1 && { port=$p; break 2; }
    kill -0 "$gw_pid" 2>/dev/null || break
    sleep 0.1
  done
  stop_gateway
done
[ -n "$port" ] || { fail "the pushgateway did not start: $(tail -3 "$tmp/gw.log")"; exit 1; }
url="http://127.0.0.1:$port"

"$bin" report --format openmetrics --push "$url" "$data/small" >"$tmp/out" 2>"$tmp/err" ||
  fail "push: exit $?: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "push without --out printed to stdout"
curl -sf "$url/metrics" >"$tmp/back" || fail "cannot read $url/metrics back"
while read -r phase n; do
  line=$(grep "^vcpubench_phase_duration_seconds_count{" "$tmp/back" | grep "phase=\"$phase\"")
  [ "${line##* }" = "$n" ] || fail "pushed $phase: count '${line##* }', want $n"
  for l in "host=\"$host\"" "kernel=\"$kernel\"" 'instance="vm"' 'job="vcpubench"' 'run="small"' \
           'vcpus="2"'; do
    grep -qF "$l" <<<"$line" || fail "pushed $phase: no $l"
  done
done <"$tmp/counts"
grep -q '^vcpubench_phase_duration_seconds{.*phase="kvm_open".*quantile="0.5".*} ' "$tmp/back" ||
  fail "pushed: no kvm_open quantile"
grep -q '^vcpubench_run_complete{.*} 1$' "$tmp/back" || fail "pushed: no run_complete"

# A PUT replaces the group: after the sweep is pushed, small's run is gone.
"$bin" report --format openmetrics --push "$url" "$data/sweep" 2>"$tmp/err" ||
  fail "push sweep: exit $?: $(cat "$tmp/err")"
curl -sf "$url/metrics" >"$tmp/back"
grep -q 'run="vms-4"' "$tmp/back" || fail "pushed sweep: no vms-4"
grep -q 'run="small"' "$tmp/back" && fail "pushed sweep: small's samples linger"

# --push and --out: both.
"$bin" report --format openmetrics --push "$url" --out "$tmp/both.om" "$data/small" 2>"$tmp/err" ||
  fail "push --out: exit $?"
[ "$(tail -n 1 "$tmp/both.om" 2>/dev/null)" = "# EOF" ] || fail "push --out: no file"

# --- errors -----------------------------------------------------------------
expect() { # expect STATUS WHAT ARGS...: exit STATUS, one line on stderr containing WHAT
  local want=$1 what=$2; shift 2
  "$bin" report "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "report $*: exit $rc, want $want"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "report $*: not one line: $(cat "$tmp/err")"
  grep -qF -- "$what" "$tmp/err" || fail "report $*: message lacks '$what': $(cat "$tmp/err")"
}
expect 1 "'$url/nope': HTTP 404" --format openmetrics --push "$url/nope" "$data/small"
expect 1 "'ht!tp:/x': not an http" --format openmetrics --push 'ht!tp:/x' "$data/small"
expect 1 "'ftp://127.0.0.1/': not an http" --format openmetrics --push ftp://127.0.0.1/ "$data/small"
expect 2 "--push needs --format openmetrics" --push "$url" "$data/small"
expect 2 "--push needs --format openmetrics" --format json --push "$url" "$data/small"
stop_gateway
expect 1 "'$url': Couldn't connect" --format openmetrics --push "$url" "$data/small"

[ "$failures" -eq 0 ] || { echo "$failures failures" >&2; exit 1; }
echo "ok: openmetrics exposition and Pushgateway push"
