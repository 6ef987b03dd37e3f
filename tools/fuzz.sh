#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cpp) with clang and runs each for SECONDS
# (default 60) on a scratch copy of its kept corpus in tests/fuzz/<target>/. A crash leaves its
# input in build-fuzz/crashes/<target>/ (copy it into tests/fuzz/<target>/ once fixed, so the
# normal test run replays it) and makes this script exit non-zero.
# Usage: tools/fuzz.sh [SECONDS] [TARGET...]
#        tools/fuzz.sh --build-only   build everything in build-fuzz (tests included: tools/test
#                                     runs them there under ASan + UBSan), run nothing
# build-fuzz is one clang tree with ASan + UBSan and libFuzzer's instrumentation in every
# library, -O1 with line tables only (enough for sanitizer reports, and quick to build).
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DHEARTH_FUZZ=ON -DHEARTH_BUILD_BENCH=OFF >/dev/null
if [ "${1:-}" = "--build-only" ]; then
  cmake --build build-fuzz
  exit 0
fi
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cpp; do t=$(basename "$f" _fuzz.cpp); targets+=("$t"); done
fi
cmake --build build-fuzz --target "${targets[@]/#/fuzz_}"
status=0
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp -r "tests/fuzz/$t/." "$work/"
  mkdir -p "build-fuzz/crashes/$t"
  echo "fuzz: $t for ${seconds}s"
  if ! build-fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="build-fuzz/crashes/$t/" -print_final_stats=1 \
      "$work" 2>"build-fuzz/fuzz-$t.log"; then
    echo "fuzz: $t FAILED; see build-fuzz/fuzz-$t.log and build-fuzz/crashes/$t/" >&2
    tail -40 "build-fuzz/fuzz-$t.log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "build-fuzz/fuzz-$t.log" |
      sed "s/^/fuzz: $t /"
  fi
  rm -rf "$work"
done
exit $status
