// A stable 64-bit hash of bytes (FNV-1a), for finding stored content that may equal new content
// without comparing it all (e.g. an HL7 resend among messages that reuse a control id). Stable
// across builds and machines, so it may be stored; not cryptographic: equal hashes still need a
// byte comparison.
//
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace hearth {

constexpr std::uint64_t content_hash(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace hearth
