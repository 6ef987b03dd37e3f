// mallopt(M_ARENA_MAX, M_MMAP_THRESHOLD, M_TRIM_THRESHOLD) where glibc provides them.
#include "server/malloc_arenas.h"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace hearth::server {

void limit_malloc_arenas() {
#if defined(__GLIBC__)
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, kMallocArenas);
#endif
}

void fix_mmap_threshold() {
#if defined(__GLIBC__)
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) {
    mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThreshold));
  }
  if (std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr) {
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(kTrimThreshold));
  }
#endif
}

}  // namespace hearth::server
