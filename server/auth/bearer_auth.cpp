// Header parsing, the cache and its eviction.
#include "server/auth/bearer_auth.h"

#include <algorithm>
#include <cctype>

namespace hearth::server::auth {
namespace {

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

}  // namespace

BearerAuth::BearerAuth(const JwtValidator& validator, std::size_t capacity)
    : validator_(validator), capacity_(std::max<std::size_t>(capacity, 2)) {}

std::size_t BearerAuth::cached() const {
  std::lock_guard lock(mutex_);
  return cache_.size();
}

Result<std::shared_ptr<const TokenClaims>> BearerAuth::authenticate(
    std::string_view authorization) const {
  if (authorization.empty()) {
    return Status(Code::kUnauthorized, "missing bearer token (Authorization: Bearer ...)");
  }
  if (!iequals_prefix(authorization, "Bearer ")) {
    return Status(Code::kUnauthorized, "the Authorization header is not a bearer token");
  }
  std::string_view token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return Status(Code::kUnauthorized, "empty bearer token");

  const std::int64_t now = validator_.clock().now_micros() / 1'000'000;
  const std::int64_t skew = validator_.policy().skew.count();
  const std::uint64_t generation = validator_.key_generation();
  {
    std::lock_guard lock(mutex_);
    if (generation != generation_) {
      cache_.clear();
      generation_ = generation;
    }
    auto it = cache_.find(std::string(token));
    if (it != cache_.end()) {
      if (now < it->second->expires_at + skew) return it->second;
      cache_.erase(it);
      return Status(Code::kUnauthorized, "token expired");
    }
  }
  Result<TokenClaims> claims = validator_.validate(token);
  if (!claims) return claims.status();
  auto shared = std::make_shared<const TokenClaims>(std::move(claims).value());
  std::lock_guard lock(mutex_);
  // Validated under keys that have since changed: answer, but do not cache.
  if (validator_.key_generation() != generation_) return shared;
  if (cache_.size() >= capacity_) {
    // Expired tokens go first; then arbitrary ones down to half the capacity (a revalidation
    // costs one signature check, so nothing finer is worth its bookkeeping).
    std::erase_if(cache_,
                  [&](const auto& entry) { return now >= entry.second->expires_at + skew; });
    for (auto it = cache_.begin(); cache_.size() > capacity_ / 2;) it = cache_.erase(it);
  }
  cache_.emplace(std::string(token), shared);
  return shared;
}

std::string bearer_challenge(bool token_presented, std::string_view reason) {
  std::string out = "Bearer realm=\"hearth\"";
  if (!token_presented) return out;
  out += ", error=\"invalid_token\", error_description=\"";
  for (char c : reason) out.push_back(c == '"' || c == '\\' ? '\'' : c);
  out += "\"";
  return out;
}

}  // namespace hearth::server::auth
