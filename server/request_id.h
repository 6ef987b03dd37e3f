// X-Request-Id: the id that ties a request's log line, its response and the caller's own logs
// together. A client's (or a proxy's) id is kept when it is a plausible id; anything else is
// replaced by a generated one, so a log line never carries what a client chose to smuggle in.
//
// Thread-safety: pure functions; generation uses a per-thread generator.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hearth::server {

inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";
inline constexpr std::size_t kMaxRequestIdLength = 128;

// 1 to kMaxRequestIdLength characters of A-Z a-z 0-9 and - _ . : / + = @ (UUIDs, ULIDs, hex,
// base64, the ids of common proxies and tracers).
bool is_valid_request_id(std::string_view id);

// Sets `out` to `sent` when it is valid, else to a new id: 32 lower-case hex characters (128
// random bits). Reuses `out`'s capacity.
void assign_request_id(std::string_view sent, std::string& out);

}  // namespace hearth::server
