// Where a JwtValidator finds its keys: a fixed set (--jwks-file, read at start), or a set
// fetched from --jwks-url and kept fresh:
//   - fetched once at start (a failure stops the server there);
//   - refetched when a token names a kid the set lacks (a key the provider has just added), at
//     most once per `unknown_kid_interval` (10 s), so tokens with made-up kids cannot make
//     Hearth hammer the provider; the request that triggers it waits for the fetch (bounded
//     by the fetch's timeout), others that meet a fetch in flight do not wait (their kid is
//     looked up in the keys as they are), so at most one thread is ever held by a fetch;
//   - refetched when older than `max_age` (1 h) by the next token validation, so a key the
//     provider has withdrawn stops verifying within that time;
//   - a failed refetch keeps the keys it had (and is reported through `log`).
// generation() moves whenever the keys change, so caches of validated tokens (bearer_auth.h)
// drop tokens that a withdrawn key signed.
//
// Thread-safety: every member may be called concurrently; one fetch at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "server/auth/jwks.h"

namespace hearth::server::auth {

// The JWKS text, or the failure (jwks_fetch.h's fetch_jwks, or a fake in tests).
using JwksFetch = std::function<Result<std::string>()>;

struct JwksRefresh {
  std::chrono::seconds max_age{3600};
  std::chrono::seconds unknown_kid_interval{10};
};

class JwksSource {
 public:
  // A set that never changes.
  static std::shared_ptr<JwksSource> fixed(std::shared_ptr<const Jwks> keys);
  // Fetches now. `clock` must outlive the source; `log` (may be empty) gets one line per failed
  // refetch. Errors: the first fetch's (kUnavailable) or the text's (kInvalidArgument,
  // Jwks::parse).
  static Result<std::shared_ptr<JwksSource>> fetched(JwksFetch fetch, const Clock& clock,
                                                     JwksRefresh refresh,
                                                     std::function<void(std::string_view)> log);

  // The keys to verify with (refetched first when older than max_age).
  std::shared_ptr<const Jwks> keys();
  // The keys after a refetch for a token whose kid the set lacks, unless the rate limit holds
  // it back (then the keys as they are).
  std::shared_ptr<const Jwks> keys_for_unknown_kid();

  std::uint64_t generation() const { return generation_.load(); }
  // Fetches made so far, the first included (for tests and logs).
  std::uint64_t fetches() const { return fetches_.load(); }

 private:
  JwksSource() = default;
  std::shared_ptr<const Jwks> current() const;
  // Under fetch_mutex_: fetch, parse, swap in when different. Failures are logged.
  Status refetch(std::int64_t now);

  JwksFetch fetch_;  // empty: a fixed set
  const Clock* clock_ = nullptr;
  JwksRefresh refresh_;
  std::function<void(std::string_view)> log_;

  mutable std::mutex state_mutex_;  // guards keys_, text_, fetched_at_
  std::shared_ptr<const Jwks> keys_;
  std::string text_;
  std::int64_t fetched_at_ = 0;  // microseconds

  std::mutex fetch_mutex_;                      // one fetch at a time; guards the field below
  std::optional<std::int64_t> kid_refetch_at_;  // the last refetch for an unknown kid
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::uint64_t> fetches_{0};
};

}  // namespace hearth::server::auth
