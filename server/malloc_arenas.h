// How many malloc arenas the server's threads share. glibc gives threads up to 8 x cores
// arenas and keeps what a thread frees in that thread's arena. The server runs 2 x 32 worker
// threads, and a large request (the decode of a 16 MiB body: libxml2's tree of half a million
// nodes, ~100 MB) leaves its freed pages in whichever arena its worker used, where the next
// large request, decoded on another worker, does not find them: measured, four 16 MiB XML
// bodies one after the other left RSS at 84, 148, 212, 276 MB. With two arenas the same
// sequence stays at 84-116 MB, since freed memory is found again. Large bodies now decode on
// one lane (Lane::kLargeWriter, server/scheduling.h), so four arenas are enough: under
// bench/run_hostile.sh the peak was 267 MB with four, 291-375 MB with glibc's 16, while two cost
// ~7% of create throughput (threads waiting on each other's arena lock) and four ~3%.
//
// The release binary runs on jemalloc instead (HEARTH_JEMALLOC, the top CMakeLists.txt): an
// ingested message is allocated on an io thread and freed on the committer, and glibc's free into
// another thread's arena (its lock, its chunk merging) cost the ingest at 32 connections 8%
// (ORU^R01) and 14% (ADT^A01) of its messages/s (bench/README.md, "The allocator"). The same four
// 16 MiB bodies grow its peak RSS by ~160 MB (glibc ~110 MB), under the bound
// tests/integration/limits_test.cpp holds. This cap then tunes an allocator nobody calls; it still
// holds for builds without jemalloc (the sanitizer and fuzz builds, HEARTH_JEMALLOC=OFF).
//
// Thread-safety: call once, before the server starts its threads.
#pragma once

namespace hearth::server {

inline constexpr int kMallocArenas = 4;

// Caps glibc's arenas at kMallocArenas (mallopt M_ARENA_MAX) unless the environment already
// sets MALLOC_ARENA_MAX (the operator's choice wins). A no-op on other C libraries.
void limit_malloc_arenas();

}  // namespace hearth::server
