// `hearth send`: reads HL7 v2 files (a message, a batch, or several messages one after the
// other; directories recursively, in name order) and sends each message over MLLP, waiting for
// its ACK before the next. One line per message on `out` ("FILE#N CONTROL-ID ACK-CODE"), then a
// summary. A message whose MSH-15 is NE is sent without waiting (no accept ACK will come);
// MSH-15 ER/SU are not handled (the ACK wait may time out). Returns the exit code: 0 when every message got AA/CA, 1 when some did not, 2 for
// unreadable paths, 3 when the connection failed (sending stops there).
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
  double timeout_seconds = 30;  // per ACK
};

int run_send(const SendOptions& options, std::ostream& out, std::ostream& err);

}  // namespace hearth::server
