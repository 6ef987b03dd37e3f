// Server log lines on stderr (through server/log_sink.h): one line per request (method, target,
// status, duration), written behind the request, and free-form lines for startup, shutdown and
// errors, written at once. Lines never interleave. Logs carry no PHI: the access line shows
// the path and the query parameter names, not their values, unless asked for.
//
// Thread-safety: all functions may be called from any thread.
#pragma once

#include <chrono>
#include <string_view>

namespace hearth::server {

// "hearth: GET /fhir/Patient?family=&birthdate= 200 153us" (ms above 10 ms): the target's
// path, then its query parameter names each followed by '=' (values dropped, fragment
// dropped). `query_values` (--log-query-values, for debugging) writes the target as sent.
void log_access(std::string_view method, std::string_view target, int status,
                std::chrono::steady_clock::duration duration, bool query_values = false);

// Appends what log_access shows of `target`: "/p?a=&b=" for "/p?a=1&b=2#f".
void append_logged_target(std::string& out, std::string_view target, bool query_values);

// "hearth: MLLP 127.0.0.1:53122 ORU^R01 MSG00003 AA 1ms" for one HL7 v2 message.
void log_mllp(std::string_view peer, std::string_view message_type, std::string_view control_id,
              std::string_view ack_code, std::chrono::steady_clock::duration duration);

// "hearth: " + text, with every credential masked (core/redact.h) and control characters
// (a newline that would forge a second line) replaced by spaces.
void log_line(std::string_view text);

}  // namespace hearth::server
