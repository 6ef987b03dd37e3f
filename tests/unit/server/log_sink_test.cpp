// The log sink on a pipe standing in for stderr: deferred lines arrive on their own, in order
// with lines written at once, and a stderr that nobody drains costs dropped lines (counted in
// the log), never a blocked caller.
#include "server/log_sink.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace hearth::server {
namespace {

// Points fd 2 at a pipe for the test's lifetime; read() collects what reached it.
class StderrPipe {
 public:
  StderrPipe() {
    flush_log();  // what other tests logged goes to the real stderr
    REQUIRE(::pipe(fds_) == 0);
    saved_ = ::dup(STDERR_FILENO);
    REQUIRE(::dup2(fds_[1], STDERR_FILENO) == STDERR_FILENO);
  }
  ~StderrPipe() {
    restore();
    ::close(fds_[0]);
  }
  // Puts stderr back and closes the pipe's write end, so that read_all() meets the end.
  void restore() {
    if (saved_ < 0) return;
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    ::close(fds_[1]);
    saved_ = -1;
  }
  // Reads until `needle` has arrived (or `timeout` passed), without waiting for the end.
  bool read_until(std::string& out, std::string_view needle, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    ::fcntl(fds_[0], F_SETFL, ::fcntl(fds_[0], F_GETFL) | O_NONBLOCK);
    while (out.find(needle) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      char chunk[4096];
      const ssize_t n = ::read(fds_[0], chunk, sizeof chunk);
      if (n > 0) {
        out.append(chunk, static_cast<std::size_t>(n));
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    return true;
  }
  // Reads until the write end is closed (restore()) or `timeout` passed.
  void read_all(std::string& out, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    ::fcntl(fds_[0], F_SETFL, ::fcntl(fds_[0], F_GETFL) | O_NONBLOCK);
    char chunk[65536];
    while (std::chrono::steady_clock::now() < deadline) {
      const ssize_t n = ::read(fds_[0], chunk, sizeof chunk);
      if (n == 0) return;
      if (n > 0) {
        out.append(chunk, static_cast<std::size_t>(n));
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  }

 private:
  int fds_[2] = {-1, -1};
  int saved_ = -1;
};

std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("log sink: deferred lines arrive by themselves, in order with immediate ones") {
  StderrPipe pipe;
  std::string out;
  log_deferred("first deferred\n");
  REQUIRE(pipe.read_until(out, "first deferred\n", std::chrono::seconds(10)));
  log_deferred("second deferred\n");
  log_now("immediate\n");
  log_deferred("third deferred\n");
  REQUIRE(pipe.read_until(out, "third deferred\n", std::chrono::seconds(10)));
  CHECK(out == "first deferred\nsecond deferred\nimmediate\nthird deferred\n");
}

TEST_CASE("log sink: an undrained stderr drops counted lines and never blocks the caller") {
  StderrPipe pipe;
  // Far more than the pipe (64 KiB) plus a taken batch and the waiting bound (1 MiB each) hold.
  const std::string line(63, 'x');
  constexpr std::size_t kLines = 60000;  // 3.8 MB
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < kLines; ++i) log_deferred(line + "\n");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));

  std::string out;
  std::thread drain([&] { pipe.read_all(out, std::chrono::seconds(60)); });
  flush_log();
  pipe.restore();
  drain.join();
  const std::size_t arrived = count_of(out, line + "\n");
  // Each batch written after drops carries a note with their count: add them all up.
  const std::string_view tail = " log lines dropped: stderr did not keep up\n";
  std::size_t dropped = 0;
  for (std::size_t note = out.find(tail); note != std::string::npos;
       note = out.find(tail, note + tail.size())) {
    const std::size_t begin = out.rfind("hearth: ", note) + 8;
    dropped += std::stoul(out.substr(begin, note - begin));
  }
  CHECK(dropped > 0);
  CHECK(arrived + dropped == kLines);
}

}  // namespace hearth::server
