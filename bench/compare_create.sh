#!/usr/bin/env bash
# bench/compare_create.sh OLD_HEARTH NEW_HEARTH [ROUNDS]: bench/run.sh's case c (POST
# /fhir/Patient of bench/data/patient-2k.json, 32 connections) for two hearth binaries in one
# run, alternating OLD, NEW, OLD, NEW ... (ROUNDS pairs, default 2), each on a fresh SQLite store,
# after the hello ceiling (case a). For a change's write cost on a shared machine, where only
# figures of one run compare: prints creates/s of each run and NEW/OLD of the medians.
# Needs build/bench/hello/bench_hello_server (run.sh builds it) and wrk.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OLD=${1:?usage: compare_create.sh OLD_HEARTH NEW_HEARTH [ROUNDS]}
NEW=${2:?usage: compare_create.sh OLD_HEARTH NEW_HEARTH [ROUNDS]}
ROUNDS=${3:-2}
DURATION=${BENCH_DURATION:-15}
HELLO=${BENCH_HELLO:-$ROOT/build/bench/hello/bench_hello_server}
HOST=127.0.0.1
die() { echo "compare_create: $*" >&2; exit 1; }
# shellcheck source=bench/lib/processes.sh
. "$ROOT/bench/lib/processes.sh"
bench_processes hearth-compare
export BENCH_BODY=$ROOT/bench/data/patient-2k.json

rps() {  # rps NAME URL [wrk args]: warm-up 2 s, then the recorded run; prints req/s
  local name=$1 url=$2; shift 2
  wrk -t2 -c32 -d2s "$@" "$url" >/dev/null
  wrk -t2 -c32 -d"${DURATION}s" "$@" "$url" >"$TMP/$name.txt"
  grep -q "Non-2xx" "$TMP/$name.txt" && { cat "$TMP/$name.txt" >&2; die "$name: non-2xx answers"; }
  awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$TMP/$name.txt"
}

"$HELLO" "$HOST" 0 "$(nproc)" >"$TMP/hello.out" 2>&1 &
PIDS+=("$!")
wait_line "$TMP/hello.out" "^listening " "$!"
echo "hello ceiling: $(rps hello "http://$(awk '/^listening / {print $2}' "$TMP/hello.out")/") req/s"
stop "${PIDS[-1]}"

declare -a old_runs new_runs
for ((round = 1; round <= ROUNDS; round++)); do
  for which in old new; do
    bin=$OLD; [[ $which == new ]] && bin=$NEW
    dir=$TMP/$which$round
    mkdir -p "$dir"
    "$bin" serve --listen "$HOST:0" --mllp-listen off --store "sqlite:$dir/hearth.db" \
      2>"$dir/stderr.log" &
    pid=$!
    PIDS+=("$pid")
    wait_line "$dir/stderr.log" "listening on http://" "$pid"
    base=$(grep -o 'listening on http://[^ ]*' "$dir/stderr.log" | head -1 | sed 's/listening on //')
    r=$(rps "$which$round" "$base/Patient" -s "$ROOT/bench/post_patient.lua")
    stop "$pid"
    echo "round $round $which: $r creates/s (load $(cut -d' ' -f1 /proc/loadavg))"
    if [[ $which == old ]]; then old_runs+=("$r"); else new_runs+=("$r"); fi
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mo=$(median "${old_runs[@]}") mn=$(median "${new_runs[@]}")
awk -v o="$mo" -v n="$mn" 'BEGIN { printf "median creates/s: old %.0f, new %.0f, new/old %.2f\n", o, n, n / o }'
