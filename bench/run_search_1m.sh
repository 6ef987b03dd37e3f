#!/usr/bin/env bash
# shellcheck disable=SC2016  # the jq programs below are single-quoted on purpose
# bench/run_search_1m.sh [BUILD_DIR]: search on a store of 1,000,000 resources, every query shape
# of issue 13 next to a read in one run, against its acceptance targets (bench/README.md, "Search
# on a million resources").
#
# Builds hearth and bench_tx_load (Release) in BUILD_DIR (default: build), starts hearth on a
# SQLite store and, when the store is new, fills it with BENCH_RESOURCES (default 1,000,000)
# resources: synthetic patient histories (bench/tools/synthetic_history.h, seed 1) of
# BENCH_ENTRIES (default 20) entries each, posted as transaction Bundles by bench_tx_load over 4
# connections: a Patient, its Encounters with their vital-sign and lab Observations (LOINC,
# values, dates, subject and encounter references), Conditions, MedicationRequests, Procedures,
# Immunizations. Then it samples the store (Patients' ids, identifiers and family names;
# Observations' days) and writes, per shape, a shuffled list of requests whose values vary, so
# that no answer is served from a warm spot: wrk (bench/lib/paths.lua) sends each request the
# next one. Each case runs wrk -t2 -c32 --latency for BENCH_DURATION s (default 10):
#   read          Patient/{id}
#   identifier    Patient?identifier=SYSTEM|{uuid}                          (one match)
#   name          Patient?name={family without its last digit}              (prefix, ~10 names)
#   date          Observation?date=ge{day}&date=lt{day + 7}                 (a week)
#   token+date    Observation?code=LOINC|{code}&date={day}
#   unselective   Patient?birthdate=ge{1985..1995}&gender={female|male}    (first page)
#   chain-name    Observation?subject:Patient.name={family}
#   chain-ident   Observation?subject:Patient.identifier=SYSTEM|{uuid}
#   include       Observation?code=LOINC|{code}&_include=Observation:subject
#   revinclude    Patient?identifier=SYSTEM|{uuid}&_revinclude=Observation:subject
#   has           Patient?_has:Observation:subject:code={code}
#   content       Patient?_content={family}                                 (full text)
# each with _count=20 and the default _total=estimate. Prints req/s, p50 and p99 per case with the
# 1-minute load average before it, the target and PASS/MISS (a non-2xx answer or a wrk timeout,
# 10 s, is a MISS), the store's size on disk, and one
# example answer's match count per shape. Exit 0 when every target is met, 3 when one is missed,
# 1 when something broke.
#
# BENCH_STORE_DIR=DIR keeps the store in DIR: filled only when DIR/hearth.db does not exist (a
# fill that did not finish leaves no DIR/filled and is refused), so two binaries can be compared
# on one store (BENCH_HEARTH=path/to/hearth runs another binary than BUILD_DIR's).
# BENCH_CASES="identifier has" runs only those cases (the read always runs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
RESOURCES=${BENCH_RESOURCES:-1000000}
ENTRIES=${BENCH_ENTRIES:-20}
CASES=${BENCH_CASES:-}
SYSTEM=https://github.com/synthetichealth/synthea
LOINC=http://loinc.org

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }
# shellcheck source=bench/lib/processes.sh
source "$ROOT/bench/lib/processes.sh"
# shellcheck source=bench/lib/search_server.sh
source "$ROOT/bench/lib/search_server.sh"
command -v jq >/dev/null || die "jq is needed (apt-get install jq)"

search_hearth "$BUILD"
bench_processes hearth-search-1m
search_store
if [[ $FILL == 0 && ! -f $STORE/filled ]]; then
  die "$STORE holds a store whose fill did not finish: remove it"
fi
search_serve

if [[ $FILL == 1 ]]; then
  cmake --build "$BUILD" --target bench_tx_load >/dev/null || die "build failed"
  histories=$(((RESOURCES + ENTRIES - 1) / ENTRIES))
  port=${BASE##*:}
  port=${port%%/*}
  log "filling the store: $histories histories of $ENTRIES entries"
  "$BUILD/bench/tools/bench_tx_load" --seed 1 --entries "$ENTRIES" 127.0.0.1 "$port" \
    "$histories" 4 >"$TMP/fill.txt" || { cat "$TMP/fill.txt" >&2; die "the fill failed"; }
  log "filled: $(tail -1 "$TMP/fill.txt")"
  touch "$STORE/filled"
fi

# --- samples and request lists ----------------------------------------------------------------
get() { curl -sf "$BASE$1" || die "GET $1 failed"; }
total() { get "$1" | jq -r '.total'; }
PATIENTS=$(total "/Patient?_summary=count")
OBSERVATIONS=$(total "/Observation?_summary=count")
echo "store: $(total "?_summary=count") resources ($PATIENTS Patients, $OBSERVATIONS" \
  "Observations), $(du -sh "$STORE" | cut -f1) on disk ($(du -sb "$STORE" | cut -f1) bytes)"

# 4,000 Patients and 4,000 Observations, 1,000 from each quarter of their type's id order.
: >"$TMP/patients.tsv"
: >"$TMP/days.txt"
for q in 0 1 2 3; do
  get "/Patient?_count=1000&_offset=$((PATIENTS * q / 4))&_elements=identifier,name" |
    jq -r --arg s "$SYSTEM" '.entry[].resource | [.id,
      (.identifier[] | select(.system == $s) | .value), .name[0].family] | @tsv' \
    >>"$TMP/patients.tsv"
  get "/Observation?_count=1000&_offset=$((OBSERVATIONS * q / 4))&_elements=effective" |
    jq -r '.entry[].resource.effectiveDateTime[0:10]' >>"$TMP/days.txt"
done
# The LOINC codes of the generator's Observations (bench/tools/synthetic_codes.h).
CODES='["8302-2", "29463-7", "39156-5", "85354-9", "8867-4", "9279-1", "2339-0", "6299-2",
  "38483-4", "49765-1", "2947-0", "6298-4", "2069-3", "20565-8", "2093-3", "2571-8", "18262-6",
  "2085-9", "4548-4"]'

# paths NAME JQ_PROGRAM [FILE]: one request path per input line (default the Patients, as
# [id, uuid, family]; days.txt lines as strings), shuffled, in $TMP/NAME.paths.
paths() {
  local name=$1 program=$2 input=${3:-$TMP/patients.tsv} split=""
  [[ $input == *.tsv ]] && split='split("\t") | '
  jq -Rr --arg s "$SYSTEM" --arg l "$LOINC" --argjson codes "$CODES" "$split$program" "$input" |
    shuf --random-source=<(yes) >"$TMP/$name.paths"
}
# jq helpers: a code picked by the input line's text, a day plus n days.
H='def code: $codes[(tostring | explode | add) % ($codes | length)];
   def plus($n): strptime("%Y-%m-%d") | mktime + $n * 86400 | strftime("%Y-%m-%d");'
paths read '"/fhir/Patient/\(.[0])"'
paths identifier '"/fhir/Patient?identifier=\($s)%7C\(.[1])&_count=20"'
paths name '"/fhir/Patient?name=\(.[2][0:-1] | @uri)&_count=20"'
paths date "$H"' "/fhir/Observation?date=ge\(.)&date=lt\(plus(7))&_count=20"' "$TMP/days.txt"
paths token+date "$H"' "/fhir/Observation?code=\($l)%7C\(code)&date=\(.)&_count=20"' \
  "$TMP/days.txt"
paths unselective '"/fhir/Patient?birthdate=ge\(1985 + (.[1] | explode | add) % 11)" +
  "&gender=\(if (.[0] | explode | add) % 2 == 0 then "female" else "male" end)&_count=20"'
paths chain-name '"/fhir/Observation?subject:Patient.name=\(.[2] | @uri)&_count=20"'
paths chain-ident '"/fhir/Observation?subject:Patient.identifier=\($s)%7C\(.[1])&_count=20"'
paths include "$H"' "/fhir/Observation?code=\($l)%7C\(.[1] | code)" +
  "&_include=Observation:subject&_count=20"'
paths revinclude '"/fhir/Patient?identifier=\($s)%7C\(.[1])" +
  "&_revinclude=Observation:subject&_count=20"'
paths has "$H"' "/fhir/Patient?_has:Observation:subject:code=\(.[1] | code)&_count=20"'
paths content '"/fhir/Patient?_content=\(.[2] | @uri)&_count=20"'

# --- cases ------------------------------------------------------------------------------------
ROWS=()
MISSED=0
WRK_KEEP_GOING=1
READ_RPS=0
# target OK TEXT: adds "PASS TEXT" or "MISS TEXT" to TARGET.
target() {
  local verdict=PASS
  (($1)) || { verdict=MISS; MISSED=1; }
  TARGET+="${TARGET:+, }$verdict $2"
}
p50_within() { awk -v p="$WRK_P50" -v t="$1" 'BEGIN { print (p <= t) ? 1 : 0 }'; }
run() {
  local name=$1 example matches
  [[ $name == read || -z $CASES || " $CASES " == *" $name "* ]] || return 0
  example=$(head -1 "$TMP/$name.paths")
  matches=$(curl -sf "$ORIGIN$example" | jq -r 'if .resourceType == "Bundle" then
    "\(.total // "-") total, \([.entry[]? | select(.search.mode == "match")] | length) match," +
    " \([.entry[]? | select(.search.mode == "include")] | length) include" else "a read" end')
  wrk_case "$name" "$TMP/$name.paths" >/dev/null
  TARGET=""
  ((WRK_ERRORS == 0)) || target 0 "$WRK_ERRORS errors"
  case $name in
    read) READ_RPS=$WRK_RPS ;;
    identifier) target "$(p50_within 10)" "p50 <= 10 ms"
      target $((WRK_RPS * 10 >= READ_RPS * 4)) ">= 40% of read" ;;
    name | date | token+date) target "$(p50_within 10)" "p50 <= 10 ms" ;;
    chain-* | include | revinclude | has) target "$(p50_within 30)" "p50 <= 30 ms" ;;
    unselective) target $((WRK_RPS >= 1000)) ">= 1000 req/s" ;;
  esac
  ROWS+=("$(printf '| %-11s | %7s | %7s | %8s | %5s | %-32s | %s |' "$name" "$WRK_RPS" \
    "$WRK_P50" "$WRK_P99" "$WRK_LOAD" "$TARGET" "$matches")")
  echo "${ROWS[-1]}" >&2
}
for name in read identifier name date token+date unselective chain-name chain-ident include \
  revinclude has content; do
  run "$name"
done

echo
echo "Search on $(($(du -sb "$STORE" | cut -f1) / 1048576)) MB of SQLite, wrk -t2 -c32" \
  "${DURATION}s per case, $(nproc) cores; load: 1-minute load average before each case"
printf '| %-11s | %7s | %7s | %8s | %5s | %-32s | %s |\n' case req/s "p50 ms" "p99 ms" load \
  target "example answer"
echo "|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do echo "$row"; done
((MISSED == 0)) || exit 3
