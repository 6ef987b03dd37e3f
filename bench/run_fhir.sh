#!/usr/bin/env bash
# bench/run_fhir.sh [BUILD_DIR]: the FHIR codec and FHIRPath benchmarks (bench/README.md).
#   codec_bench     JSON and XML parse+serialize MB/s of a ~20 MB Bundle of official examples,
#                   each as a ratio to RapidJSON's own parse+serialize of the same JSON bytes
#   fhirpath_bench  evaluations/s of the 20 most used search expressions over 1,000 resources
# Builds both (Release) in BUILD_DIR (default: build), then runs them one after the other.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
generator=()
[[ -f $BUILD/CMakeCache.txt ]] || { command -v ninja >/dev/null && generator=(-G Ninja); }
cmake -S "$ROOT" -B "$BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target codec_bench fhirpath_bench >/dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$BUILD/bench/codec/codec_bench" "${BENCH_BUNDLE_MB:-20}" 5
"$BUILD/bench/fhirpath/fhirpath_bench" 5
