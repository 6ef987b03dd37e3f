// The HTTP side of --auth jwt: an Authorization header -> the bearer's claims, through a
// bounded cache of tokens already validated, so a keep-alive client's requests after the first
// cost one hash lookup instead of a signature check. A cached token is still refused once its
// exp (plus the skew) has passed; tokens that fail are never cached; when the keys change
// (JwksSource::generation: a refetch found a rotated set) the whole cache is dropped, so a token
// of a withdrawn key is checked again, and refused.
//
// Thread-safety: authenticate() may be called concurrently (one mutex around the cache).
// Errors: kUnauthorized, the reason fit for a client (JwtValidator's, or a missing or
// malformed header).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "server/auth/jwt_validator.h"

namespace hearth::server::auth {

inline constexpr std::size_t kDefaultTokenCacheSize = 4096;

class BearerAuth {
 public:
  // `validator` must outlive this.
  explicit BearerAuth(const JwtValidator& validator, std::size_t capacity = kDefaultTokenCacheSize);

  // `authorization` is the header's value ("" when absent): "Bearer <token>", the scheme
  // case-insensitive.
  Result<std::shared_ptr<const TokenClaims>> authenticate(std::string_view authorization) const;

  // Tokens held in the cache (for tests).
  std::size_t cached() const;

 private:
  const JwtValidator& validator_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const TokenClaims>> cache_;
  mutable std::uint64_t generation_ = 0;  // the keys' generation the cache was filled under
};

// The WWW-Authenticate value of a 401 (RFC 6750 3): the bare challenge when no token came,
// else with error="invalid_token" and `reason` as its description.
std::string bearer_challenge(bool token_presented, std::string_view reason);

}  // namespace hearth::server::auth
