// Server log lines on stderr: one line per request (method, target, status, duration) and
// free-form lines for startup, shutdown and errors. Each line is written with a single write(2)
// so lines from concurrent threads never interleave.
//
// Thread-safety: all functions may be called from any thread.
#pragma once

#include <chrono>
#include <string_view>

namespace hearth::server {

// "hearth: GET /fhir/Patient/1 200 153us" (ms above 10 ms).
void log_access(std::string_view method, std::string_view target, int status,
                std::chrono::steady_clock::duration duration);

// "hearth: MLLP 127.0.0.1:53122 ORU^R01 MSG00003 AA 1ms" for one HL7 v2 message.
void log_mllp(std::string_view peer, std::string_view message_type, std::string_view control_id,
              std::string_view ack_code, std::chrono::steady_clock::duration duration);

// "hearth: " + text.
void log_line(std::string_view text);

}  // namespace hearth::server
