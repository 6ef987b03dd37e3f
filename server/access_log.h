// Server log lines on stderr (through server/log_sink.h): one line per request and per MLLP
// message, written behind the caller, and free-form lines for startup, shutdown and errors,
// written at once. Lines never interleave. Logs carry no PHI: a request line shows the path and
// the query parameter names, not their values, unless asked for.
//
// Two formats, chosen once at start (serve --log-format):
//   text  "hearth: GET /fhir/Patient?family= 200 153us id=4f0c..."  (ms above 10 ms)
//   json  one object per line: {"time":"2026-01-02T03:04:05.678901Z","level":"info",
//         "event":"http.request","request_id":"4f0c...","method":"GET",
//         "target":"/fhir/Patient?family=","route":"search-type Patient","status":200,
//         "latency_us":153,"peer":"127.0.0.1:50312"}; MLLP messages are "mllp.message" with
//         peer, message_type, control_id, ack and latency_us; free-form lines carry their text
//         as "event". Strings are JSON-escaped (control characters as \u00XX, bytes that are not
//         UTF-8 as \u00XX of each byte).
//
// Thread-safety: all functions may be called from any thread; set_log_format before any other
// thread logs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::server {

enum class LogFormat { kText, kJson };
enum class LogLevel { kInfo, kWarning, kError };

// Process-wide; text until set.
void set_log_format(LogFormat format);
LogFormat log_format();

// One HTTP request, as the access line shows it.
struct AccessEntry {
  std::string_view method;
  std::string_view target;  // as sent; the line keeps its path and parameter names
  int status = 0;
  std::chrono::steady_clock::duration duration{};
  bool query_values = false;     // --log-query-values: the target as sent (PHI: debugging only)
  std::string_view request_id;   // X-Request-Id as answered
  std::string_view interaction;  // api::kInteractionLabels; "" or "unknown" when unrouted
  std::string_view type;         // resource type label; "" for none
  std::string_view peer;         // "HOST:PORT" of the client
};

// One MLLP message, as its line shows it.
struct MllpEntry {
  std::string_view peer;
  std::string_view message_type;  // "ORU^R01"; "" unknown
  std::string_view control_id;    // MSH-10; "" unknown
  std::string_view ack_code;      // "AA", ...; "" when no ACK was sent
  std::chrono::steady_clock::duration duration{};
};

void log_access(const AccessEntry& entry);
void log_mllp(const MllpEntry& entry);

// `text` with every credential masked (core/redact.h) and, in the text format, control
// characters (a newline that would forge a second line) replaced by spaces.
void log_line(std::string_view text, LogLevel level = LogLevel::kInfo);

// The formatting behind the three, for tests: appends one line (ending in '\n') to `out`;
// `now_micros` is the wall-clock time the JSON line shows.
void format_access(std::string& out, const AccessEntry& entry, LogFormat format,
                   std::int64_t now_micros);
void format_mllp(std::string& out, const MllpEntry& entry, LogFormat format,
                 std::int64_t now_micros);
void format_line(std::string& out, std::string_view text, LogLevel level, LogFormat format,
                 std::int64_t now_micros);

// Appends what the access line shows of `target`: "/p?a=&b=" for "/p?a=1&b=2#f".
void append_logged_target(std::string& out, std::string_view target, bool query_values);

// Appends `text` as a JSON string, quotes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace hearth::server
