#!/usr/bin/env bash
# bench/run_search_scale.sh [BUILD_DIR]: search throughput on a store of N Patients, the query
# shapes of issue 13 next to a read in one run.
#
# Builds hearth (Release) in BUILD_DIR (default: build), starts it on a SQLite store and fills it
# with BENCH_PATIENTS (default 100,000) varied Patients over wrk (bench/post_varied_patient.lua:
# 200 families, birth years 1930-2009, both genders, one identifier each), then measures with
# wrk -t2 -c32 for BENCH_DURATION seconds (default 10) each:
#   read        GET Patient/{id}
#   identifier  GET Patient?identifier=urn:bench|<one>                  (one match)
#   name        GET Patient?name=Family04                                (prefix, 1 in 20)
#   birthdate   GET Patient?birthdate=ge1990-01-01&birthdate=lt1991-01-01 (range, 1 in 80)
#   unselective GET Patient?birthdate=ge1990&gender=female                (1 in 8, two dense clauses)
#   token+date  GET Patient?gender=male&birthdate=1975                    (1 in 160)
# every search with _count=20 and the default _total=estimate, and prints req/s with p50/p99
# latency for each, plus the store's size. Exit 1 on any failure.
#
# BENCH_STORE_DIR=DIR keeps the store in DIR and fills it only when DIR/hearth.db does not exist
# yet, so two binaries can be compared on one store (BENCH_HEARTH=path/to/hearth runs another
# binary than BUILD_DIR's; nothing is built then).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
PATIENTS=${BENCH_PATIENTS:-100000}

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }
# shellcheck source=bench/lib/processes.sh
source "$ROOT/bench/lib/processes.sh"
# shellcheck source=bench/lib/search_server.sh
source "$ROOT/bench/lib/search_server.sh"

search_hearth "$BUILD"
bench_processes hearth-search-scale
search_store
search_serve

patients() { curl -sf "$BASE/Patient?_summary=count" | grep -o '"total":[0-9]*' | cut -d: -f2; }
if [[ $FILL == 1 ]]; then
  log "filling the store with $PATIENTS Patients"
  start=$(date +%s)
  # wrk runs for a duration, not a count: stopped once the store holds enough.
  (cd "$ROOT" && exec wrk -t2 -c16 -d3600s -s bench/post_varied_patient.lua "$ORIGIN") \
    >"$TMP/load.txt" &
  LOADER=$!
  PIDS+=("$LOADER")
  while (($(patients) < PATIENTS)); do
    kill -0 "$LOADER" 2>/dev/null || { cat "$TMP/load.txt" >&2; die "the loader stopped"; }
    sleep 1
  done
  kill -INT "$LOADER"
  wait "$LOADER" || true
  grep -q "Non-2xx" "$TMP/load.txt" && { cat "$TMP/load.txt" >&2; die "creates failed"; }
  log "filled in $(($(date +%s) - start)) s"
fi
count() { curl -sf "$BASE/Patient?$1&_summary=count" | grep -o '"total":[0-9]*' | cut -d: -f2; }
echo "store: $(patients) Patients, $(du -sh "$STORE" | cut -f1) on disk"

ONE=$(curl -sf "$BASE/Patient?_count=1" | grep -o '"id":"[^"]*"' | sed -n 2p | cut -d'"' -f4)
IDENT=$(curl -sf "$BASE/Patient/$ONE" | grep -o '"value":"[^"]*"' | head -1 | cut -d'"' -f4)
NAME="name=Family04"
RANGE="birthdate=ge1990-01-01&birthdate=lt1991-01-01"
UNSELECTIVE="birthdate=ge1990&gender=female"
TOKEN_DATE="gender=male&birthdate=1975"
echo "matches: $NAME $(count "$NAME"), $RANGE $(count "$RANGE"), $UNSELECTIVE" \
     "$(count "$UNSELECTIVE"), $TOKEN_DATE $(count "$TOKEN_DATE")"

wrk_case read "$BASE/Patient/$ONE"
wrk_case identifier "$BASE/Patient?identifier=urn:bench%7C$IDENT&_count=20"
wrk_case name "$BASE/Patient?$NAME&_count=20"
wrk_case birthdate "$BASE/Patient?$RANGE&_count=20"
wrk_case unselective "$BASE/Patient?$UNSELECTIVE&_count=20"
wrk_case token+date "$BASE/Patient?$TOKEN_DATE&_count=20"
