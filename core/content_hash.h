// A stable 64-bit hash of bytes (FNV-1a), for finding stored content that may equal new content
// without comparing it all (e.g. an HL7 resend among messages that reuse a control id). Stable
// across builds and machines, so it may be stored; not cryptographic: equal hashes still need a
// byte comparison.
//
// content_hash_128 is the same over 128 bits (FNV-1a 128), for a key that stands for content in
// place of a byte comparison (a mapped resource found again by what it says): collisions are out
// of reach by chance, not by design, so only for content whose author is the one it would confuse.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
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

// FNV-1a 128 of `bytes` as 32 lower-case hex digits.
inline std::string content_hash_128(std::string_view bytes) {
  using U128 = unsigned __int128;
  constexpr U128 kPrime = (U128{1} << 88) | 0x13b;
  U128 h = (U128{0x6c62272e07bb0142ull} << 64) | 0x62b821756295c58dull;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kPrime;
  }
  std::string out(32, '0');
  for (int i = 31; i >= 0; --i, h >>= 4) out[i] = "0123456789abcdef"[static_cast<int>(h & 0xf)];
  return out;
}

}  // namespace hearth
