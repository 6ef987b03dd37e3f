// A per-thread cache of the formatted Date header, refreshed when the second changes.
#include "server/date_cache.h"

#include <chrono>
#include <cstdint>
#include <string>

#include "core/time_format.h"

namespace hearth::server {

std::string_view current_http_date() {
  struct Cache {
    std::int64_t second = -1;
    std::string text;
  };
  thread_local Cache cache;
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::int64_t second = micros / 1000000;
  if (second != cache.second) {
    cache.text = format_http_date(second * 1000000);
    cache.second = second;
  }
  return cache.text;
}

}  // namespace hearth::server
