// Formats into a per-thread buffer and hands the line to the log sink: per-request lines are
// written behind the caller, the others at once (server/log_sink.h).
#include "server/access_log.h"

#include <atomic>
#include <charconv>
#include <chrono>

#include "core/redact.h"
#include "core/time_format.h"
#include "core/utf8.h"
#include "server/log_sink.h"

namespace hearth::server {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};

void append_number(std::string& out, long long value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

long long micros_of(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
}

void append_duration(std::string& line, std::chrono::steady_clock::duration duration) {
  const long long micros = micros_of(duration);
  if (micros < 10000) {
    append_number(line, micros);
    line += "us";
  } else {
    append_number(line, micros / 1000);
    line += "ms";
  }
}

std::string_view or_dash(std::string_view s) {
  return s.empty() ? std::string_view("-") : s;
}

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

// {"time":"...","level":"...","event": — the fields every JSON line starts with.
void open_json(std::string& out, LogLevel level, std::string_view event, std::int64_t now_micros) {
  out += "{\"time\":\"";
  out += format_instant(now_micros);
  out += "\",\"level\":\"";
  out += level_name(level);
  out += "\",\"event\":";
  append_json_string(out, event);
}

void json_field(std::string& out, std::string_view name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  append_json_string(out, value);
}

void json_field(std::string& out, std::string_view name, long long value) {
  out += ",\"";
  out += name;
  out += "\":";
  append_number(out, value);
}

std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void set_log_format(LogFormat format) {
  g_format.store(format, std::memory_order_relaxed);
}

LogFormat log_format() {
  return g_format.load(std::memory_order_relaxed);
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool utf8 = is_valid_utf8(text);
  out += '"';
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7F || (byte >= 0x80 && !utf8)) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

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

void format_access(std::string& out, const AccessEntry& entry, LogFormat format, std::int64_t now) {
  if (format == LogFormat::kText) {
    out += "hearth: ";
    out += or_dash(entry.method);
    out += ' ';
    append_logged_target(out, entry.target, entry.query_values);
    out += ' ';
    append_number(out, entry.status);
    out += ' ';
    append_duration(out, entry.duration);
    if (!entry.request_id.empty()) {
      out += " id=";
      out += entry.request_id;
    }
    out += '\n';
    return;
  }
  open_json(out, entry.status >= 500 ? LogLevel::kError : LogLevel::kInfo, "http.request", now);
  json_field(out, "request_id", entry.request_id);
  json_field(out, "method", entry.method);
  thread_local std::string target;
  target.clear();
  append_logged_target(target, entry.target, entry.query_values);
  json_field(out, "target", target);
  thread_local std::string route;
  route.assign(entry.interaction.empty() ? std::string_view("unknown") : entry.interaction);
  if (!entry.type.empty()) {
    route += ' ';
    route += entry.type;
  }
  json_field(out, "route", route);
  json_field(out, "status", entry.status);
  json_field(out, "latency_us", micros_of(entry.duration));
  json_field(out, "peer", entry.peer);
  out += "}\n";
}

void format_mllp(std::string& out, const MllpEntry& entry, LogFormat format, std::int64_t now) {
  if (format == LogFormat::kText) {
    out += "hearth: MLLP ";
    out += entry.peer;
    out += ' ';
    out += or_dash(entry.message_type);
    out += ' ';
    out += or_dash(entry.control_id);
    out += ' ';
    out += or_dash(entry.ack_code);
    out += ' ';
    append_duration(out, entry.duration);
    out += '\n';
    return;
  }
  open_json(out, LogLevel::kInfo, "mllp.message", now);
  json_field(out, "peer", entry.peer);
  json_field(out, "message_type", entry.message_type);
  json_field(out, "control_id", entry.control_id);
  json_field(out, "ack", entry.ack_code);
  json_field(out, "latency_us", micros_of(entry.duration));
  out += "}\n";
}

void format_line(std::string& out, std::string_view text, LogLevel level, LogFormat format,
                 std::int64_t now) {
  const std::string redacted = redact_credentials(text);
  if (format == LogFormat::kJson) {
    open_json(out, level, redacted, now);
    out += "}\n";
    return;
  }
  const std::size_t start = out.size();
  out += "hearth: ";
  out += redacted;
  for (std::size_t i = start; i < out.size(); ++i) {
    const auto byte = static_cast<unsigned char>(out[i]);
    if (byte < 0x20 || byte == 0x7F) out[i] = ' ';
  }
  out += '\n';
}

void log_access(const AccessEntry& entry) {
  thread_local std::string line;
  line.clear();
  format_access(line, entry, log_format(), now_micros());
  log_deferred(line);
}

void log_mllp(const MllpEntry& entry) {
  thread_local std::string line;
  line.clear();
  format_mllp(line, entry, log_format(), now_micros());
  log_deferred(line);
}

void log_line(std::string_view text, LogLevel level) {
  std::string line;
  format_line(line, text, level, log_format(), now_micros());
  log_now(line);
}

}  // namespace hearth::server
