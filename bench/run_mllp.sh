#!/usr/bin/env bash
# MLLP throughput at 1, 8 and 32 connections, each connection waiting for every ACK (on Hearth
# an ACK means the message is committed), for SECONDS each:
#   1. the ceiling: bench_mllp_echo, a canned-ACK server from this tree (no parse, no store);
#   2. a fresh `hearth serve` (SQLite in a temp directory, or STORE=URL) receiving ORU^R01 with
#      15 OBX, then ADT^A01, with unique control ids;
#   3. the storage ceiling of each kind on SQLite: the rows ingest_cost wrote for 3,000 ORU^R01 /
#      6,000 ADT^A01 (32 in flight), written again by SQLite alone in commits of 17 messages, the
#      group commit's average at 32 connections (bench/store/ingest_ceiling.cpp): the least CPU
#      one writer thread spends per message, whatever Hearth does before it.
# Then the parser alone (hl7_parse_bench: messages/s and MB/s on one core).
# Usage: bench/run_mllp.sh [BUILD_DIR]   (BENCH_SECONDS=10 per case by default;
#        CONNECTIONS="1 8 32" to change the connection counts)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
SECONDS_EACH=${BENCH_SECONDS:-10}
read -r -a COUNTS <<< "${CONNECTIONS:-1 8 32}"
cmake --build "$BUILD" --target hearth bench_mllp_load bench_mllp_echo hl7_parse_bench ingest_cost \
  ingest_ceiling >&2
TMP=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
LOAD="$BUILD/bench/mllp/bench_mllp_load"

"$BUILD/bench/mllp/bench_mllp_echo" 2 > "$TMP/echo.out" &
PIDS+=($!)
for _ in $(seq 1 100); do grep -q listening "$TMP/echo.out" && break; sleep 0.05; done
ECHO_PORT=$(sed -n 's/^mllp echo listening on .*:\([0-9]*\)$/\1/p' "$TMP/echo.out")
echo "== ceiling: echo-ACK server (no parse, no store)"
"$LOAD" --kind oru 127.0.0.1 "$ECHO_PORT" "$SECONDS_EACH" "${COUNTS[@]}" | sed 's/^/ceiling /'
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true; PIDS=()

STORE=${STORE:-sqlite:$TMP/hearth.db}
"$BUILD/hearth" serve --listen 127.0.0.1:0 --mllp-listen 127.0.0.1:0 --store "$STORE" \
  2>"$TMP/stderr.log" &
PIDS+=($!)
for _ in $(seq 1 200); do
  grep -q "listening on http://" "$TMP/stderr.log" && break
  sleep 0.05
done
PORT=$(sed -n 's/^hearth: mllp listening on .*:\([0-9]*\)$/\1/p' "$TMP/stderr.log")
[[ -n $PORT ]] || { cat "$TMP/stderr.log" >&2; echo "hearth did not start" >&2; exit 1; }
echo "== hearth: parse + durable archive + ACK (store $STORE)"
"$LOAD" --kind oru 127.0.0.1 "$PORT" "$SECONDS_EACH" "${COUNTS[@]}" | sed 's/^/hearth /'
"$LOAD" --kind adt 127.0.0.1 "$PORT" "$SECONDS_EACH" "${COUNTS[@]}" | sed 's/^/hearth /'
echo "   peak RSS of hearth: $(awk '/VmHWM/ {print $2, $3}' /proc/"${PIDS[0]}"/status)"

kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true; PIDS=()

echo "== storage ceiling: SQLite alone, one writer, the rows each kind writes"
for spec in "oru 3000" "adt 6000"; do
  read -r kind count <<< "$spec"
  kept=$(HEARTH_COST_IN_COMMIT=1 HEARTH_COST_KEEP=1 \
    "$BUILD/bench/hl7/ingest_cost" "$kind" "$count" 32 2>&1 >/dev/null |
    sed -n 's/^store kept: //p')
  [[ -n $kept ]] || { echo "ingest_cost kept no store" >&2; exit 1; }
  TMPDIR=$TMP "$BUILD/bench/store/ingest_ceiling" "$kept" 17 | sed "s/^/$kind /"
  rm -rf "$(dirname "$kept")"
done

echo "== parser alone"
"$BUILD/bench/hl7/hl7_parse_bench"
