// One process-wide sink, created on first use and never destroyed (a line may be logged from
// any thread until the process ends); an atexit handler writes what still waits.
#include "server/log_sink.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "core/thread_name.h"

namespace hearth::server {
namespace {

// How long the writer lets lines gather after the first one arrives: under load one write(2)
// carries hundreds of lines; an idle server's line still shows within this time.
constexpr std::chrono::milliseconds kGather{10};

void write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, bytes.data(), bytes.size());
    if (n <= 0) return;  // stderr closed or failing: drop the rest, never spin
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

class Sink {
 public:
  void defer(std::string_view line) {
    std::call_once(started_, [this] {
      std::thread([this] {
        set_thread_name("hearth-log");
        run();
      }).detach();
    });
    bool was_empty = false;
    {
      std::lock_guard lock(buffer_mutex_);
      if (pending_.size() + line.size() > kMaxPendingLogBytes) {
        ++dropped_;
        return;
      }
      was_empty = pending_.empty();
      pending_ += line;
    }
    if (was_empty) wake_.notify_one();
  }

  // Writes the waiting lines, then `line`, in one write(2) when it can.
  void write_now(std::string_view line) {
    std::lock_guard order(write_mutex_);
    std::string out = take();
    out += line;
    write_all(out);
  }

 private:
  // The waiting lines (with a note of any dropped ones), leaving the buffer empty. Called under
  // write_mutex_, so batches reach stderr in the order they were taken.
  std::string take() {
    std::string out;
    std::size_t dropped = 0;
    {
      std::lock_guard lock(buffer_mutex_);
      out.swap(pending_);
      dropped = dropped_;
      dropped_ = 0;
    }
    if (dropped > 0) {
      out += "hearth: " + std::to_string(dropped) + " log lines dropped: stderr did not keep up\n";
    }
    return out;
  }

  [[noreturn]] void run() {
    for (;;) {
      {
        std::unique_lock lock(buffer_mutex_);
        wake_.wait(lock, [this] { return !pending_.empty(); });
      }
      std::this_thread::sleep_for(kGather);
      write_now({});
    }
  }

  std::mutex write_mutex_;   // held across a take() and its write
  std::mutex buffer_mutex_;  // guards pending_ and dropped_
  std::condition_variable wake_;
  std::string pending_;
  std::size_t dropped_ = 0;
  std::once_flag started_;
};

Sink& sink() {
  static Sink* const instance = [] {
    auto* created = new Sink();  // never destroyed: see the file comment
    std::atexit([] { flush_log(); });
    return created;
  }();
  return *instance;
}

}  // namespace

void log_deferred(std::string_view line) {
  sink().defer(line);
}

void log_now(std::string_view line) {
  sink().write_now(line);
}

}  // namespace hearth::server
