// /proc/self/statm (resident pages), /proc/self/stat (start time in clock ticks after boot, CPU
// ticks), /proc/stat (boot time), /proc/self/fd (open descriptors).
#include "server/process_stats.h"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hearth::server {
namespace {

std::uint64_t number(const std::string& text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ProcessStats read_process_stats() {
  ProcessStats out;
  const long page = ::sysconf(_SC_PAGESIZE);
  const long ticks = ::sysconf(_SC_CLK_TCK);
  {
    std::istringstream statm(read_file("/proc/self/statm"));
    std::uint64_t size = 0, resident = 0;
    if (statm >> size >> resident && page > 0) out.resident_bytes = resident * page;
  }
  std::uint64_t boot_time = 0;
  {
    std::istringstream stat(read_file("/proc/stat"));
    std::string key;
    while (stat >> key) {
      if (key == "btime") {
        stat >> boot_time;
        break;
      }
      stat.ignore(1 << 20, '\n');
    }
  }
  {
    // The command name (field 2) may hold spaces and parentheses: fields are counted after the
    // last ')'. utime and stime are fields 14 and 15, starttime field 22.
    const std::string stat = read_file("/proc/self/stat");
    const std::size_t close = stat.rfind(')');
    if (close != std::string::npos && ticks > 0) {
      std::istringstream fields(stat.substr(close + 2));
      std::string field;
      std::uint64_t utime = 0, stime = 0, start = 0;
      for (int index = 3; fields >> field; ++index) {
        if (index == 14) utime = number(field);
        if (index == 15) stime = number(field);
        if (index == 22) {
          start = number(field);
          break;
        }
      }
      out.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(ticks);
      if (boot_time > 0) {
        out.start_time_seconds = static_cast<double>(boot_time) +
                                 static_cast<double>(start) / static_cast<double>(ticks);
      }
    }
  }
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++out.open_fds;
  }
  return out;
}

}  // namespace hearth::server
