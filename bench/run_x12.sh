#!/usr/bin/env bash
# X12 figures beside the HL7 v2 parser's, on this machine, in one run:
#   1. parse: x12_parse_bench on a generated ~50 MB 837P (envelopes only, and with the 837P
#      loop check), MB/s wall and per CPU second;
#   2. the HL7 v2 ER7 parser on the corpus (hl7_parse_bench), MB/s;
#   3. import: `hearth import` of FILES generated 837P interchanges of CLAIMS claims each into a
#      fresh SQLite store (or STORE=URL): claims/s end to end (parse, 999, map, archive, write).
# Then the ratios: X12 parse / 500 MB/s (the goal), X12 parse / HL7 v2 parse, import / 2,000
# claims/s (the goal). Run it niced on a shared machine and say so with the figures: the wall
# clock counts the time other processes held the cores (the per-CPU-second figure does not).
# Usage: bench/run_x12.sh [BUILD_DIR]   (X12_MB=50, ROUNDS=3, FILES=20, CLAIMS=1000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
MB=${X12_MB:-50}
ROUNDS=${ROUNDS:-3}
FILES=${FILES:-20}
CLAIMS=${CLAIMS:-1000}
cmake --build "$BUILD" --target hearth x12_parse_bench hl7_parse_bench >&2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "== X12 parse (x12_parse_bench $MB $ROUNDS)"
"$BUILD/bench/x12/x12_parse_bench" "$MB" "$ROUNDS" | tee "$TMP/x12.out"
echo "== HL7 v2 parse (hl7_parse_bench $MB $ROUNDS)"
"$BUILD/bench/hl7/hl7_parse_bench" "$MB" "$ROUNDS" | tee "$TMP/hl7.out"
echo "== X12 import ($FILES interchanges of $CLAIMS claims)"
mkdir -p "$TMP/in"
"$BUILD/bench/x12/x12_parse_bench" --generate "$TMP/in" "$FILES" "$CLAIMS"
STORE=${STORE:-sqlite:$TMP/hearth.db}
"$BUILD/hearth" import --store "$STORE" "$TMP/in" | tee "$TMP/import.out"

x12_mbs=$(sed -n 's/^parse, envelopes only: \([0-9]*\) MB\/s.*/\1/p' "$TMP/x12.out")
x12_cpu=$(sed -n 's/^parse, envelopes only: .*per CPU second: \([0-9]*\) MB\/s.*/\1/p' "$TMP/x12.out")
loop_mbs=$(sed -n 's/^parse + 837P loop structure: \([0-9]*\) MB\/s.*/\1/p' "$TMP/x12.out")
loop_cpu=$(sed -n 's/^parse + 837P loop structure: .*per CPU second: \([0-9]*\) MB\/s.*/\1/p' \
  "$TMP/x12.out")
hl7_mbs=$(sed -n 's/^parse: .* \([0-9]*\) MB\/s.*/\1/p' "$TMP/hl7.out")
claims=$(sed -n 's/.* \([0-9]*\) claims\/s.*/\1/p' "$TMP/import.out")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo "== figures (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
echo "x12 parse, envelopes: $x12_mbs MB/s wall, $x12_cpu MB/s per CPU second;" \
  "goal 500: x$(ratio "$x12_mbs" 500) wall, x$(ratio "$x12_cpu" 500) CPU;" \
  "vs HL7 v2 parse ($hl7_mbs MB/s wall): x$(ratio "$x12_mbs" "$hl7_mbs")"
echo "x12 parse + 837P loops: $loop_mbs MB/s wall, $loop_cpu MB/s per CPU second;" \
  "goal 500: x$(ratio "$loop_mbs" 500) wall, x$(ratio "$loop_cpu" 500) CPU"
echo "x12 import: $claims claims/s; goal 2000: x$(ratio "$claims" 2000)"
