#!/usr/bin/env bash
# bench/run_secure.sh [BUILD_DIR]: reads of one Patient over plain HTTP against the same reads
# over HTTPS with bearer-token validation and the audit trail on, in one run on this machine
# (bench/README.md, "HTTPS + JWT + audit").
#
# Starts four `hearth serve` on fresh SQLite stores in a temporary directory, on 127.0.0.1 only:
#   plain   --auth none, --audit off, plain HTTP
#   tls     HTTPS alone; tlsjwt: HTTPS and --auth jwt (the layers apart, to explain the figure)
#   secure  --tls-listen (TLS 1.3, a throwaway CA and certificate made here with openssl),
#           --auth jwt (an RSA 2048 key made here, its JWKS file, one token signed here with
#           `openssl dgst`), --audit on (an AuditEvent stored for every read)
# PUTs the same ~2 KB Patient into each, then runs `wrk -t2 -c32` (keep-alive, one token for
# every request, so the token cache is what a keep-alive client meets) against plain, tls,
# tlsjwt and secure in turn, PAIRS rounds, and prints each round's ratio of secure to plain and
# the median against the target (>= 50%), with the medians of tls and tlsjwt beside it. The secure server's audit count is checked against the reads it answered.
#
# Exit status: 0 when the median ratio meets the target, 3 when it does not, 1 when something
# broke. Every process it starts is stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
DURATION=${BENCH_DURATION:-10}  # seconds per wrk case
PAIRS=${BENCH_PAIRS:-3}
WARMUP=2
CONNECTIONS=32
WRK_THREADS=2
HOST=127.0.0.1
TARGET=50  # percent of plain reads
ISS=https://idp.bench.invalid
AUD=hearth-bench

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

# HEARTH_BIN: an already built binary to measure instead (no build step).
if [[ -n ${HEARTH_BIN:-} ]]; then
  HEARTH=$HEARTH_BIN
else
  cmake --build "$BUILD" --target hearth >/dev/null || die "build failed"
  HEARTH=$BUILD/hearth
fi
[[ -x $HEARTH ]] || die "no hearth binary at $HEARTH"
BODY=$ROOT/bench/data/patient-2k.json
for tool in wrk openssl curl xxd base64; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done

# shellcheck source=bench/lib/processes.sh
. "$ROOT/bench/lib/processes.sh"
bench_processes hearth-secure-bench

# --- keys, certificate, token -----------------------------------------------------------------
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
(
  cd "$TMP"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -keyout ca.key -out ca.pem -subj '/CN=bench CA' 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key \
    -out server.csr -subj '/CN=127.0.0.1' 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
    -extfile server.ext -out server.pem 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out signing.key 2>/dev/null
) || die "openssl could not make the keys"
N=$(openssl rsa -in "$TMP/signing.key" -noout -modulus | cut -d= -f2 | xxd -r -p | b64url)
printf '{"keys":[{"kty":"RSA","kid":"bench","use":"sig","alg":"RS256","n":"%s","e":"AQAB"}]}' \
  "$N" >"$TMP/jwks.json"
HEADER=$(printf '{"alg":"RS256","typ":"JWT","kid":"bench"}' | b64url)
EXP=$(($(date +%s) + 3600))
CLAIMS=$(printf '{"iss":"%s","aud":"%s","sub":"bench-user","exp":%d,"scope":"system/*.cruds"}' \
  "$ISS" "$AUD" "$EXP" | b64url)
SIGNATURE=$(printf '%s.%s' "$HEADER" "$CLAIMS" | openssl dgst -sha256 -sign "$TMP/signing.key" |
  b64url)
TOKEN="$HEADER.$CLAIMS.$SIGNATURE"

# --- servers ----------------------------------------------------------------------------------
# start NAME URL-PATTERN [ARGS...]: sets PID_<NAME> and URL_<NAME> (the FHIR base).
start() {
  local name=$1 pattern=$2; shift 2
  mkdir -p "$TMP/$name"
  "$HEARTH" serve --listen "$HOST:0" --mllp-listen off --store "sqlite:$TMP/$name/hearth.db" "$@" \
    2>"$TMP/$name/stderr.log" &
  local pid=$!
  PIDS+=("$pid")
  wait_line "$TMP/$name/stderr.log" "$pattern" "$pid"
  printf -v "PID_$name" '%s' "$pid"
  printf -v "URL_$name" '%s' \
    "$(grep -o "$pattern[^ ]*" "$TMP/$name/stderr.log" | head -1 | sed 's/.*listening on //')"
}
TLS=(--tls-listen "$HOST:0" --tls-cert "$TMP/server.pem" --tls-key "$TMP/server.key")
JWT=(--auth jwt --jwks-file "$TMP/jwks.json" --issuer "$ISS" --audience "$AUD")
start plain "listening on http://" --auth none --audit off
start tls "tls listening on https://" "${TLS[@]}" --auth none --audit off
start tlsjwt "tls listening on https://" "${TLS[@]}" "${JWT[@]}" --audit off
start secure "tls listening on https://" "${TLS[@]}" "${JWT[@]}" --audit on
log "plain at $URL_plain, secure at $URL_secure"

ID=bench-patient-2k
sed "0,/\"resourceType\": *\"Patient\",/s//\"resourceType\": \"Patient\", \"id\": \"$ID\",/" \
  "$BODY" >"$TMP/put-body.json"
put() {  # put BASE [curl args...]
  local base=$1; shift
  local code
  code=$(curl -sS --max-time 10 -o "$TMP/last-body" -w '%{http_code}' -X PUT "$@" \
    -H 'Content-Type: application/fhir+json' --data-binary "@$TMP/put-body.json" \
    "$base/Patient/$ID") || code=000
  [[ $code == 201 || $code == 200 ]] || { cat "$TMP/last-body" >&2; die "PUT at $base: $code"; }
}
put "$URL_plain"
put "$URL_tls" --cacert "$TMP/ca.pem"
put "$URL_tlsjwt" --cacert "$TMP/ca.pem" -H "Authorization: Bearer $TOKEN"
put "$URL_secure" --cacert "$TMP/ca.pem" -H "Authorization: Bearer $TOKEN"
code=$(curl -sS --cacert "$TMP/ca.pem" -o /dev/null -w '%{http_code}' "$URL_secure/Patient/$ID")
[[ $code == 401 ]] || die "the secure server answered $code without a token, not 401"

# --- runs -------------------------------------------------------------------------------------
# run_wrk NAME URL [wrk args...]: sets RPS and REQUESTS.
run_wrk() {
  local name=$1 url=$2; shift 2
  local out=$TMP/wrk-$name.txt
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$@" "$url" >/dev/null
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$out" ||
    { cat "$out" >&2; die "wrk failed for $name"; }
  RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
  REQUESTS=$(awk '/requests in/ {print $1}' "$out")
  local non2xx
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$out")
  [[ -z $non2xx ]] || { cat "$out" >&2; die "$name: $non2xx non-2xx responses"; }
  [[ -n $RPS ]] || die "no Requests/sec in the wrk output of $name"
}

percent() { awk -v s="$1" -v p="$2" 'BEGIN { printf "%.0f", 100 * s / p }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)
RATIOS=() TLS_RATIOS=() JWT_RATIOS=()
SECURE_READS=0
for ((i = 1; i <= PAIRS; i++)); do
  run_wrk "plain-$i" "$URL_plain/Patient/$ID"
  PLAIN=$RPS
  run_wrk "tls-$i" "$URL_tls/Patient/$ID"
  TLS_RPS=$RPS
  run_wrk "tlsjwt-$i" "$URL_tlsjwt/Patient/$ID" -H "Authorization: Bearer $TOKEN"
  JWT_RPS=$RPS
  run_wrk "secure-$i" "$URL_secure/Patient/$ID" -H "Authorization: Bearer $TOKEN"
  SECURE=$RPS
  SECURE_READS=$((SECURE_READS + REQUESTS))
  RATIOS+=("$(percent "$SECURE" "$PLAIN")")
  TLS_RATIOS+=("$(percent "$TLS_RPS" "$PLAIN")")
  JWT_RATIOS+=("$(percent "$JWT_RPS" "$PLAIN")")
  log "round $i: plain $PLAIN, https $TLS_RPS, https+jwt $JWT_RPS, https+jwt+audit $SECURE req/s"
done
LOAD_AT_END=$(cut -d' ' -f1 /proc/loadavg)
MEDIAN=$(median "${RATIOS[@]}")

# The audit trail kept up: one AuditEvent per answered read (warm-ups included), once written.
stop "$PID_secure"
AUDITED=$(sqlite3 "file:$TMP/secure/hearth.db?mode=ro" \
  "SELECT COUNT(*) FROM resource WHERE res_type = 'AuditEvent'" 2>/dev/null || echo "?")

printf '\n%-34s %s\n' "case" "figure"
printf '%-34s %s\n' "reads, plain HTTP / HTTPS+JWT+audit" \
  "$(for r in "${RATIOS[@]}"; do printf '%s%% ' "$r"; done)(pairs of ${DURATION}s, wrk -t$WRK_THREADS -c$CONNECTIONS)"
printf '%-34s %s%% (https alone), %s%% (https+jwt)\n' "median, the layers apart" \
  "$(median "${TLS_RATIOS[@]}")" "$(median "${JWT_RATIOS[@]}")"
printf '%-34s %s%% (target >= %s%%)\n' "median ratio" "$MEDIAN" "$TARGET"
printf '%-34s %s stored for >= %s recorded secure reads\n' "AuditEvents" "$AUDITED" "$SECURE_READS"
printf '%-34s %s at start, %s at end (%s cores)\n' "load average" "$LOAD_AT_START" "$LOAD_AT_END" \
  "$(nproc)"
((MEDIAN >= TARGET)) || exit 3
