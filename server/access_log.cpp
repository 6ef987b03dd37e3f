// Formats into a per-thread buffer and writes each line in one system call; no lock.
#include "server/access_log.h"

#include <unistd.h>

#include <charconv>
#include <string>

namespace hearth::server {
namespace {

void write_all(const std::string& line) {
  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n <= 0) return;  // stderr closed or full beyond retry: drop the line, never block serving
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

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

void log_access(std::string_view method, std::string_view target, int status,
                std::chrono::steady_clock::duration duration) {
  thread_local std::string line;
  line.assign("hearth: ");
  line += method;
  line += ' ';
  line += target;
  line += ' ';
  append_number(line, status);
  line += ' ';
  append_duration(line, duration);
  write_all(line);
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
  write_all(line);
}

void log_line(std::string_view text) {
  std::string line;
  line.reserve(text.size() + 9);
  line.assign("hearth: ");
  line += text;
  line += '\n';
  write_all(line);
}

}  // namespace hearth::server
