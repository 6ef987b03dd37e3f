// The process's own figures for /metrics, read from /proc/self (Linux). Each read is a few
// small file reads: call it at scrape time, not per request.
//
// Thread-safety: a pure function of the process state.
#pragma once

#include <cstdint>

namespace hearth::server {

struct ProcessStats {
  std::uint64_t resident_bytes = 0;  // VmRSS
  double start_time_seconds = 0;     // since the Unix epoch
  double cpu_seconds = 0;            // user + system
  std::uint64_t open_fds = 0;
};

// Fields that cannot be read (no /proc) stay 0.
ProcessStats read_process_stats();

}  // namespace hearth::server
