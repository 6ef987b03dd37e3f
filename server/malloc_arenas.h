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
// And from which size an allocation gets pages of its own (mmap), returned to the system when
// freed. glibc starts at 128 KiB but raises that bar to the size of every mmapped block freed
// (up to 32 MiB), so after one large request the next ones' multi-megabyte buffers come from
// the arenas and stay there: ingesting a 4 MiB HL7 message left RssAnon at 167 MB (82 MB with
// the bar fixed), and 6 parallel GETs of it peaked at 285 MB (193 MB). Blocks of 1 MiB and more
// are rare outside such requests, and for those the mmap and page faults cost far less than the
// work that fills them. Fixing the threshold also freezes glibc's trim threshold (the free
// memory an arena keeps at its top) at 128 KiB, which doubled the brk and madvise calls of a
// create and search load (strace -c); at 2 MiB, twice the mmap threshold as glibc's own rule
// sets it, the counts are those of glibc's defaults again.
//
// Thread-safety: call once, before the server starts its threads.
#pragma once

#include <cstddef>

namespace hearth::server {

inline constexpr int kMallocArenas = 4;
inline constexpr std::size_t kMmapThreshold = std::size_t{1} << 20;
inline constexpr std::size_t kTrimThreshold = 2 * kMmapThreshold;

// Caps glibc's arenas at kMallocArenas (mallopt M_ARENA_MAX) unless the environment already
// sets MALLOC_ARENA_MAX (the operator's choice wins). A no-op on other C libraries.
void limit_malloc_arenas();

// Fixes glibc's mmap threshold at kMmapThreshold (mallopt M_MMAP_THRESHOLD, which also stops it
// rising) and its trim threshold at kTrimThreshold, each unless the environment sets it
// (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_). A no-op on other C libraries.
void fix_mmap_threshold();

}  // namespace hearth::server
