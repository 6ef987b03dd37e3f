// A per-thread 64-bit generator seeded from the OS: ids need to be unique, not secret.
#include "server/request_id.h"

#include <algorithm>
#include <cstdint>
#include <random>

namespace hearth::server {

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-_.:/+=@").find(c) != std::string_view::npos;
  });
}

void assign_request_id(std::string_view sent, std::string& out) {
  if (is_valid_request_id(sent)) {
    out.assign(sent);
    return;
  }
  thread_local std::mt19937_64 generator([] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }());
  static constexpr char kHex[] = "0123456789abcdef";
  out.resize(32);
  for (std::size_t half = 0; half < 2; ++half) {
    std::uint64_t bits = generator();
    for (std::size_t i = 0; i < 16; ++i, bits >>= 4) out[half * 16 + i] = kHex[bits & 0xF];
  }
}

}  // namespace hearth::server
