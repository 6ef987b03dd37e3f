// The real HTTP transport of the conformance runner: HTTP/1.1 over plain TCP with Boost.Beast,
// one connection per request, every step (resolve, connect, write, read) under one deadline.
// https:// URLs are refused with kNotImplemented (TLS is not wired into the runner yet).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "conformance/http_transport.h"

namespace hearth::conformance {

struct TransportOptions {
  std::chrono::milliseconds timeout = std::chrono::seconds(30);  // per request, all steps
  std::size_t max_body = 64u << 20;                              // larger responses fail
};

std::unique_ptr<HttpTransport> make_beast_transport(TransportOptions options = {});

}  // namespace hearth::conformance
