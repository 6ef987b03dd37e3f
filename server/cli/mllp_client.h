// A blocking MLLP client: one TCP connection, one message at a time (frame, send, wait for
// the framed ACK), optionally over TLS (the server verified against a CA file and the host
// name, a client certificate presented for mutual TLS). Used by `hearth send` and the MLLP
// load bench.
//
// Errors: kUnavailable for a failed connect or TLS handshake (the message says why: unknown
// CA, wrong name, refused client), a timeout (the connection is then closed) or the server
// closing before an ACK; kInvalidArgument for a TLS file that cannot be read; kPayloadTooLarge
// for an ACK over 16 MiB.
// Thread-safety: none; one client per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::server {

// MLLP over TLS: `ca` verifies the server (required); `cert` and `key` (PEM) are presented
// when the server asks for a client certificate.
struct MllpTlsOptions {
  std::string ca;
  std::string cert;
  std::string key;
};

class MllpClient {
 public:
  // `tls` null: plain TCP.
  static Result<std::unique_ptr<MllpClient>> connect(const std::string& host, std::uint16_t port,
                                                     std::chrono::milliseconds timeout,
                                                     const MllpTlsOptions* tls = nullptr);
  ~MllpClient();
  MllpClient(const MllpClient&) = delete;
  MllpClient& operator=(const MllpClient&) = delete;

  // Sends `message` framed and returns the next ACK payload.
  Result<std::string> exchange(std::string_view message);
  // The two halves: send without waiting (a message whose MSH-15 is NE gets no ACK), and
  // wait for the next ACK.
  Status send(std::string_view message);
  Result<std::string> read_ack();
  // Waits at most `wait` for the next ACK; nullopt (the connection stays open) when none came.
  Result<std::optional<std::string>> read_ack_within(std::chrono::milliseconds wait);

 private:
  struct Impl;
  explicit MllpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::server
