// Fetching a JSON Web Key Set over the network for --jwks-url: one GET, bounded in time and
// size, over HTTPS verified against the system's trust store (OpenSSL's default paths, so
// SSL_CERT_FILE / SSL_CERT_DIR apply) with the URL's host checked against the certificate.
//
// The one exception to HTTPS: http:// with the literal host 127.0.0.1 (any port), for tests
// and a key-serving sidecar on the same machine. Nothing else is fetched in clear text:
// http://localhost, http://[::1] and every other host are refused, because a key set read off
// the network unprotected lets whoever sits on the path sign tokens.
//
// Thread-safety: fetch_jwks may be called from any thread (each call has its own io_context).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::server::auth {

inline constexpr std::size_t kMaxJwksBytes = std::size_t{1} << 20;
inline constexpr std::chrono::milliseconds kJwksFetchTimeout{5000};

struct JwksUrl {
  bool tls = true;
  std::string host;
  std::string port;
  std::string target;  // path and query
  std::string text;    // the URL as configured, for messages
};

// Errors: kInvalidArgument for anything but https://HOST[:PORT]/... or http://127.0.0.1[:PORT]/...
Result<JwksUrl> parse_jwks_url(std::string_view url);

// GET `url`: the body of a 200 response, at most kMaxJwksBytes, within `timeout` for the whole
// exchange (resolve, connect, handshake, request, response).
// Errors: kUnavailable naming the URL and the step (resolve, connect, TLS handshake with the
// certificate check, timeout, a status other than 200, a body over the limit).
Result<std::string> fetch_jwks(const JwksUrl& url,
                               std::chrono::milliseconds timeout = kJwksFetchTimeout);

}  // namespace hearth::server::auth
