# shellcheck shell=bash disable=SC2034  # sets variables for the driver that sources it
# Sourced by the search benchmarks (run_search_scale.sh, run_search_1m.sh): one hearth on a
# SQLite store and the wrk case that measures a query shape against it. Needs die and log from
# the driver, and bench/lib/processes.sh sourced (TMP, PIDS, wait_line).
#
#   search_hearth BUILD_DIR      # HEARTH: BENCH_HEARTH, else BUILD_DIR/hearth (built)
#   search_store NAME            # STORE: BENCH_STORE_DIR, else $TMP; FILL=1 when it is new
#   search_serve                 # starts HEARTH on STORE: sets BASE (.../fhir) and ORIGIN
#   wrk_case NAME URL            # one URL for every request
#   wrk_case NAME PATHS_FILE     # each request the next line of the file (bench/lib/paths.lua)
#
# wrk_case warms up 2 s, then runs `wrk -t2 -c32 --latency` for BENCH_DURATION s (default 10)
# and prints "NAME req/s p50 p99 load" (load: the 1-minute load average before the run); the
# figures are also left in WRK_RPS, WRK_P50, WRK_P99 (ms), WRK_LOAD and WRK_ERRORS (non-2xx
# answers and wrk's timeouts, 10 s). Any error fails the run unless WRK_KEEP_GOING is set.

DURATION=${BENCH_DURATION:-10}
SEARCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

search_hearth() {
  HEARTH=${BENCH_HEARTH:-}
  if [[ -z $HEARTH ]]; then
    cmake --build "$1" --target hearth >/dev/null || die "build failed"
    HEARTH=$1/hearth
  fi
  command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
}

search_store() {
  STORE=${BENCH_STORE_DIR:-$TMP}
  mkdir -p "$STORE"
  FILL=1
  [[ -f $STORE/hearth.db ]] && FILL=0
  return 0
}

search_serve() {
  "$HEARTH" serve --listen 127.0.0.1:0 --mllp-listen off --store "sqlite:$STORE/hearth.db" \
    2>"$TMP/stderr.log" &
  PIDS+=("$!")
  wait_line "$TMP/stderr.log" "listening on http://" "${PIDS[-1]}"
  BASE=$(grep -o 'listening on http://[^ ]*' "$TMP/stderr.log" | head -1 | sed 's/listening on //')
  ORIGIN=${BASE%/fhir}
}

to_ms() { awk '{ v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0;
                 else if (v ~ /s$/) v = v * 1000; printf "%.2f", v }'; }

wrk_case() {
  local name=$1 target=$2 args=()
  if [[ -f $target ]]; then
    export BENCH_PATHS=$target
    args=(-s "$SEARCH_LIB/paths.lua" "$ORIGIN")
  else
    args=("$target")
  fi
  wrk -t2 -c32 -d2s "${args[@]}" >/dev/null
  WRK_LOAD=$(cut -d' ' -f1 /proc/loadavg)
  wrk -t2 -c32 -d"${DURATION}s" --timeout 10s --latency "${args[@]}" >"$TMP/$name.txt"
  WRK_ERRORS=$(awk '/^Non-2xx/ {n += $NF} /^  Socket errors/ {n += $NF} END {print n + 0}' \
    "$TMP/$name.txt")
  if ((WRK_ERRORS > 0)) && [[ -z ${WRK_KEEP_GOING:-} ]]; then
    cat "$TMP/$name.txt" >&2
    die "$name: non-2xx answers or timeouts"
  fi
  WRK_RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$TMP/$name.txt")
  WRK_P50=$(awk '$1 == "50%" {print $2}' "$TMP/$name.txt" | to_ms)
  WRK_P99=$(awk '$1 == "99%" {print $2}' "$TMP/$name.txt" | to_ms)
  printf "%-12s %9s req/s   p50 %7s ms   p99 %7s ms   load %s\n" "$name" "$WRK_RPS" "$WRK_P50" \
    "$WRK_P99" "$WRK_LOAD"
}
