#!/usr/bin/env bash
# bench/run_validation.sh [BUILD_DIR]: what validation costs a write, and stored terminology
# (docs/validation.md "Cost", docs/terminology.md), on this machine:
#   1. creates/s of bench/data/patient-2k.json through parse, validation, build_write and the
#      store (bench/store/create_rate, in one process, no HTTP), with the base definitions'
#      invariants and without them, alternated ROUNDS times (default 5) so that a change in the
#      machine's load falls on both; prints each pair and the median ratio with/without (issue 16:
#      at least 0.75);
#   2. $expand of a stored 10,000-concept value set (bench/store/expand_cost): the first
#      (compile, expand, cache), cached pages, filtered, $validate-code, after an update.
# CREATES (default 5000) and THREADS (default 4) size step 1. Exit status 0 when both ran.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
ROUNDS=${ROUNDS:-5}
CREATES=${CREATES:-5000}
THREADS=${THREADS:-4}
BODY=$ROOT/bench/data/patient-2k.json

cmake --build "$BUILD" --target create_rate expand_cost >/dev/null
RATE=$BUILD/bench/store/create_rate
EXPAND=$BUILD/bench/store/expand_cost

rate() { "$RATE" "$1" "$BODY" "$CREATES" "$THREADS" | sed -n 's/.*: \([0-9]*\) creates\/s.*/\1/p'; }

ratios=()
echo "creates/s (patient-2k, $CREATES creates, $THREADS writers): with invariants / without"
for ((i = 1; i <= ROUNDS; i++)); do
  with=$(rate invariants)
  without=$(rate structure)
  ratio=$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$ratio")
  echo "  round $i: $with / $without = $ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "median ratio with/without invariants: $median (target >= 0.75)"

"$EXPAND" 10000 50
