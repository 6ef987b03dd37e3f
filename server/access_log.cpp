// Formats into a per-thread buffer and hands the line to the log sink: per-request lines are
// written behind the caller, the others at once (server/log_sink.h).
#include "server/access_log.h"

#include <charconv>
#include <string>

#include "core/redact.h"
#include "server/log_sink.h"

namespace hearth::server {
namespace {

void append_number(std::string& out, long long value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

void append_duration(std::string& line, std::chrono::steady_clock::duration duration) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  if (micros < 10000) {
    append_number(line, micros);
    line += "us\n";
  } else {
    append_number(line, micros / 1000);
    line += "ms\n";
  }
}

}  // namespace

void append_logged_target(std::string& out, std::string_view target, bool query_values) {
  if (query_values) {
    out += target;
    return;
  }
  const std::size_t mark = target.find_first_of("?#");
  out += target.substr(0, mark);
  if (mark == std::string_view::npos || target[mark] == '#') return;
  std::string_view query = target.substr(mark + 1);
  query = query.substr(0, query.find('#'));
  char separator = '?';
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    out += separator;
    out += pair.substr(0, pair.find('='));
    out += '=';
    separator = '&';
  }
}

void log_access(std::string_view method, std::string_view target, int status,
                std::chrono::steady_clock::duration duration, bool query_values) {
  thread_local std::string line;
  line.assign("hearth: ");
  line += method;
  line += ' ';
  append_logged_target(line, target, query_values);
  line += ' ';
  append_number(line, status);
  line += ' ';
  append_duration(line, duration);
  log_deferred(line);
}

void log_mllp(std::string_view peer, std::string_view message_type, std::string_view control_id,
              std::string_view ack_code, std::chrono::steady_clock::duration duration) {
  auto or_dash = [](std::string_view s) { return s.empty() ? std::string_view("-") : s; };
  thread_local std::string line;
  line.assign("hearth: MLLP ");
  line += peer;
  line += ' ';
  line += or_dash(message_type);
  line += ' ';
  line += or_dash(control_id);
  line += ' ';
  line += or_dash(ack_code);
  line += ' ';
  append_duration(line, duration);
  log_deferred(line);
}

void log_line(std::string_view text) {
  std::string line = "hearth: " + redact_credentials(text);
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  line += '\n';
  log_now(line);
}

}  // namespace hearth::server
