// Where the server's log lines go: stderr, written behind the callers. Per-request lines (access
// and MLLP) are appended to one buffer and written by a thread of the sink's own, many lines per
// write(2): a write per request cost a system call on the io thread for every request (7% of a
// point read), and a stderr pipe that nobody drains would have blocked the io threads in it.
// Other lines (startup, errors) are written at once, after everything appended before them, so
// the log keeps the order in which lines were logged.
//
// Bounds: at most kMaxPending bytes wait; beyond that, deferred lines are dropped and counted,
// and the count is logged with the next write that succeeds. Never blocks a caller on stderr.
//
// Thread-safety: every function may be called from any thread. The writer thread starts with the
// first deferred line; flush() (and the end of the process) writes whatever waits.
#pragma once

#include <cstddef>
#include <string_view>

namespace hearth::server {

inline constexpr std::size_t kMaxPendingLogBytes = std::size_t{1} << 20;

// Appends `line` (ending in '\n') for the writer thread, which writes within a few milliseconds.
void log_deferred(std::string_view line);

// Writes everything deferred so far, then `line` (may be empty), before returning.
void log_now(std::string_view line);

// Writes everything deferred so far before returning: for shutdown and tests.
inline void flush_log() {
  log_now({});
}

}  // namespace hearth::server
