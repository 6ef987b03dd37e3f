#!/usr/bin/env bash
# bench/run_hostile.sh [BUILD_DIR]: the hostile-load benchmark of issue 11. Starts a fresh
# `hearth serve` (SQLite in a temp directory, loopback, ephemeral ports), fills it with
# Patients, then replays the attacks of the issue's "Why" list one after the other, each
# bounded in count and time (the whole run takes about 2-3 minutes):
#   xml      6 parallel POST /fhir/Patient of a 16 MiB XML body of tiny elements (<a/><a/>...)
#   form     one POST /fhir/Patient/_search of a 2 MB form: family=a,a,a,... (a million values)
#   queries  long but legal searches: family= with 495 and 1,000 OR'd values, five parameters
#            with 495 values each, _sort with 3,000 keys
#   hl7-sp   a 4 MiB HL7 message of \.sp1000\ escapes over MLLP, then 6 parallel
#            GET /hl7/messages/{id} of it
#   trickle  TRICKLE_CONNECTIONS MLLP connections (default 2,000, bounded by ulimit -n) each
#            sending a frame start of TRICKLE_PREFIX bytes (256 KiB: what an unbounded frame
#            buffer holds; 16 for a bare "0x0B MSH|^~\&|") and then 1 byte per second, never
#            ending the frame, for TRICKLE_SECONDS (30)
#   slow     SLOW_CLIENTS (20) clients looping a slow search (SLOW_QUERY) for SLOW_SECONDS (30),
#            plus 3 clients that give up after 1 s (curl --max-time 1) and loop again
# Measured throughout, from the end of the fill to the end of the last attack:
#   - the server's RSS: VmRSS sampled every 200 ms (at the start of each attack and its max
#     during it: memory kept from an earlier attack shows as a high start) and VmHWM at the end;
#   - GET /fhir/metadata every ~100 ms (`bench_hostile poll`, a new connection each time, 10 s
#     timeout): worst, p99, non-200s, and the longest gap between two polls (a starved client
#     polls less often; the gap shows it);
#   - a lab feed: `bench_hostile feed` sends good ORU^R01 over 4 MLLP connections at 100 msg/s
#     in total and counts, per wall-clock second, AA ACKs and anything else;
#   - per attack: the HTTP statuses (or ACK codes) seen, the slowest answer, and how many error
#     bodies (status >= 400; the others are not kept) contain SQL text (SELECT, INSERT, FROM idx_).
# Then three acceptance lines (issue 11), PASS or MISS:
#   peak RSS < 400 MB; worst /fhir/metadata < 1 s (and every poll 200); MLLP AA in every
#   second of the slow-search phase and, in the whole run, no ACK other than AA, no failed
#   connection and no message left unanswered.
# ATTACKS="trickle slow" runs only those, in that order (the names above).
# Progress goes to stderr, the report to stdout. Exit 0 whenever the run completes (this is a
# benchmark: read the PASS/MISS lines), 1 when the build or the server start fails.
# A guard kills the server when its RSS passes RSS_GUARD_MB (default 8192) so that a runaway
# cannot take the machine; the report then says so.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
HOST=127.0.0.1
LOAD_SECONDS=${LOAD_SECONDS:-6}
TRICKLE_SECONDS=${TRICKLE_SECONDS:-30}
TRICKLE_PREFIX=${TRICKLE_PREFIX:-262144}
SLOW_SECONDS=${SLOW_SECONDS:-30}
SLOW_CLIENTS=${SLOW_CLIENTS:-20}
SLOW_QUERY=${SLOW_QUERY:-name:contains=a&_count=1000&_sort=family}
RSS_GUARD_MB=${RSS_GUARD_MB:-8192}
FEED_CONNECTIONS=4
FEED_RATE=100

log() { echo "hostile: [${SECONDS}s] $*" >&2; }
die() { log "$*"; exit 1; }
now() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }  # epoch milliseconds

command -v curl >/dev/null || die "curl is needed"
command -v wrk >/dev/null || die "wrk is needed (tools/install_deps.sh --test)"
cmake --build "$BUILD" --target hearth bench_hostile >&2 || die "build failed"
HEARTH=$BUILD/hearth
CLIENT=$BUILD/bench/tools/bench_hostile

# Trickling connections cost a descriptor each on both sides; keep 300 for everything else.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
MAX_TRICKLE=$(( $(ulimit -n) - 300 ))
TRICKLE_CONNECTIONS=${TRICKLE_CONNECTIONS:-2000}
(( TRICKLE_CONNECTIONS > MAX_TRICKLE )) && TRICKLE_CONNECTIONS=$MAX_TRICKLE

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hearth-hostile.XXXXXX")
PID=""
HELPERS=()
# The server may not stop on TERM while searches run: 5 s, then KILL.
stop_server() {
  [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null || return 0
  log "stopping the server"
  kill "$PID" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
}
cleanup() {
  for p in "${HELPERS[@]}"; do kill "$p" 2>/dev/null; done
  stop_server
  wait 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$HEARTH" serve --listen "$HOST:0" --mllp-listen "$HOST:0" --store "sqlite:$TMP/h.db" \
  2>"$TMP/server.log" &
PID=$!
for _ in $(seq 100); do grep -q "listening on http://" "$TMP/server.log" && break; sleep 0.1; done
BASE=$(grep -o 'listening on http://[^ ]*' "$TMP/server.log" | head -1 | sed 's/listening on //')
MLLP_PORT=$(sed -n 's/^hearth: mllp listening on .*:\([0-9]*\)$/\1/p' "$TMP/server.log")
[[ -n $BASE && -n $MLLP_PORT ]] || { cat "$TMP/server.log" >&2; die "hearth did not start"; }
ORIGIN=${BASE%/fhir}
log "hearth pid $PID at $BASE, MLLP port $MLLP_PORT, files in $TMP"

alive() { kill -0 "$PID" 2>/dev/null; }

# ---- the measurements that run throughout --------------------------------------------------

# "epoch_ms rss_kb anon_kb" every 200 ms (anon: RssAnon, the private memory; the rest of RSS is
# file pages, mostly SQLite's memory-mapped store); kills the server past RSS_GUARD_MB.
sample_rss() {
  while alive; do
    local kb anon
    read -r kb anon < <(awk '/^VmRSS:/ {r = $2} /^RssAnon:/ {a = $2} END {print r, a}' \
      "/proc/$PID/status" 2>/dev/null) || break
    [[ -n $kb ]] || break
    echo "$(now) $kb $anon"
    if (( kb > RSS_GUARD_MB * 1024 )); then
      echo "guard: RSS ${kb} kB over ${RSS_GUARD_MB} MB at $(now), server killed" >"$TMP/guard"
      kill -9 "$PID"
      break
    fi
    sleep 0.2
  done >"$TMP/rss.log"
}

PHASES=()  # "name start_ms end_ms"
phase_start() { log "== $1"; PHASE_NAME=$1; PHASE_T0=$(now); }
phase_end() { PHASES+=("$PHASE_NAME $PHASE_T0 $(now)"); }

# http NAME CURL_ARGS...: one request; appends "status seconds" to $TMP/NAME.codes and keeps an
# error's body (status 400 and up) as $TMP/NAME.body.N for the SQL-text check.
http() {
  local name=$1; shift
  local body result
  body=$TMP/$name.body.$BASHPID-$(date +%s%N)
  result=$(curl -s -o "$body" -w '%{http_code} %{time_total}' "$@")
  echo "$result" >>"$TMP/$name.codes"
  (( ${result%% *} >= 400 )) || rm -f "$body"
}

# ---- setup: a few thousand Patients for the searches to chew on ---------------------------

fill_store() {
  phase_start fill
  (cd "$ROOT" && wrk -t2 -c16 -d"${LOAD_SECONDS}s" -s bench/post_varied_patient.lua "$ORIGIN") \
    >"$TMP/fill.txt" 2>&1
  PATIENTS=$(curl -s --max-time 30 "$BASE/Patient?_summary=count" | grep -o '"total":[0-9]*' | cut -d: -f2)
  log "store holds ${PATIENTS:-?} Patients"
  phase_end
}

# ---- the attacks ---------------------------------------------------------------------------

attack_xml() {
  phase_start xml
  local head='<Patient xmlns="http://hl7.org/fhir">' tail='</Patient>'
  local size=$(( 16 * 1024 * 1024 - ${#head} - ${#tail} ))
  { printf '%s' "$head"; yes '<a/>' | tr -d '\n' | head -c $(( size / 4 * 4 )); printf '%s' "$tail"; } \
    >"$TMP/tiny.xml"
  local pids=()
  for _ in 1 2 3 4 5 6; do
    http xml --max-time 60 -H 'Content-Type: application/fhir+xml' \
      --data-binary "@$TMP/tiny.xml" "$BASE/Patient" &
    pids+=($!)
  done
  wait "${pids[@]}"
  rm -f "$TMP/tiny.xml"
  phase_end
}

attack_form() {
  phase_start form
  { printf 'family='; yes 'a,' | tr -d '\n' | head -c 1999999; } >"$TMP/form.txt"
  http form --max-time 60 -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary "@$TMP/form.txt" "$BASE/Patient/_search"
  phase_end
}

attack_queries() {
  phase_start queries
  local v495 v1000 sort=""
  v495=$(seq -f 'v%g' 1 495 | paste -sd,)
  v1000=$(seq -f 'v%g' 1 1000 | paste -sd,)
  for _ in $(seq 1500); do sort+="family,-birthdate,"; done
  http queries --max-time 30 "$BASE/Patient?family=$v495"
  http queries --max-time 30 "$BASE/Patient?family=$v1000"
  http queries --max-time 30 \
    "$BASE/Patient?family=$v495&given=$v495&address=$v495&name=$v495&telecom=$v495"
  http queries --max-time 30 "$BASE/Patient?_sort=${sort%,}"
  phase_end
}

attack_hl7_sp() {
  phase_start hl7-sp
  local control
  control="SP$(date +%s)"
  { printf 'MSH|^~\\&|HOSTILE|LAB|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|%s|P|2.5.1\r' "$control"
    printf 'PID|1||99^^^MRN^MR||SPACE^MAN\rOBX|1|TX|1^note^L||'
    yes '\.sp1000\' | tr -d '\n' | head -c $(( 4 * 1024 * 1024 )); printf '\r'; } >"$TMP/sp.hl7"
  "$CLIENT" send "$HOST" "$MLLP_PORT" "$TMP/sp.hl7" 60 >"$TMP/sp.ack"
  log "$(cat "$TMP/sp.ack")"
  # The lab feed writes too: look for our control id among the newest rows.
  local id pids=()
  id=$(curl -s --max-time 30 "$ORIGIN/hl7/messages?_count=50" |
       awk -v c="\"$control\"" '/"id":/ {gsub(/[^0-9]/, "", $2); id = $2} $0 ~ c {print id; exit}')
  if [[ -n $id ]]; then
    for _ in 1 2 3 4 5 6; do http hl7-sp --max-time 60 "$ORIGIN/hl7/messages/$id" & pids+=($!); done
    wait "${pids[@]}"
  else
    log "message $control not found in the archive listing"
  fi
  rm -f "$TMP/sp.hl7"
  phase_end
}

attack_trickle() {
  phase_start trickle
  log "$TRICKLE_CONNECTIONS connections, ${TRICKLE_PREFIX}-byte frame start, 1 byte/s, ${TRICKLE_SECONDS}s"
  "$CLIENT" trickle "$HOST" "$MLLP_PORT" "$TRICKLE_SECONDS" "$TRICKLE_CONNECTIONS" \
    "$TRICKLE_PREFIX" >"$TMP/trickle.out"
  tail -1 "$TMP/trickle.out" >&2
  phase_end
}

attack_slow() {
  phase_start slow
  local end=$(( $(now) + SLOW_SECONDS * 1000 ))
  slow_client() {  # slow_client MAX_TIME: loops until the phase ends
    while (( $(now) < end )); do
      local left=$(( (end - $(now)) / 1000 + 1 )) limit=$1
      (( left < limit )) && limit=$left
      http slow --max-time "$limit" "$BASE/Patient?$SLOW_QUERY"
    done
  }
  local pids=()
  for _ in $(seq "$SLOW_CLIENTS"); do slow_client "$SLOW_SECONDS" & pids+=($!); done
  for _ in 1 2 3; do slow_client 1 & pids+=($!); done
  wait "${pids[@]}"
  phase_end
}

# ---- run -------------------------------------------------------------------------------------

sample_rss & HELPERS+=($!)
fill_store
# "epoch_ms status seconds" for GET /fhir/metadata every ~100 ms (new connection, 10 s timeout).
"$CLIENT" poll "$HOST" "${ORIGIN##*:}" /fhir/metadata 600 100 >"$TMP/metadata.log" &
POLLER=$!
HELPERS+=("$POLLER")
"$CLIENT" feed "$HOST" "$MLLP_PORT" 600 "$FEED_CONNECTIONS" "$FEED_RATE" >"$TMP/feed.log" &
FEED=$!
HELPERS+=("$FEED")
RUN_T0=$(now)
for attack in ${ATTACKS:-xml form queries hl7-sp trickle slow}; do
  alive || { log "the server is gone; skipping the rest"; break; }
  declare -F "attack_${attack//-/_}" >/dev/null || { log "no attack '$attack'"; continue; }
  "attack_${attack//-/_}"
done
RUN_T1=$(now)
HWM=$(awk '/^VmHWM:/ {print $2}' "/proc/$PID/status" 2>/dev/null)
kill "$FEED" "$POLLER" 2>/dev/null; wait "$FEED" "$POLLER" 2>/dev/null
ALIVE_AT_END=0
alive && ALIVE_AT_END=1
# Searches the clients left may still run: stop the server before reporting, or the report's
# own awk and grep get a sliver of the CPU.
stop_server
log "attacks done, reporting"

# ---- report ---------------------------------------------------------------------------------

mb() { awk -v k="$1" 'BEGIN { if (k == "") print "?"; else printf "%.0f", k / 1024 }'; }
# max VmRSS (kB) sampled in [T0, T1]
rss_max() { awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b && $2 > m {m = $2} END {print m + 0}' "$TMP/rss.log"; }
# VmRSS (kB) of the last sample at or before T
rss_at() { awk -v a="$1" '$1 <= a {m = $2} END {print m + 0}' "$TMP/rss.log"; }
# worst /metadata seconds in [T0, T1]
meta_worst() {
  awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b && $3 > m {m = $3} END {printf "%.3f", m}' \
    "$TMP/metadata.log"
}
# "aa other failures min_aa_per_s" of the feed over the whole seconds inside [T0, T1]
feed_in() {
  awk -v a="$1" -v b="$2" '
    /^second=/ { split($1, s, "="); t = s[2] * 1000
      if (t < a || t + 1000 > b) next
      split($2, x, "="); split($3, y, "="); split($4, z, "=")
      aa += x[2]; other += y[2]; fail += z[2]; n++
      if (min == "" || x[2] < min) min = x[2] }
    END { printf "%d %d %d %s %d\n", aa, other, fail, (min == "" ? "-" : min), n }' "$TMP/feed.log"
}
# "status x count" summary of $TMP/NAME.codes, slowest answer, bodies with SQL text
statuses() {
  [[ -s $TMP/$1.codes ]] || { echo "no answers"; return; }
  awk '{c[$1]++; if ($2 > m) m = $2} END {for (k in c) printf "%s x%d, ", k, c[k]; printf "slowest %.2f s", m}' \
    "$TMP/$1.codes"
}
sql_bodies() { grep -l -E 'SELECT|INSERT|FROM idx_' "$TMP/$1".body.* 2>/dev/null | wc -l; }
fivexx_bodies() { awk '$1 >= 500' "$TMP/$1.codes" 2>/dev/null | wc -l; }

echo
echo "== hostile load: hearth $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null), $(nproc) cores," \
     "${PATIENTS:-?} Patients, $(awk -v a="$RUN_T0" -v b="$RUN_T1" 'BEGIN {printf "%.0f", (b - a) / 1000}') s of attacks"
[[ -e $TMP/guard ]] && echo "!! $(cat "$TMP/guard")"
(( ALIVE_AT_END )) || echo "!! the server was not running at the end (crash or guard); see the figures up to then"
printf '%-8s %-44s %15s %8s %9s %s\n' attack "answers" "RSS start>max" "meta max" "AA/s min" \
  "SQL in bodies"
for p in "${PHASES[@]}"; do
  read -r name t0 t1 <<<"$p"
  [[ $name == fill ]] && continue
  read -r _ _ _ min_aa _ <<<"$(feed_in "$t0" "$t1")"
  case $name in
    hl7-sp)  answers="MLLP $(sed 's/ seconds=.*//' "$TMP/sp.ack" 2>/dev/null); GET $(statuses hl7-sp)" ;;
    trickle) answers=$(tail -1 "$TMP/trickle.out" | sed -E 's/.* opened=([0-9]+) closed_by_server=([0-9]+).*still_open=([0-9]+).*/opened \1, closed by server \2, still open \3/') ;;
    *)       answers=$(statuses "$name") ;;
  esac
  printf '%-8s %-44s %5s>%6s MB %7s s %9s %s\n' "$name" "$answers" "$(mb "$(rss_at "$t0")")" \
    "$(mb "$(rss_max "$t0" "$t1")")" \
    "$(meta_worst "$t0" "$t1")" "$min_aa" "$(sql_bodies "$name") (of $(fivexx_bodies "$name") 5xx)"
done
[[ -s $TMP/trickle.out ]] && { echo "trickle detail:"; sed 's/^/  /' "$TMP/trickle.out"; }

echo
PEAK_SAMPLED=$(rss_max 0 99999999999999)
PEAK_ANON=$(awk '$3 > m {m = $3} END {print m + 0}' "$TMP/rss.log")
echo "peak RSS: VmHWM $(mb "$HWM") MB, sampled VmRSS max $(mb "$PEAK_SAMPLED") MB" \
     "(after the fill: $(mb "$(rss_max 0 "$RUN_T0")") MB); private (RssAnon) max" \
     "$(mb "$PEAK_ANON") MB, the rest file pages (the store's memory map)"
read -r META_N META_BAD META_P99 META_WORST <<<"$(awk -v a="$RUN_T0" -v b="$RUN_T1" '
  $1 >= a && $1 <= b { print ($2 == "200" ? 0 : 1), $3 }' "$TMP/metadata.log" | sort -k2,2g |
  awk '{ n++; bad += $1; t[n] = $2 }
       END { if (n == 0) { print "0 0 0 0"; exit }
             i = int(0.99 * n); if (i < 1) i = 1
             printf "%d %d %.3f %.3f\n", n, bad, t[i], t[n] }')"
META_GAP=$(awk -v a="$RUN_T0" -v b="$RUN_T1" '$1 >= a && $1 <= b { if (p && $1 - p > g) g = $1 - p; p = $1 }
  END {printf "%.2f", g / 1000}' "$TMP/metadata.log")
echo "GET /fhir/metadata: $META_N polls, worst $META_WORST s, p99 $META_P99 s, non-200 $META_BAD," \
     "longest gap between two polls $META_GAP s"
FEED_TOTAL=$(grep '^total' "$TMP/feed.log" | sed 's/^total //')
field() { grep -o "$1=[^ ]*" <<<"$FEED_TOTAL" | cut -d= -f2; }
FEED_OTHER=$(field other); FEED_FAIL=$(field failures); FEED_UNANSWERED=$(field unanswered)
read -r RUN_AA _ _ _ RUN_SECS <<<"$(feed_in "$RUN_T0" "$RUN_T1")"
echo "MLLP feed ($FEED_CONNECTIONS connections, $FEED_RATE msg/s offered, from the first attack" \
     "to the end of the last): $FEED_TOTAL"
echo "  AA $RUN_AA in the $RUN_SECS whole seconds of the attacks" \
     "($(awk -v a="$RUN_AA" -v n="$RUN_SECS" 'BEGIN {printf "%.0f", n ? a / n : 0}')/s), seconds without AA:" \
     "$(awk -v a="$RUN_T0" -v b="$RUN_T1" '/^second=/ {split($1, s, "="); split($2, x, "="); t = s[2] * 1000
        if (t >= a && t + 1000 <= b && x[2] == 0) n++} END {print n + 0}' "$TMP/feed.log")"
SLOW_PHASE=$(printf '%s\n' "${PHASES[@]}" | awk '$1 == "slow"')
if [[ -n $SLOW_PHASE ]]; then
  read -r _ s0 s1 <<<"$SLOW_PHASE"
  read -r SLOW_AA SLOW_OTHER SLOW_FAIL SLOW_MIN SLOW_SECS <<<"$(feed_in "$s0" "$s1")"
  echo "  slow-search phase: AA $SLOW_AA in $SLOW_SECS s, fewest AA in one second $SLOW_MIN," \
       "non-AA $SLOW_OTHER, failed connections $SLOW_FAIL"
  echo "  slow searches: $(statuses slow) (000: the client gave up, curl --max-time)"
fi

echo
verdict() { case $1 in 1) echo PASS ;; skip) echo SKIP ;; *) echo MISS ;; esac; }
PEAK=$(( ${HWM:-0} > PEAK_SAMPLED ? ${HWM:-0} : PEAK_SAMPLED ))
[[ -e $TMP/guard ]] && PEAK=$(( RSS_GUARD_MB * 1024 ))
echo "$(verdict "$(( PEAK < 400 * 1024 ))") peak RSS < 400 MB ($(mb "$PEAK") MB)"
echo "$(verdict "$(awk -v w="$META_WORST" -v b="$META_BAD" -v n="$META_N" 'BEGIN {print (n > 0 && w < 1 && b == 0) ? 1 : 0}')")" \
     "worst GET /fhir/metadata < 1 s, every poll 200 ($META_WORST s, $META_BAD non-200)"
FLOW=0
[[ -z $SLOW_PHASE ]] && FLOW=skip
[[ -n $SLOW_PHASE && ${SLOW_MIN:--} != - ]] &&
  (( SLOW_MIN > 0 && ${FEED_OTHER:-1} == 0 && ${FEED_FAIL:-1} == 0 && ${FEED_UNANSWERED:-1} == 0 )) &&
  FLOW=1
echo "$(verdict $FLOW) MLLP AA in every second of the slow-search phase, and only AA in the run" \
     "(fewest AA/s ${SLOW_MIN:-?}; non-AA ${FEED_OTHER:-?}, failed connections ${FEED_FAIL:-?}," \
     "unanswered ${FEED_UNANSWERED:-?})"
exit 0
