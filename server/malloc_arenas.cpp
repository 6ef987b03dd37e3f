// mallopt(M_ARENA_MAX) where glibc provides it.
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

}  // namespace hearth::server
