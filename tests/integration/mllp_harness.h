// An MLLP client for integration tests: blocking POSIX sockets with a timeout on every read,
// frames through hl7::MllpDeframer. Send framed messages or raw bytes (to split frames, glue
// them together or add garbage) and read ACK payloads in order.
//
//   MllpClient client("127.0.0.1", server.mllp_port());
//   std::string ack = client.exchange(message);   // frame, send, wait for one ACK
//   CHECK(msa(ack, 1) == "AA");
//
// Errors: connect failures, timeouts and a closed connection while waiting throw
// std::runtime_error (a failed test). Thread-safety: one client per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace hearth::testing {

class MllpClient {
 public:
  MllpClient(const std::string& host, std::uint16_t port,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~MllpClient();
  MllpClient(const MllpClient&) = delete;
  MllpClient& operator=(const MllpClient&) = delete;

  void send_raw(std::string_view bytes);
  void send(std::string_view message);  // framed
  // The next ACK payload; throws on timeout or when the server closes first.
  std::string read_ack();
  std::string exchange(std::string_view message) {
    send(message);
    return read_ack();
  }
  // True when the server closes the connection within the timeout.
  bool closed_by_peer();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Field `n` of the first `segment_id` segment of an ER7 message ("" when absent); for the
// fields of MSH, n counts as in HL7 (MSH-3 is n = 3).
std::string hl7_field(std::string_view message, std::string_view segment_id, int n);
inline std::string msa(std::string_view ack, int n) {
  return hl7_field(ack, "MSA", n);
}

// An ORU^R01 with the given sender (MSH-3), control id and an OBX value.
std::string make_oru(std::string_view sender, std::string_view control_id,
                     std::string_view value = "7.5");

}  // namespace hearth::testing
