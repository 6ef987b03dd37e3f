#!/usr/bin/env bash
# bench/run_export.sh [BUILD_DIR]: Bulk Data $export speed and memory on a filled SQLite store.
#
# Builds hearth and bench_tx_load (Release) in BUILD_DIR (default: build), starts hearth on a
# fresh SQLite store and loads EXPORT_RESOURCES resources (default 20,000; 1000000 is the issue's
# figure) as synthetic patient histories (bench_tx_load, 100-entry transactions). Then it
# restarts hearth on the same store, so the export starts from an idle process, records the
# idle RSS, kicks off a system-level `GET /fhir/$export` with `Prefer: respond-async`, polls
# the status URL every 0.2 s until the manifest (sampling VmRSS), and prints:
#   resources exported (the manifest's counts), files, bytes written, seconds, resources/s,
#   idle RSS, peak RSS (VmHWM: the process began idle), growth over idle, and the verdict
#   against the target: growth at most 64 MB (issue 18, for 1M resources).
# Exit 1 on any failure (load, kick-off, a failed export, an unreadable manifest).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
RESOURCES=${EXPORT_RESOURCES:-20000}
ENTRIES=100
CONNECTIONS=${EXPORT_LOAD_CONNECTIONS:-4}
TARGET_MB=64

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }
((RESOURCES >= ENTRIES)) || die "EXPORT_RESOURCES must be at least $ENTRIES"

generator=()
[[ -f $BUILD/CMakeCache.txt ]] || { command -v ninja >/dev/null && generator=(-G Ninja); }
cmake -S "$ROOT" -B "$BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null ||
  die "cmake configure failed"
cmake --build "$BUILD" --target hearth bench_tx_load >&2 || die "build failed"
HEARTH=$BUILD/hearth
LOADER=$BUILD/bench/tools/bench_tx_load

# shellcheck source=bench/lib/processes.sh
. "$ROOT/bench/lib/processes.sh"
bench_processes hearth-exportbench

# start_hearth NAME: sets HEARTH_PID and BASE (http://127.0.0.1:PORT/fhir).
start_hearth() {
  local name=$1
  "$HEARTH" serve --listen 127.0.0.1:0 --mllp-listen off --store "sqlite:$TMP/hearth.db" \
    --export-dir "$TMP/exports" 2>"$TMP/$name.log" &
  HEARTH_PID=$!
  PIDS+=("$HEARTH_PID")
  wait_line "$TMP/$name.log" "listening on http://" "$HEARTH_PID"
  BASE=$(grep -o 'listening on http://[^ ]*' "$TMP/$name.log" | head -1 | sed 's/listening on //')
  [[ -n $BASE ]] || { cat "$TMP/$name.log" >&2; die "hearth did not start"; }
}
rss_kb() { awk '$1 == "VmRSS:" {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '$1 == "VmHWM:" {print $2}' "/proc/$1/status"; }

start_hearth load
PORT=${BASE##*:}
PORT=${PORT%%/*}
HISTORIES=$((RESOURCES / ENTRIES))
log "loading $((HISTORIES * ENTRIES)) resources ($HISTORIES histories of $ENTRIES)"
"$LOADER" --entries "$ENTRIES" 127.0.0.1 "$PORT" "$HISTORIES" "$CONNECTIONS" >"$TMP/load.txt" ||
  { cat "$TMP/load.txt" >&2; die "loading failed"; }
log "$(tail -1 "$TMP/load.txt")"
stop "$HEARTH_PID"

start_hearth export
curl -sf "$BASE/metadata" >/dev/null || die "metadata failed"
sleep 1
IDLE=$(rss_kb "$HEARTH_PID")
START=$(date +%s.%N)
STATUS_URL=$(curl -sf -D - -o /dev/null -H 'Prefer: respond-async' "$BASE/\$export" |
  tr -d '\r' | awk -F': ' 'tolower($1) == "content-location" {print $2}')
[[ -n $STATUS_URL ]] || die "kick-off did not answer 202 with Content-Location"
PEAK=$IDLE
while :; do
  code=$(curl -s -o "$TMP/manifest.json" -w '%{http_code}' "$STATUS_URL")
  now=$(rss_kb "$HEARTH_PID")
  ((now > PEAK)) && PEAK=$now
  [[ $code == 202 ]] || break
  sleep 0.2
done
END=$(date +%s.%N)
[[ $code == 200 ]] || { cat "$TMP/manifest.json" >&2; die "export answered $code"; }
HWM=$(hwm_kb "$HEARTH_PID")
((HWM > PEAK)) && PEAK=$HWM

EXPORTED=$(grep -o '"count":[0-9]*' "$TMP/manifest.json" | cut -d: -f2 | paste -sd+ | bc)
FILES=$(grep -o '"url":' "$TMP/manifest.json" | wc -l)
BYTES=$(du -sb "$TMP/exports" | cut -f1)
SECONDS_TAKEN=$(echo "$END - $START" | bc)
GROWTH_MB=$(((PEAK - IDLE) / 1024))
VERDICT="PASS"
((GROWTH_MB <= TARGET_MB)) || VERDICT="MISS"
printf 'exported   %d resources in %d files, %d MB of NDJSON, %.1f s: %.0f resources/s\n' \
  "$EXPORTED" "$FILES" "$((BYTES / 1048576))" "$SECONDS_TAKEN" \
  "$(echo "$EXPORTED / $SECONDS_TAKEN" | bc -l)"
printf 'rss        idle %d MB, peak %d MB, growth %d MB: %s (target <= %d MB)\n' \
  "$((IDLE / 1024))" "$((PEAK / 1024))" "$GROWTH_MB" "$VERDICT" "$TARGET_MB"
stop "$HEARTH_PID"
