#!/usr/bin/env bash
# bench/run_scaleout.sh [BUILD_DIR]: requests/s of a mixed FHIR load on 1, 2 and 3 `hearth serve`
# replicas sharing one PostgreSQL (bench/README.md, "Scale-out").
#
# Builds (Release) hearth in BUILD_DIR (default: build), starts a throwaway PostgreSQL
# (tools/pg_test_server.sh) and three replicas on ephemeral loopback ports, creates 20 shared
# Patients, then for N = 1, 2, 3 runs one wrk per replica at once (SCALE_CONNECTIONS connections
# in all, split evenly; bench/scaleout_mix.lua: 40% creates, 30% searches, 20% reads, 10%
# updates of the shared Patients) for SCALE_DURATION seconds after a 2 s warm-up, and prints
# one row per N: requests/s summed over the replicas, per replica, and non-2xx answers.
# Every replica and wrk runs on this one machine with the database: on a small machine the
# replicas compete with PostgreSQL and wrk for the same cores, so the figures show what the
# shared database sustains, not what separate hosts would.
#
# Environment: SCALE_DURATION (10 s), SCALE_CONNECTIONS (24), SCALE_WORKERS (hearth --workers,
# 8), SCALE_THREADS (hearth --threads, 1).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
DURATION=${SCALE_DURATION:-10}
CONNECTIONS=${SCALE_CONNECTIONS:-24}
WORKERS=${SCALE_WORKERS:-8}
THREADS=${SCALE_THREADS:-1}

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }
command -v wrk >/dev/null || die "wrk missing (tools/install_deps.sh --test)"

generator=()
[[ -f $BUILD/CMakeCache.txt ]] || { command -v ninja >/dev/null && generator=(-G Ninja); }
cmake -S "$ROOT" -B "$BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null ||
  die "cmake configure failed"
cmake --build "$BUILD" --target hearth >&2 || die "build failed"
HEARTH=$BUILD/hearth

# shellcheck source=bench/lib/processes.sh
. "$ROOT/bench/lib/processes.sh"
bench_processes hearth-scaleout
PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/hearth-scaleout-pg.XXXXXX")  # PostgreSQL's owner must reach it
# shellcheck disable=SC2317  # called by bench_cleanup
cleanup_extra() { "$ROOT/tools/pg_test_server.sh" stop "$PGDIR" >/dev/null 2>&1 || true; }
PG_URL=$("$ROOT/tools/pg_test_server.sh" start "$PGDIR")

PORTS=()
for r in 0 1 2; do
  "$HEARTH" serve --listen 127.0.0.1:0 --mllp-listen off --store "$PG_URL" \
    --workers "$WORKERS" --threads "$THREADS" 2>"$TMP/replica$r.log" &
  PIDS+=("$!")
  wait_line "$TMP/replica$r.log" "listening on http://" "$!"
  PORTS+=("$(grep -o 'listening on http://[^ ]*' "$TMP/replica$r.log" | head -1 |
    sed 's/.*:\([0-9]*\).*/\1/')")
done
log "replicas on ports ${PORTS[*]}, PostgreSQL $PG_URL"
for i in $(seq 0 19); do
  curl -sf -o /dev/null -X PUT "http://127.0.0.1:${PORTS[0]}/fhir/Patient/shared-$i" \
    -H 'Content-Type: application/fhir+json' \
    -d "{\"resourceType\":\"Patient\",\"id\":\"shared-$i\",\"name\":[{\"family\":\"Shared\"}]}" ||
    die "could not create the shared patients"
done

# wrk's "Requests/sec:" and "Non-2xx or 3xx responses:" lines of one output file.
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ {print $5}' "$1" | grep . || echo 0; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)"
printf '%-9s %14s %22s %9s\n' replicas requests/s per-replica-req/s non-2xx
for n in 1 2 3; do
  per=$((CONNECTIONS / n))
  loads=()
  for ((r = 0; r < n; r++)); do  # warm-up, unrecorded
    wrk -t1 -c"$per" -d2s -s "$ROOT/bench/scaleout_mix.lua" "http://127.0.0.1:${PORTS[$r]}" \
      >/dev/null 2>&1 &
    loads+=("$!")
  done
  for j in "${loads[@]}"; do wait "$j" || true; done
  loads=()
  for ((r = 0; r < n; r++)); do
    wrk -t1 -c"$per" -d"${DURATION}s" -s "$ROOT/bench/scaleout_mix.lua" \
      "http://127.0.0.1:${PORTS[$r]}" >"$TMP/wrk$n-$r.txt" 2>&1 &
    loads+=("$!")
  done
  for j in "${loads[@]}"; do wait "$j" || true; done
  total=0 bad=0 parts=()
  for ((r = 0; r < n; r++)); do
    v=$(rps "$TMP/wrk$n-$r.txt")
    [[ -n $v ]] || { cat "$TMP/wrk$n-$r.txt" >&2; die "wrk failed"; }
    parts+=("$(printf '%.0f' "$v")")
    total=$(awk -v a="$total" -v b="$v" 'BEGIN { print a + b }')
    bad=$((bad + $(non2xx "$TMP/wrk$n-$r.txt")))
  done
  printf '%-9s %14.0f %22s %9s\n' "$n" "$total" "$(IFS=/; echo "${parts[*]}")" "$bad"
done
