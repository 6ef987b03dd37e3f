#!/usr/bin/env bash
# MLLP throughput: a fresh `hearth serve` (SQLite in a temp directory, or STORE=URL) and
# bench_mllp_load sending ORU^R01 messages with unique control ids over 1, 8 and 32
# connections, each connection waiting for every ACK (an ACK means the message is committed).
# Usage: bench/run_mllp.sh [BUILD_DIR]   (BENCH_SECONDS=10 per connection count by default)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
SECONDS_EACH=${BENCH_SECONDS:-10}
cmake --build "$BUILD" --target hearth bench_mllp_load >&2
TMP=$(mktemp -d)
PID=
cleanup() {
  if [[ -n $PID ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
STORE=${STORE:-sqlite:$TMP/hearth.db}
"$BUILD/hearth" serve --listen 127.0.0.1:0 --mllp-listen 127.0.0.1:0 --store "$STORE" \
  2>"$TMP/stderr.log" &
PID=$!
for _ in $(seq 1 200); do
  grep -q "listening on http://" "$TMP/stderr.log" && break
  sleep 0.05
done
PORT=$(sed -n 's/^hearth: mllp listening on .*:\([0-9]*\)$/\1/p' "$TMP/stderr.log")
[[ -n $PORT ]] || { cat "$TMP/stderr.log" >&2; echo "hearth did not start" >&2; exit 1; }
echo "hearth MLLP on 127.0.0.1:$PORT, store $STORE, $SECONDS_EACH s per case" >&2
"$BUILD/bench/mllp/bench_mllp_load" 127.0.0.1 "$PORT" "$SECONDS_EACH" 1 8 32
