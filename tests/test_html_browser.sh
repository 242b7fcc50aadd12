#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium loads each report
# with no console message, and every plot is an inline, non-empty <svg>.
# Also checks that the file fetches nothing (no script, link, src or URL
# other than the SVG/XLink namespaces). Skips (exit 4) only when Chromium
# or gnuplot is not installed or Chromium cannot start at all.
# usage: test_html_browser.sh VCPUBENCH DATA_DIR
set -uo pipefail
bin=$1 data=$2

skip() { echo "skip: $*" >&2; exit 4; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
failures=0

browser=$(command -v chromium || command -v chromium-browser) ||
  skip "no chromium (Debian: apt-get install chromium)"
command -v gnuplot >/dev/null || skip "no gnuplot (Debian: apt-get install gnuplot-nox)"
tmp=$(mktemp -d /tmp/vb-html-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

chromium_run() { # chromium_run PROFILE ARGS... (stdout: DOM; stderr: log)
  local profile=$1; shift
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
}

# Can this browser run here at all? A blank page must give a DOM.
chromium_run "$tmp/p0" --dump-dom about:blank >"$tmp/blank" 2>"$tmp/blank.log"
grep -q "<body" "$tmp/blank" || skip "chromium cannot start: $(tail -n 3 "$tmp/blank.log")"

# check NAME SVGS DIR...: render, load, count plots.
check() {
  local name=$1 svgs=$2; shift 2
  local html="$tmp/$name.html" dom="$tmp/$name.dom" log="$tmp/$name.log"

  "$bin" report --format html --out "$html" "$@" || { fail "$name: report exit $?"; return; }
  grep -qiE '<script|<link|<iframe|<img|@import|src=' "$html" && fail "$name: fetches or scripts"
  grep -oE 'https?://[^"'"'"' )]*' "$html" | grep -vE '^http://www\.w3\.org/(2000/svg|1999/xlink)$' |
    grep -q . && fail "$name: URL in the page: $(grep -oE 'https?://[^" ]*' "$html" | sort -u | head -3)"
  chromium_run "$tmp/p-$name" --dump-dom "file://$html" >"$dom" 2>"$log" ||
    fail "$name: chromium exit $?"
  grep -q 'CONSOLE' "$log" && fail "$name: console messages: $(grep CONSOLE "$log" | head -3)"
  local found
  found=$(grep -o '<svg' "$dom" | wc -l)
  [ "$found" -eq "$svgs" ] || fail "$name: $found <svg> in the loaded page, want $svgs"
  # Every plot has drawing in it and a size: split the DOM at </svg>.
  awk -v name="$name" 'BEGIN { RS = "</svg>" }
    /<svg/ { s = substr($0, index($0, "<svg")); n++
             paths = gsub(/<path/, "", s)
             if (paths < 10 || s !~ /viewBox="0 0 [1-9][0-9]* [1-9][0-9]*"/)
               { printf "FAIL: %s: plot %d is empty (%d paths)\n", name, n, paths; bad++ } }
    END { exit bad > 0 }' "$dom" >&2 || failures=$((failures + 1))
  chromium_run "$tmp/s-$name" --window-size=1200,4000 --screenshot="$tmp/$name.png" \
    "file://$html" >/dev/null 2>&1
  [ "$(stat -c %s "$tmp/$name.png" 2>/dev/null || echo 0)" -gt 20000 ] ||
    fail "$name: no screenshot"
}

check traced 4 "$data/small"           # distribution, CDF, timeline, first-KVM_RUN events
check two 5 "$data/small" "$data/partial" # + the second run's timeline; it has no events
check sweep 4 "$data/sweep"            # scaling, distribution, CDF, last point's timeline

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed" >&2; exit 1; }
echo "html reports load in $("$browser" --version 2>/dev/null) with every plot present"
