// Internal to server/: the per-connection coroutine of the MLLP listener (mllp_session.cpp).
// Messages on one connection are answered in the order they arrived; the connection closes on
// peer close, 5 minutes idle between frames, a frame not complete --mllp-frame-timeout after
// its first byte (the partial frame is dropped, with a log line), or shutdown. A message over
// --mllp-max-message is skipped and answered AR from its head (Hl7Ingest::reject_oversize).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/http_session.h"

namespace hearth::server {

boost::asio::awaitable<void> run_mllp_session(Socket socket, ServerState& state,
                                              ConnectionSlot slot);
// The same over TLS (--mllp-tls-listen): a handshake within kTlsHandshakeTimeout (under
// --mllp-client-ca it requires a client certificate the CA issued), then the same loop; the
// verified certificate's subject is archived with each message (its sender identity).
boost::asio::awaitable<void> run_mllp_tls_session(Socket socket, ServerState& state,
                                                  ConnectionSlot slot);

}  // namespace hearth::server
