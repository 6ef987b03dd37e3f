#!/usr/bin/env bash
# bench/run_transactions.sh [--postgres] [BUILD_DIR]: FHIR transaction ingest (bench/README.md,
# "Transaction ingest").
#
# Builds (Release) hearth and bench_tx_load in BUILD_DIR (default: build, relative to the
# repository root), starts `hearth serve` on a fresh SQLite store in a temporary directory on an
# ephemeral loopback port, and has bench_tx_load POST synthetic Synthea-shaped patient histories
# (one transaction Bundle of ~100 entries each) to /fhir over 4 keep-alive connections. With
# --postgres (or BENCH_POSTGRES=1) the same again against a throwaway PostgreSQL started with
# tools/pg_test_server.sh. Prints one row per store: resources committed per second,
# transactions/s, p50/p99 latency per transaction, the server's CPU time (user + system) per
# resource, its peak RSS (VmHWM) and the store size, against the target of 10,000 resources/s on
# SQLite. Progress goes to stderr, the table to stdout.
#
# Environment: TX_HISTORIES (1000 on SQLite), TX_PG_HISTORIES (250 on PostgreSQL), TX_ENTRIES
# (100 per history), TX_CONNECTIONS (4), TX_SEED (1).
#
# Exit status: 0 when the target is met, 3 when the run completed but the target was missed, 1
# when something broke (build, a server that does not start, a failed transaction).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
POSTGRES=${BENCH_POSTGRES:-0}
BUILD=build
for arg in "$@"; do
  case $arg in
    --postgres) POSTGRES=1 ;;
    -*) echo "usage: bench/run_transactions.sh [--postgres] [BUILD_DIR]" >&2; exit 1 ;;
    *) BUILD=$arg ;;
  esac
done
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
HISTORIES=${TX_HISTORIES:-1000}
PG_HISTORIES=${TX_PG_HISTORIES:-250}
ENTRIES=${TX_ENTRIES:-100}
CONNECTIONS=${TX_CONNECTIONS:-4}
SEED=${TX_SEED:-1}
TARGET=10000  # resources/s on SQLite

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

# --- build ------------------------------------------------------------------------------------
generator=()
[[ -f $BUILD/CMakeCache.txt ]] || { command -v ninja >/dev/null && generator=(-G Ninja); }
cmake -S "$ROOT" -B "$BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null ||
  die "cmake configure failed"
cmake --build "$BUILD" --target hearth bench_tx_load >&2 || die "build failed"
HEARTH=$BUILD/hearth
LOADER=$BUILD/bench/tools/bench_tx_load

# --- processes --------------------------------------------------------------------------------
# shellcheck source=bench/lib/processes.sh
. "$ROOT/bench/lib/processes.sh"
bench_processes hearth-txbench
PGDIR=""
# shellcheck disable=SC2317  # called by bench_cleanup
cleanup_extra() {
  [[ -z $PGDIR ]] || "$ROOT/tools/pg_test_server.sh" stop "$PGDIR" >/dev/null 2>&1 || true
}

# start_hearth NAME STORE_URL: sets HEARTH_PID and PORT.
start_hearth() {
  local name=$1 store=$2
  mkdir -p "$TMP/$name"
  "$HEARTH" serve --listen 127.0.0.1:0 --mllp-listen off --store "$store" \
    2>"$TMP/$name/stderr.log" &
  HEARTH_PID=$!
  PIDS+=("$HEARTH_PID")
  wait_line "$TMP/$name/stderr.log" "listening on http://" "$HEARTH_PID"
  PORT=$(grep -o 'listening on http://[^ ]*' "$TMP/$name/stderr.log" | head -1 |
    sed 's/.*:\([0-9]*\).*/\1/')
  [[ -n $PORT ]] || { cat "$TMP/$name/stderr.log" >&2; die "hearth did not start"; }
  log "$name: hearth pid $HEARTH_PID on port $PORT"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system, in clock ticks
field() { grep -o "\b$1=[0-9.]*" <<<"$2" | head -1 | cut -d= -f2; }  # field KEY "k=v ..."
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }

ROWS=()
MISSED=0
# run_case NAME STORE_URL HISTORIES SIZE_COMMAND...: one server, one load, one table row.
run_case() {
  local name=$1 store=$2 histories=$3 out status hwm size ticks
  shift 3
  start_hearth "$name" "$store"
  log "$name: $histories histories of $ENTRIES entries over $CONNECTIONS connections"
  out=$TMP/$name/load.txt
  status=0
  ticks=$(cpu_ticks "$HEARTH_PID")
  "$LOADER" --seed "$SEED" --entries "$ENTRIES" 127.0.0.1 "$PORT" "$histories" "$CONNECTIONS" \
    >"$out" || status=$?
  cat "$out" >&2
  ticks=$(($(cpu_ticks "$HEARTH_PID") - ticks))
  hwm=$(awk '$1 == "VmHWM:" {print $2}' "/proc/$HEARTH_PID/status")
  size=$("$@")
  stop "$HEARTH_PID"
  ((status == 0)) || die "$name: failed transactions (see above; server log $TMP/$name/stderr.log)"
  local line rps verdict="-"
  line=$(tail -1 "$out")
  rps=$(field resources_per_second "$line")
  if [[ $name == sqlite ]]; then
    if ((rps >= TARGET)); then verdict="PASS (>= $TARGET)"; else verdict="MISS (>= $TARGET)"; MISSED=1; fi
  fi
  local entries cpu_us
  entries=$(field entries "$line")
  cpu_us=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$entries" \
    'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
  ROWS+=("$(printf '%-10s | %9s | %9s | %7s | %7s | %6s | %6s | %6s | %15s | %8s | %s' "$name" \
    "$(field histories "$line")" "$entries" "$(field seconds "$line")" "$rps" \
    "$(field transactions_per_second "$line")" "$(field p50_ms "$line")" \
    "$(field p99_ms "$line")" "$cpu_us" "$((hwm / 1024)) MB" "$size") | $verdict")
}

sqlite_size() {
  local db wal
  db=$(stat -c %s "$TMP/sqlite/hearth.db" 2>/dev/null || echo 0)
  wal=$(stat -c %s "$TMP/sqlite/hearth.db-wal" 2>/dev/null || echo 0)
  echo "$(mb "$db") MB + WAL $(mb "$wal") MB"
}
pg_size() {
  local bytes
  bytes=$(psql "$PG_URL" -Atc 'SELECT pg_database_size(current_database())' 2>/dev/null || echo 0)
  echo "$(mb "$bytes") MB"
}

LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)
run_case sqlite "sqlite:$TMP/sqlite/hearth.db" "$HISTORIES" sqlite_size
if ((POSTGRES)); then
  # Its own directory: as root the cluster belongs to `postgres`, which cannot enter $TMP.
  PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/hearth-txbench-pg.XXXXXX")
  PG_URL=$("$ROOT/tools/pg_test_server.sh" start "$PGDIR") || die "PostgreSQL did not start"
  run_case postgresql "$PG_URL" "$PG_HISTORIES" pg_size
fi

echo
echo "Transaction ingest: $ENTRIES-entry patient histories, $CONNECTIONS connections," \
  "$(nproc) cores, load average $LOAD_AT_START at start"
printf '%-10s | %9s | %9s | %7s | %7s | %6s | %6s | %6s | %15s | %8s | %s | %s\n' store \
  histories resources seconds "res/s" "tx/s" "p50 ms" "p99 ms" "CPU us/resource" "peak RSS" \
  "store size" target
for row in "${ROWS[@]}"; do echo "$row"; done
((MISSED == 0)) || exit 3
