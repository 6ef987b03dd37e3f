#!/usr/bin/env bash
# bench/run.sh [BUILD_DIR]: the foundation benchmarks of Hearth, compared in one run with a
# trivial Beast server on the same machine (bench/README.md explains every figure).
#
# Builds (Release) hearth, bench_hello_server and the helpers of bench/tools/ in BUILD_DIR
# (default: build, relative to the repository root), installs wrk with apt-get if missing, then
# measures on 127.0.0.1 only, each server on a fresh SQLite store in a temporary directory:
#   a. GET req/s of the hello server (the ceiling)
#   b. GET /fhir/Patient/{id} req/s and latency of a ~2 KB Patient
#   c. POST /fhir/Patient creates/s of the same Patient (every response must be a 201)
#   d. time to PUT every example of the official R4 package, and the server's peak RSS
#   e. idle RSS of a fresh `hearth serve`, time from exec to the first 200 of GET /fhir/metadata
# and prints a table against the targets. Every spawned process is ended on exit.
#
# Exit status: 0 when every target is met, 3 when the run completed but a target was missed,
# 1 when something broke (build, a server that does not start, a non-2xx answer, ...).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
DURATION=${BENCH_DURATION:-15}  # seconds per wrk case (shorter only for a smoke run)
WARMUP=2          # seconds of unrecorded wrk traffic before each case
CONNECTIONS=32    # wrk -c
WRK_THREADS=2     # wrk -t
LOAD_CONNECTIONS=4
HOST=127.0.0.1
NPROC=$(nproc)

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

# --- build ------------------------------------------------------------------------------------
generator=()
[[ -f $BUILD/CMakeCache.txt ]] || { command -v ninja >/dev/null && generator=(-G Ninja); }
cmake -S "$ROOT" -B "$BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null ||
  die "cmake configure failed"
cmake --build "$BUILD" -j"$NPROC" \
  --target hearth bench_hello_server bench_load_examples bench_wait_ready || die "build failed"
HEARTH=$BUILD/hearth
HELLO=$BUILD/bench/hello/bench_hello_server
LOADER=$BUILD/bench/tools/bench_load_examples
WAIT_READY=$BUILD/bench/tools/bench_wait_ready
PACKAGE_DIR=$BUILD/fhir-package/package
BODY=$ROOT/bench/data/patient-2k.json
[[ -d $PACKAGE_DIR ]] || die "no official package in $PACKAGE_DIR"

if ! command -v wrk >/dev/null; then
  log "installing wrk"
  sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get install -y -qq wrk >/dev/null || die "could not install wrk"
fi
command -v curl >/dev/null || die "curl is needed"

# --- processes --------------------------------------------------------------------------------
# shellcheck source=bench/lib/processes.sh
. "$ROOT/bench/lib/processes.sh"
bench_processes hearth-bench

# start_hearth NAME [ARGS...]: a hearth on a fresh SQLite store; sets HEARTH_PID and BASE.
start_hearth() {
  local name=$1; shift
  mkdir -p "$TMP/$name"
  "$HEARTH" serve --listen "$HOST:0" --mllp-listen off --store "sqlite:$TMP/$name/hearth.db" "$@" \
    2>"$TMP/$name/stderr.log" &
  HEARTH_PID=$!
  PIDS+=("$HEARTH_PID")
  wait_line "$TMP/$name/stderr.log" "listening on http://" "$HEARTH_PID"
  BASE=$(grep -o 'listening on http://[^ ]*' "$TMP/$name/stderr.log" | head -1 | sed 's/listening on //')
  log "$name: hearth pid $HEARTH_PID at $BASE"
}

# --- wrk --------------------------------------------------------------------------------------
# run_wrk NAME URL [wrk args...]: warm-up, then the recorded run; sets RPS P50 P99 NON2XX SOCKERR.
run_wrk() {
  local name=$1 url=$2; shift 2
  local out=$TMP/wrk-$name.txt
  if ((WARMUP > 0)); then
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$@" "$url" >/dev/null
  fi
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$out" ||
    { cat "$out" >&2; die "wrk failed for $name"; }
  sed 's/^/    /' "$out" >&2
  RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
  P50=$(awk '$1 == "50%" {print $2}' "$out" | to_ms)
  P99=$(awk '$1 == "99%" {print $2}' "$out" | to_ms)
  NON2XX=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$out")
  NON2XX=${NON2XX:-0}
  SOCKERR=$(grep -o 'Socket errors:.*' "$out" || true)
  [[ -n $RPS ]] || die "no Requests/sec in the wrk output of $name"
}

to_ms() {  # "564.00us" / "1.32ms" / "1.02s" -> milliseconds
  awk '{ v = $1 + 0
         if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /ms$/) v += 0; else if ($1 ~ /s$/) v *= 1000
         printf "%.2f", v }'
}

status_of() {  # status_of METHOD URL [curl args...]: the HTTP status, body in $TMP/last-body
  local method=$1 url=$2; shift 2
  curl -sS --max-time 10 -o "$TMP/last-body" -w '%{http_code}' -X "$method" "$@" "$url" || echo 000
}

field() { grep -o "\b$1=[0-9.]*" <<<"$2" | head -1 | cut -d= -f2; }  # field KEY "k=v ..."
# store_per_resource DIR: "X B/resource (N resources)": (database + WAL) / the resources it holds,
# read while the server runs (sqlite3's shell counts them; "" without it).
store_per_resource() {
  command -v sqlite3 >/dev/null || return 0
  local n db wal
  n=$(sqlite3 "file:$1/hearth.db?mode=ro" "PRAGMA busy_timeout = 10000; SELECT COUNT(*) FROM resource" 2>/dev/null | tail -1)
  db=$(stat -c %s "$1/hearth.db" 2>/dev/null || echo 0)
  wal=$(stat -c %s "$1/hearth.db-wal" 2>/dev/null || echo 0)
  [[ ${n:-0} -gt 0 ]] && awk -v d="$db" -v w="$wal" -v n="$n" \
    'BEGIN { printf "%.0f B/resource (%d resources)", (d + w) / n, n }'
}
# store_tables DIR N: bytes per resource of the database's tables and their indexes (dbstat),
# resource rows, the index tables together and each idx_* table with its _find index.
store_tables() {
  command -v sqlite3 >/dev/null || return 0
  sqlite3 "$1/hearth.db" "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name" 2>/dev/null |
    awk -F'|' -v n="$2" '
      $1 ~ /^resource_version|^sqlite_autoindex_resource_version/ { version += $2; next }
      $1 ~ /^resource/ { current += $2; next }
      $1 ~ /^idx_/ { t = $1; sub(/_find$|_owner$|_target$/, "", t); idx[t] += $2; all += $2; next }
      END {
        if (n <= 0) exit
        printf "versions+bodies %.0f B, resource %.0f B, index %.0f B (", version / n, current / n, all / n
        sep = ""
        for (t in idx) if (idx[t] / n >= 1) { printf "%s%s %.0f", sep, t, idx[t] / n; sep = ", " }
        printf ")"
      }'
}
store_mb() {  # store_mb DIR: "db X MB + WAL Y MB" of DIR/hearth.db
  local db wal
  db=$(stat -c %s "$1/hearth.db" 2>/dev/null || echo 0)
  wal=$(stat -c %s "$1/hearth.db-wal" 2>/dev/null || echo 0)
  awk -v d="$db" -v w="$wal" 'BEGIN { printf "db %.0f MB + WAL %.0f MB", d / 1048576, w / 1048576 }'
}
proc_kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }

LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)

# --- a. hello ---------------------------------------------------------------------------------
log "a. hello server ($NPROC threads)"
"$HELLO" "$HOST" 0 "$NPROC" >"$TMP/hello.out" 2>&1 &
HELLO_PID=$!
PIDS+=("$HELLO_PID")
wait_line "$TMP/hello.out" "^listening " "$HELLO_PID"
HELLO_URL="http://$(awk '/^listening / {print $2}' "$TMP/hello.out")/"
run_wrk hello "$HELLO_URL"
HELLO_RPS=$RPS HELLO_P50=$P50 HELLO_P99=$P99
((NON2XX == 0)) || die "hello server answered $NON2XX non-2xx responses"
stop "$HELLO_PID"

# --- b. read ----------------------------------------------------------------------------------
log "b. GET /fhir/Patient/{id} of a $(wc -c <"$BODY")-byte Patient"
start_hearth read
ID=bench-patient-2k
sed "0,/\"resourceType\": *\"Patient\",/s//\"resourceType\": \"Patient\", \"id\": \"$ID\",/" \
  "$BODY" >"$TMP/put-body.json"
grep -q "\"id\": \"$ID\"" "$TMP/put-body.json" || die "could not add an id to $BODY"
code=$(status_of PUT "$BASE/Patient/$ID" -H 'Content-Type: application/fhir+json' \
  --data-binary "@$TMP/put-body.json")
[[ $code == 201 || $code == 200 ]] || { cat "$TMP/last-body" >&2; die "PUT Patient/$ID: $code"; }
code=$(status_of GET "$BASE/Patient/$ID")
[[ $code == 200 ]] || { cat "$TMP/last-body" >&2; die "GET Patient/$ID: $code"; }
READ_BYTES=$(wc -c <"$TMP/last-body")
run_wrk read "$BASE/Patient/$ID"
READ_RPS=$RPS READ_P50=$P50 READ_P99=$P99 READ_SOCKERR=$SOCKERR
((NON2XX == 0)) || die "GET Patient/$ID: $NON2XX non-2xx responses during the run"
stop "$HEARTH_PID"

# --- c. create --------------------------------------------------------------------------------
log "c. POST /fhir/Patient on a fresh store"
start_hearth create
code=$(status_of POST "$BASE/Patient" -H 'Content-Type: application/fhir+json' \
  --data-binary "@$BODY")
[[ $code == 201 ]] || { cat "$TMP/last-body" >&2; die "POST Patient answered $code, not 201"; }
export BENCH_BODY=$BODY
run_wrk create "$BASE/Patient" -s "$ROOT/bench/post_patient.lua"
CREATE_RPS=$RPS CREATE_P50=$P50 CREATE_P99=$P99 CREATE_SOCKERR=$SOCKERR
((NON2XX == 0)) || die "POST Patient: $NON2XX of the creates were not 2xx"
CREATE_STORE=$(store_mb "$TMP/create")
CREATE_PER_RESOURCE=$(store_per_resource "$TMP/create")
CREATE_COUNT=$(awk '/requests in/ {print $1}' "$TMP/wrk-create.txt")
stop "$HEARTH_PID"
# After the stop the WAL is checkpointed into the database: the bytes of each table.
CREATE_RESOURCES=$(sed -n 's/.*(\([0-9]*\) resources)/\1/p' <<<"$CREATE_PER_RESOURCE")
CREATE_TABLES=$(store_tables "$TMP/create" "${CREATE_RESOURCES:-0}")

# --- d. load the official examples ------------------------------------------------------------
# The package's three largest bundles exceed the default 16 MiB body limit: raise it so that
# every example is loaded and the peak RSS includes the biggest request.
log "d. PUT every example of $PACKAGE_DIR ($LOAD_CONNECTIONS connections)"
start_hearth load --max-body $((64 * 1024 * 1024))
LOAD_HOSTPORT=${BASE#http://}; LOAD_HOSTPORT=${LOAD_HOSTPORT%%/*}
set +e
timeout 900 "$LOADER" "${LOAD_HOSTPORT%:*}" "${LOAD_HOSTPORT##*:}" "$PACKAGE_DIR" \
  "$LOAD_CONNECTIONS" >"$TMP/load.txt"
load_rc=$?
set -e
((load_rc <= 1)) || { cat "$TMP/load.txt" >&2; die "the example loader failed ($load_rc)"; }
grep -E '^(status|count)' "$TMP/load.txt" | sed 's/^/    /' >&2
if grep -q '^fail ' "$TMP/load.txt"; then
  log "first rejected examples (all in the table's count):"
  grep '^fail ' "$TMP/load.txt" | head -20 | cut -c1-200 | sed 's/^/    /' >&2
fi
summary=$(grep '^count=' "$TMP/load.txt") || die "no summary from the example loader"
LOAD_COUNT=$(field count "$summary")
LOAD_FAILED=$(field failed "$summary")
LOAD_SECONDS=$(field seconds "$summary")
LOAD_PER_S=$(field per_second "$summary")
LOAD_STATUSES=$(grep '^status ' "$TMP/load.txt" | awk '{printf "%s%s %s", sep, $2, $3; sep=", "}' |
  sed 's/://g')
LOAD_HWM_KB=$(proc_kb "$HEARTH_PID" VmHWM)
LOAD_STORE=$(store_mb "$TMP/load")
stop "$HEARTH_PID"

# --- e. idle RSS and time to ready ------------------------------------------------------------
log "e. idle RSS and time to ready (fresh store each start)"
mkdir -p "$TMP/idle"
idle=$("$WAIT_READY" idle 1000 30000 -- "$HEARTH" serve --listen "$HOST:0" --mllp-listen off \
  --store "sqlite:$TMP/idle/hearth.db" 2>"$TMP/idle/stderr.log") ||
  { cat "$TMP/idle/stderr.log" >&2; die "hearth did not start for the idle RSS"; }
IDLE_RSS_KB=$(field idle_rss_kb "$idle")
READY_RUNS=()
for i in 1 2 3 4 5; do
  mkdir -p "$TMP/ready$i"
  port=$("$WAIT_READY" free-port "$HOST")
  out=$("$WAIT_READY" ready "$HOST" "$port" 30000 -- "$HEARTH" serve --listen "$HOST:$port" --mllp-listen off \
    --store "sqlite:$TMP/ready$i/hearth.db" 2>"$TMP/ready$i/stderr.log") ||
    { cat "$TMP/ready$i/stderr.log" >&2; die "hearth was not ready (run $i)"; }
  READY_RUNS+=("$(field ready_ms "$out")")
done
READY_MS=$(printf '%s\n' "${READY_RUNS[@]}" | sort -n | sed -n 3p)   # the median of 5
READY_MAX=$(printf '%s\n' "${READY_RUNS[@]}" | sort -n | tail -1)

# --- table ------------------------------------------------------------------------------------
verdict() { [[ $1 == 1 ]] && echo PASS || echo MISS; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? 1 : 0 }'; }

READ_RATIO=$(pct "$READ_RPS" "$HELLO_RPS")
CREATE_RATIO=$(pct "$CREATE_RPS" "$HELLO_RPS")
IDLE_MB=$(awk -v k="$IDLE_RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
HWM_MB=$(awk -v k="$LOAD_HWM_KB" 'BEGIN { printf "%.1f", k / 1024 }')
V_READ=$(verdict "$(ge "$(awk -v a="$READ_RPS" -v b="$HELLO_RPS" 'BEGIN{print a/b}')" 0.40)")
V_CREATE=$(verdict "$(ge "$CREATE_RPS" 5000)")
V_IDLE=$(verdict "$(ge 40 "$IDLE_MB")")
V_READY=$(verdict "$(ge 300 "$READY_MS")")
V_LOAD=$([[ $LOAD_FAILED == 0 ]] && echo "all accepted" || echo "rejected: $LOAD_STATUSES")
MISSED=0
for v in "$V_READ" "$V_CREATE" "$V_IDLE" "$V_READY"; do [[ $v == MISS ]] && MISSED=1; done

CPU=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)
CPU=${CPU:-$(lscpu 2>/dev/null | awk -F': *' '/Model name/ {print $2; exit}')}
{
  echo
  echo "Hearth foundation benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $NPROC cores, ${CPU:-unknown CPU}, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ $(ge "$LOAD_AT_START" "$(awk -v n="$NPROC" 'BEGIN { print n / 2 }')") == 1 ]]; then
    echo "WARNING: load average $LOAD_AT_START at the start on $NPROC cores: the machine was busy," \
      "every figure (the hello ceiling most) is low and the ratios are not reliable"
  fi
  echo "build:   $BUILD (Release), $(c++ --version 2>/dev/null | head -1)"
  echo "wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s --latency (keep-alive, after a ${WARMUP}s warm-up); servers on $NPROC I/O threads"
  echo
  printf '%-44s %16s  %-18s %s\n' "figure" "value" "target" "ratio / verdict"
  printf '%-44s %16s  %-18s %s\n' "--------------------------------------------" "----------------" "------------------" "---------------"
  printf '%-44s %16s  %-18s %s\n' "a. hello server GET (ceiling)" "$HELLO_RPS req/s" "-" "100% (p50 $HELLO_P50 ms, p99 $HELLO_P99 ms)"
  printf '%-44s %16s  %-18s %s\n' "b. GET Patient/{id}, $(wc -c <"$BODY") B in, $READ_BYTES B out" "$READ_RPS req/s" ">= 40% of hello" "$READ_RATIO of hello: $V_READ"
  printf '%-44s %16s  %-18s %s\n' "   read latency p50 / p99" "$READ_P50 / $READ_P99 ms" "-" "-"
  printf '%-44s %16s  %-18s %s\n' "c. POST Patient (all 201), fresh SQLite" "$CREATE_RPS /s" ">= 5,000/s" "$(pct "$CREATE_RPS" 5000) of target, $CREATE_RATIO of hello: $V_CREATE"
  printf '%-44s %16s  %-18s %s\n' "   create latency p50 / p99" "$CREATE_P50 / $CREATE_P99 ms" "-" "$CREATE_COUNT creates; $CREATE_STORE"
  [[ -z $CREATE_PER_RESOURCE ]] ||
    printf '%-44s %16s  %-18s %s\n' "   store per Patient (db + WAL) / resources" "${CREATE_PER_RESOURCE%% (*}" "-" "${CREATE_RESOURCES:-?} resources; after the stop: $CREATE_TABLES"
  printf '%-44s %16s  %-18s %s\n' "d. PUT all $LOAD_COUNT official examples" "$LOAD_SECONDS s" "-" "$LOAD_PER_S/s, $LOAD_FAILED failed ($V_LOAD)"
  printf '%-44s %16s  %-18s %s\n' "   server peak RSS (VmHWM) after the load" "$HWM_MB MB" "-" "$LOAD_STORE"
  printf '%-44s %16s  %-18s %s\n' "e. idle RSS of a fresh hearth serve" "$IDLE_MB MB" "<= 40 MB" "$(pct "$IDLE_MB" 40) of budget: $V_IDLE"
  printf '%-44s %16s  %-18s %s\n' "   exec to first 200 GET /fhir/metadata" "$READY_MS ms" "<= 300 ms" "median of 5 (max $READY_MAX ms): $V_READY"
  [[ -z ${READ_SOCKERR}${CREATE_SOCKERR} ]] ||
    echo "wrk socket errors: read: ${READ_SOCKERR:-none}; create: ${CREATE_SOCKERR:-none}"
}

exit $((MISSED ? 3 : 0))
