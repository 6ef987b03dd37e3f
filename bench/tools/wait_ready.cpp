// bench_wait_ready: start-up figures of a server process, measured from outside with
// steady_clock. Loopback only; every mode is bounded by TIMEOUT_MS and ends the child it spawned
// (SIGTERM, then SIGKILL after 5 s; the child also gets SIGTERM if this process dies).
//
//   bench_wait_ready free-port HOST
//       Prints a TCP port that was free on HOST a moment ago.
//   bench_wait_ready ready HOST PORT TIMEOUT_MS -- COMMAND [ARGS...]
//       Spawns COMMAND and polls GET /fhir/metadata on HOST:PORT (a fresh connection every
//       0.5 ms while refused) until a 200. Prints
//         ready_ms=T attempts=N rss_kb=R
//       T: from just before fork() to the end of the first 200 response; R: the child's VmRSS
//       right after it.
//   bench_wait_ready idle SETTLE_MS TIMEOUT_MS -- COMMAND [ARGS...]
//       Spawns COMMAND with stderr through a pipe (copied to our stderr), waits for a line
//       containing "listening on", sends no request, sleeps SETTLE_MS and prints
//         listening_ms=T idle_rss_kb=R idle_hwm_kb=H
//
// Exit status: 0 on success, 1 when the child died or the timeout passed first, 2 on bad usage.
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// fork + exec; stderr_fd >= 0 replaces the child's stderr. Returns the pid, or -1.
pid_t spawn(char** argv, int stderr_fd) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(127);
  if (stderr_fd >= 0) dup2(stderr_fd, STDERR_FILENO);
  execvp(argv[0], argv);
  std::fprintf(stderr, "bench_wait_ready: cannot run %s: %s\n", argv[0], std::strerror(errno));
  _exit(127);
}

// True while the child runs; reaps it and reports how it ended otherwise.
bool alive(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == 0) return true;
  if (WIFEXITED(status)) {
    std::fprintf(stderr, "bench_wait_ready: child exited with %d\n", WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    std::fprintf(stderr, "bench_wait_ready: child killed by signal %d\n", WTERMSIG(status));
  }
  return false;
}

void stop(pid_t pid) {
  kill(pid, SIGTERM);
  const auto start = Clock::now();
  while (ms_since(start) < 5000) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

// A field of /proc/PID/status in kB ("VmRSS", "VmHWM"), or -1.
long proc_status_kb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// One GET /fhir/metadata on a fresh connection; the HTTP status, or 0 on a transport error.
unsigned get_metadata(asio::io_context& io, const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  tcp::socket socket(io);
  socket.connect(endpoint, ec);
  if (ec) return 0;
  http::request<http::empty_body> req{http::verb::get, "/fhir/metadata", 11};
  req.set(http::field::host,
          endpoint.address().to_string() + ":" + std::to_string(endpoint.port()));
  req.set(http::field::accept, "application/fhir+json");
  req.keep_alive(false);
  http::write(socket, req, ec);
  if (ec) return 0;
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  http::read(socket, buffer, parser, ec);
  if (ec) return 0;
  socket.shutdown(tcp::socket::shutdown_both, ec);
  return parser.get().result_int();
}

int free_port(const char* host) {
  asio::io_context io;
  boost::system::error_code ec;
  tcp::acceptor acceptor(io);
  tcp::endpoint endpoint(asio::ip::make_address(host, ec), 0);
  if (ec) return 2;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (ec) return 1;
  std::printf("%u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
  return 0;
}

int ready(const char* host, const char* port, double timeout_ms, char** command) {
  asio::io_context io;
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address(host, ec),
                               static_cast<unsigned short>(std::atoi(port)));
  if (ec) return 2;
  const auto start = Clock::now();
  const pid_t pid = spawn(command, -1);
  if (pid < 0) return 1;
  unsigned attempts = 0;
  while (ms_since(start) < timeout_ms) {
    ++attempts;
    const unsigned status = get_metadata(io, endpoint);
    if (status == 200) {
      const double ms = ms_since(start);
      const long rss = proc_status_kb(pid, "VmRSS");
      std::printf("ready_ms=%.1f attempts=%u rss_kb=%ld\n", ms, attempts, rss);
      stop(pid);
      return 0;
    }
    if (status != 0) std::fprintf(stderr, "bench_wait_ready: metadata answered %u\n", status);
    if (!alive(pid)) return 1;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  std::fprintf(stderr, "bench_wait_ready: not ready after %.0f ms\n", timeout_ms);
  stop(pid);
  return 1;
}

int idle(double settle_ms, double timeout_ms, char** command) {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  const auto start = Clock::now();
  const pid_t pid = spawn(command, fds[1]);
  close(fds[1]);
  if (pid < 0) return 1;
  std::string seen;
  double listening_ms = -1;
  char chunk[4096];
  while (listening_ms < 0) {
    const double left = timeout_ms - ms_since(start);
    pollfd p{fds[0], POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left) + 1) <= 0) {
      std::fprintf(stderr, "bench_wait_ready: no \"listening on\" after %.0f ms\n", timeout_ms);
      stop(pid);
      return 1;
    }
    const ssize_t n = read(fds[0], chunk, sizeof chunk);
    if (n <= 0) {
      alive(pid);
      stop(pid);
      return 1;
    }
    fwrite(chunk, 1, static_cast<std::size_t>(n), stderr);
    seen.append(chunk, static_cast<std::size_t>(n));
    if (seen.find("listening on") != std::string::npos) listening_ms = ms_since(start);
  }
  // Keep draining so a chatty child never blocks on a full pipe.
  std::thread drain([fd = fds[0]] {
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) fwrite(buf, 1, static_cast<std::size_t>(n), stderr);
  });
  std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(settle_ms));
  const long rss = proc_status_kb(pid, "VmRSS");
  const long hwm = proc_status_kb(pid, "VmHWM");
  std::printf("listening_ms=%.1f idle_rss_kb=%ld idle_hwm_kb=%ld\n", listening_ms, rss, hwm);
  std::fflush(stdout);
  stop(pid);
  drain.join();
  close(fds[0]);
  return rss > 0 ? 0 : 1;
}

int usage() {
  std::fprintf(stderr,
               "usage: bench_wait_ready free-port HOST\n"
               "       bench_wait_ready ready HOST PORT TIMEOUT_MS -- COMMAND [ARGS...]\n"
               "       bench_wait_ready idle SETTLE_MS TIMEOUT_MS -- COMMAND [ARGS...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string mode = argv[1];
  if (mode == "free-port" && argc == 3) return free_port(argv[2]);
  if (mode == "ready" && argc >= 7 && std::strcmp(argv[5], "--") == 0) {
    return ready(argv[2], argv[3], std::atof(argv[4]), argv + 6);
  }
  if (mode == "idle" && argc >= 6 && std::strcmp(argv[4], "--") == 0) {
    return idle(std::atof(argv[2]), std::atof(argv[3]), argv + 5);
  }
  return usage();
}
