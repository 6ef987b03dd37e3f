// `hearth send`: reads HL7 v2 files (a message, a batch, or several messages one after the
// other; directories recursively, in name order) and sends each message over MLLP, waiting for
// its ACK before the next. One line per message on `out` ("FILE#N CONTROL-ID ACK-CODE"), then a
// summary. MSH-15 (enhanced mode) decides whether an accept ACK will come: NE never (sent
// without waiting), ER only on error and SU only on success, so for those we wait at most
// `conditional_ack_seconds`: silence then means accepted (ER) or not accepted (SU). An ACK whose
// MSA-2 names another message (one that came after its wait) is skipped. An X12 file (it opens
// with ISA) is sent whole as one frame and its line reads "FILE#1 ISA13 A|P|R" from the TA1/999
// it gets (A counts as accepted); a closed connection instead (the server stored nothing) is a
// connection failure.
// Returns the exit code: 0 when every message was accepted, 1 when some were not, 2 for
// unreadable paths or TLS files, 3 when the connection or its TLS handshake failed (sending
// stops there).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace hearth::server {

struct SendOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 2575;
  std::vector<std::string> paths;
  double timeout_seconds = 30;         // per ACK
  double conditional_ack_seconds = 1;  // MSH-15 ER/SU: how long an ACK may take to come
  // --tls: MLLP over TLS, the server verified against --ca (and --host as its name);
  // --cert/--key present a client certificate (mutual TLS).
  bool tls = false;
  std::string ca, cert, key;
};

int run_send(const SendOptions& options, std::ostream& out, std::ostream& err);

}  // namespace hearth::server
