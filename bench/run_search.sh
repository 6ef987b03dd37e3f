#!/usr/bin/env bash
# bench/run_search.sh [BUILD_DIR]: FHIR search throughput on a filled SQLite store.
#
# Builds hearth (Release) in BUILD_DIR (default: build), starts it on a fresh SQLite store, fills
# it for LOAD_SECONDS with varied Patients over wrk (bench/post_varied_patient.lua: that phase
# is also the creates/s figure with search indexing on), then measures with wrk -t2 -c32:
#   read      GET Patient/{id}                                  (the ceiling of a search page)
#   family    GET Patient?family=Family042&_count=20             (string, 1 in 200 match)
#   combined  GET Patient?birthdate=ge1990&gender=female&_count=20   (date + token, ~12% match)
#   identifier GET Patient?identifier=urn:bench|<one>           (token, exactly one match)
#   page      GET Patient?family=Family042&_count=20&_offset=40  (a later page)
# and prints req/s with p50/p99 latency for each, plus the store's size. Exit 1 on any failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
DURATION=${BENCH_DURATION:-10}
LOAD_SECONDS=${BENCH_LOAD_SECONDS:-10}
HOST=127.0.0.1

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

cmake --build "$BUILD" --target hearth >/dev/null || die "build failed"
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hearth-search-bench.XXXXXX")
PID=""
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

"$BUILD/hearth" serve --listen "$HOST:0" --mllp-listen off --store "sqlite:$TMP/hearth.db" \
  2>"$TMP/stderr.log" &
PID=$!
for _ in $(seq 100); do grep -q "listening on http://" "$TMP/stderr.log" && break; sleep 0.1; done
BASE=$(grep -o 'listening on http://[^ ]*' "$TMP/stderr.log" | head -1 | sed 's/listening on //')
[[ -n $BASE ]] || { cat "$TMP/stderr.log" >&2; die "hearth did not start"; }
ORIGIN=${BASE%/fhir}

to_ms() { awk '{ v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0;
                 else if (v ~ /s$/) v = v * 1000; printf "%.2f", v }'; }

# wrk_case NAME URL [args]: prints "NAME req/s p50 p99"; fails on any non-2xx answer.
wrk_case() {
  local name=$1 url=$2; shift 2
  wrk -t2 -c32 -d2s "$@" "$url" >/dev/null
  wrk -t2 -c32 -d"${DURATION}s" --latency "$@" "$url" >"$TMP/$name.txt"
  if grep -q "Non-2xx" "$TMP/$name.txt"; then cat "$TMP/$name.txt" >&2; die "$name: non-2xx answers"; fi
  printf "%-11s %9.0f req/s   p50 %6s ms   p99 %6s ms\n" "$name" \
    "$(awk '/^Requests\/sec:/ {print $2}' "$TMP/$name.txt")" \
    "$(awk '$1 == "50%" {print $2}' "$TMP/$name.txt" | to_ms)" \
    "$(awk '$1 == "99%" {print $2}' "$TMP/$name.txt" | to_ms)"
}

log "filling the store for ${LOAD_SECONDS}s"
(cd "$ROOT" && wrk -t2 -c16 -d"${LOAD_SECONDS}s" -s bench/post_varied_patient.lua "$ORIGIN") >"$TMP/load.txt"
grep -q "Non-2xx" "$TMP/load.txt" && { cat "$TMP/load.txt" >&2; die "creates failed"; }
TOTAL=$(curl -sf "$BASE/Patient?_summary=count" | grep -o '"total":[0-9]*' | cut -d: -f2)
echo "store: $TOTAL Patients, created at $(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$TMP/load.txt")/s" \
     "with indexing; $(du -sh "$TMP" | cut -f1) on disk"

ONE=$(curl -sf "$BASE/Patient?_count=1" | grep -o '"id":"[^"]*"' | sed -n 2p | cut -d'"' -f4)
IDENT=$(curl -sf "$BASE/Patient/$ONE" | grep -o '"value":"[^"]*"' | head -1 | cut -d'"' -f4)
MATCHES=$(curl -sf "$BASE/Patient?family=Family042&_summary=count" | grep -o '"total":[0-9]*' | cut -d: -f2)
COMBINED=$(curl -sf "$BASE/Patient?birthdate=ge1990&gender=female&_summary=count" | grep -o '"total":[0-9]*' | cut -d: -f2)
echo "matches: family=Family042 $MATCHES, birthdate=ge1990&gender=female $COMBINED"

wrk_case read "$BASE/Patient/$ONE"
wrk_case family "$BASE/Patient?family=Family042&_count=20"
wrk_case combined "$BASE/Patient?birthdate=ge1990&gender=female&_count=20"
wrk_case identifier "$BASE/Patient?identifier=urn:bench%7C$IDENT"
wrk_case page "$BASE/Patient?family=Family042&_count=20&_offset=40"
