// bench_hostile: the MLLP clients of bench/run_hostile.sh. Plain POSIX sockets and poll() on
// one thread (thousands of idle connections cost a file descriptor each, nothing more), every
// loop bounded by a count and a deadline, loopback use only.
//
//   bench_hostile feed HOST PORT SECONDS CONNECTIONS RATE
//       A lab feed: CONNECTIONS MLLP connections share RATE messages/s in total; each sends a
//       small ORU^R01 (unique control id), waits for its ACK, then waits for its next slot.
//       Prints one line per wall-clock second, even a second without answers:
//         second=EPOCH aa=N other=N failures=N max_ms=X
//       (answers received in that second; other: an ACK whose MSA-1 is not AA; failures: a
//       connection refused, reset or closed; the connection is opened again 100 ms later), then
//         total aa=N other=N failures=N unanswered=N p50_ms=X p99_ms=X max_ms=X codes=AA:N,...
//       unanswered: messages still waiting for their ACK 5 s after the deadline or a stop signal.
//
//   bench_hostile trickle HOST PORT SECONDS CONNECTIONS [PREFIX_BYTES]
//       Slowloris for MLLP: CONNECTIONS connections each send a frame start (0x0B, "MSH|^~\&|"
//       and filler up to PREFIX_BYTES, default 16) and then one byte per second, never ending
//       the frame, for SECONDS. Every 5 s and at the end prints
//         t=S open=N closed_by_server=N connect_failed=N bytes_sent=N   (end=S for the last)
//       and a last line
//         total connections=N opened=N closed_by_server=N connect_failed=N still_open=N
//               first_close_s=X last_close_s=X
//       (seconds from a connection's open to the server closing it; -1 when none was closed).
//
//   bench_hostile poll HOST PORT PATH SECONDS [INTERVAL_MS]
//       GET PATH on a new connection every INTERVAL_MS (100; at once when the last answer took
//       longer), each with a 10 s timeout, for SECONDS. One line per request:
//         EPOCH_MS STATUS SECONDS     (STATUS 000: no answer: refused, reset or timed out)
//       The time runs from connect to the end of the answer, measured with steady_clock.
//
//   bench_hostile send HOST PORT FILE [TIMEOUT_SECONDS]
//       Sends FILE as one MLLP frame on a new connection and waits (default 60 s) for the answer.
//       Prints: ack=CODE seconds=X bytes=N  (CODE: MSA-1, "none" when the connection closed or
//       the time ran out without an answer, "connect-failed").
//
// feed, trickle and poll stop early on SIGTERM or SIGINT and still print their last lines.
// Exit status: 0 when the run completed (whatever the server answered), 2 on bad usage.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

// SIGTERM or SIGINT: feed, trickle and poll stop early and still print their summary (the feed
// after the answers to its messages in flight, up to its drain time).
volatile std::sig_atomic_t g_stop = 0;
void request_stop(int) {
  g_stop = 1;
}

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

long long epoch_second() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr char kStartBlock = 0x0b;
constexpr char kEndBlock = 0x1c;

std::string frame(std::string_view message) {
  std::string out;
  out.reserve(message.size() + 3);
  out += kStartBlock;
  out += message;
  out += kEndBlock;
  out += '\r';
  return out;
}

// A non-blocking TCP connection to HOST:PORT; -1 when the socket cannot even be created or the
// connect fails at once (EINPROGRESS is a success: poll for POLLOUT to learn the outcome).
int open_connection(const sockaddr_in& server) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 &&
      errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool connect_failed(int fd) {
  int error = 0;
  socklen_t length = sizeof error;
  return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0;
}

// Takes one complete frame's payload out of `buffer` when there is one.
bool next_frame(std::string& buffer, std::string& payload) {
  const std::size_t start = buffer.find(kStartBlock);
  if (start == std::string::npos) {
    buffer.clear();
    return false;
  }
  const std::size_t end = buffer.find(kEndBlock, start + 1);
  if (end == std::string::npos) return false;
  payload.assign(buffer, start + 1, end - start - 1);
  buffer.erase(0, std::min(buffer.size(), end + 2));
  return true;
}

// MSA-1 of an ACK, or "?" when it has no MSA segment.
std::string ack_code(std::string_view ack) {
  std::size_t at = ack.rfind("MSA", 0) == 0 ? 0 : ack.find("\rMSA");
  if (at == std::string_view::npos) return "?";
  if (at != 0) ++at;
  if (at + 4 > ack.size()) return "?";
  const std::string_view rest = ack.substr(at + 4);
  return std::string(rest.substr(0, rest.find_first_of("|\r^")));
}

std::string oru(const std::string& control_id) {
  return "MSH|^~\\&|HOSTILE|LAB|HEARTH|HUB|20260309140000||ORU^R01^ORU_R01|" + control_id +
         "|P|2.5.1\r"
         "PID|1||67890^^^MRN^MR||SMITH^JANE^B^^^^L||19901215|F\r"
         "OBR|1|ORD001^EMR|LAB001^LIS|58410-2^CBC panel^LN|||20260309093000\r"
         "OBX|1|NM|718-7^Hemoglobin^LN||13.2|g/dL^^UCUM|12.0-16.0|N|||F\r"
         "OBX|2|NM|777-3^Platelets^LN||251|10*3/uL^^UCUM|150-400|N|||F\r";
}

bool parse_endpoint(const char* host, const char* port, sockaddr_in& out) {
  out = {};
  out.sin_family = AF_INET;
  const int p = std::atoi(port);
  if (p <= 0 || p > 65535 || ::inet_pton(AF_INET, host, &out.sin_addr) != 1) return false;
  out.sin_port = htons(static_cast<std::uint16_t>(p));
  return true;
}

// One round of poll(2) over `conns` (each with `fd`, `connecting` and `out`): every open
// connection is watched for input, and for output while connecting or with bytes to send;
// waits up to 10 ms, then calls ready(connection, revents) for each that has events.
template <typename Connection, typename Ready>
void poll_round(std::vector<Connection>& conns, Ready&& ready) {
  std::vector<pollfd> fds;
  std::vector<Connection*> owners;
  for (auto& c : conns) {
    if (c.fd < 0) continue;
    short events = POLLIN;
    if (c.connecting || !c.out.empty()) events |= POLLOUT;
    fds.push_back({c.fd, events, 0});
    owners.push_back(&c);
  }
  ::poll(fds.data(), fds.size(), 10);
  for (std::size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].revents != 0) ready(*owners[i], fds[i].revents);
  }
}

// ---- feed -------------------------------------------------------------------------------

struct FeedConnection {
  int fd = -1;
  bool connecting = false;
  bool waiting = false;  // a message is out, its ACK not yet in
  std::string out;       // bytes still to write
  std::string in;
  Clock::time_point sent, next_send, reconnect_at;
};

struct SecondCounts {
  long long aa = 0, other = 0, failures = 0;
  double max_ms = 0;
};

int feed(const sockaddr_in& server, double seconds, int connections, double rate) {
  const auto start = Clock::now();
  auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(connections / std::max(rate, 0.001)));
  const std::string prefix = "H" + std::to_string(epoch_second() % 100000000);
  std::vector<FeedConnection> conns(static_cast<std::size_t>(connections));
  for (std::size_t i = 0; i < conns.size(); ++i) {
    // Spread the connections' slots over one interval.
    conns[i].next_send = start + interval * static_cast<long long>(i) / connections;
    conns[i].reconnect_at = start;
  }
  std::vector<double> latencies_ms;
  std::map<std::string, long long> codes;
  SecondCounts now_counts, totals;
  long long current_second = epoch_second();
  long long sequence = 0;
  std::vector<char> buffer(64 * 1024);

  auto fail = [&](FeedConnection& c) {
    ::close(c.fd);
    c.fd = -1;
    c.waiting = false;
    c.out.clear();
    c.in.clear();
    c.reconnect_at = Clock::now() + std::chrono::milliseconds(100);
    ++now_counts.failures;
    ++totals.failures;
  };
  auto flush_second = [&](long long second) {
    std::printf("second=%lld aa=%lld other=%lld failures=%lld max_ms=%.1f\n", second, now_counts.aa,
                now_counts.other, now_counts.failures, now_counts.max_ms);
    std::fflush(stdout);
    now_counts = {};
  };

  // After the deadline nothing new is sent; ACKs still owed are awaited up to kDrain, so a
  // message sent just before the end is not counted as unanswered. A stop signal (the script's
  // end of the run) is such a deadline: the messages in flight then still get their answers.
  constexpr auto kDrain = std::chrono::seconds(5);
  auto owed = [&conns] {
    return std::any_of(conns.begin(), conns.end(),
                       [](const FeedConnection& c) { return c.fd >= 0 && c.waiting; });
  };
  while (Clock::now() < deadline || (owed() && Clock::now() < deadline + kDrain)) {
    if (g_stop) deadline = std::min(deadline, Clock::now());
    const auto now = Clock::now();
    const bool sending = now < deadline;
    for (auto& c : conns) {
      if (!sending) break;
      if (c.fd < 0 && now >= c.reconnect_at) {
        c.fd = open_connection(server);
        c.connecting = c.fd >= 0;
        if (c.fd < 0) {
          c.reconnect_at = now + std::chrono::milliseconds(100);
          ++now_counts.failures;
          ++totals.failures;
        }
      }
      if (c.fd >= 0 && !c.connecting && !c.waiting && c.out.empty() && now >= c.next_send) {
        c.out = frame(oru(prefix + "-" + std::to_string(sequence++)));
        c.sent = now;
        c.waiting = true;
        c.next_send = std::max(now, c.next_send + interval);
      }
    }
    poll_round(conns, [&](FeedConnection& c, short revents) {
      if (c.connecting) {
        if (!(revents & (POLLOUT | POLLERR | POLLHUP))) return;
        if (connect_failed(c.fd)) {
          fail(c);
          return;
        }
        c.connecting = false;
      }
      if ((revents & POLLOUT) && !c.out.empty()) {
        const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
          fail(c);
          return;
        }
        if (n > 0) c.out.erase(0, static_cast<std::size_t>(n));
      }
      if (revents & (POLLIN | POLLERR | POLLHUP)) {
        const ssize_t n = ::recv(c.fd, buffer.data(), buffer.size(), 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
          fail(c);
          return;
        }
        if (n > 0) c.in.append(buffer.data(), static_cast<std::size_t>(n));
        std::string ack;
        while (next_frame(c.in, ack)) {
          if (!c.waiting) continue;  // an answer to nothing: ignore
          c.waiting = false;
          const double ms = seconds_between(c.sent, Clock::now()) * 1000;
          latencies_ms.push_back(ms);
          const std::string code = ack_code(ack);
          ++codes[code];
          SecondCounts& s = now_counts;
          if (code == "AA") {
            ++s.aa;
            ++totals.aa;
          } else {
            ++s.other;
            ++totals.other;
          }
          s.max_ms = std::max(s.max_ms, ms);
        }
      }
    });
    const long long second = epoch_second();
    while (current_second < second) flush_second(current_second++);
  }
  flush_second(current_second);
  long long unanswered = 0;
  for (auto& c : conns) {
    if (c.waiting) ++unanswered;
    if (c.fd >= 0) ::close(c.fd);
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double p) {
    if (latencies_ms.empty()) return 0.0;
    return latencies_ms[static_cast<std::size_t>(p * static_cast<double>(latencies_ms.size() - 1))];
  };
  std::string code_list;
  for (const auto& [code, count] : codes) {
    code_list += (code_list.empty() ? "" : ",") + code + ":" + std::to_string(count);
  }
  std::printf(
      "total aa=%lld other=%lld failures=%lld unanswered=%lld p50_ms=%.1f p99_ms=%.1f "
      "max_ms=%.1f codes=%s\n",
      totals.aa, totals.other, totals.failures, unanswered, pct(0.5), pct(0.99),
      latencies_ms.empty() ? 0.0 : latencies_ms.back(),
      code_list.empty() ? "-" : code_list.c_str());
  return 0;
}

// ---- trickle ----------------------------------------------------------------------------

struct TrickleConnection {
  int fd = -1;
  bool connecting = true;
  std::string out;
  Clock::time_point opened, next_byte;
};

int trickle(const sockaddr_in& server, double seconds, int connections, std::size_t prefix_bytes) {
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::string prefix = std::string(1, kStartBlock) + "MSH|^~\\&|";
  if (prefix.size() < prefix_bytes) prefix.append(prefix_bytes - prefix.size(), 'x');
  std::vector<TrickleConnection> conns(static_cast<std::size_t>(connections));
  long long opened = 0, closed_by_server = 0, connect_failures = 0, bytes_sent = 0;
  double first_close = -1, last_close = -1;
  std::vector<char> sink(4096);

  // Open in batches of 100 per 10 ms tick, so the accept queue keeps up.
  std::size_t next_to_open = 0;
  auto close_one = [&](TrickleConnection& c, bool by_server) {
    ::close(c.fd);
    c.fd = -1;
    if (!by_server) return;
    ++closed_by_server;
    const double held = seconds_between(c.opened, Clock::now());
    first_close = first_close < 0 ? held : std::min(first_close, held);
    last_close = std::max(last_close, held);
  };
  auto report = [&](const char* label) {
    long long open = 0;
    for (const auto& c : conns) open += c.fd >= 0 && !c.connecting;
    std::printf("%s=%.0f open=%lld closed_by_server=%lld connect_failed=%lld bytes_sent=%lld\n",
                label, seconds_between(start, Clock::now()), open, closed_by_server,
                connect_failures, bytes_sent);
    std::fflush(stdout);
    return open;
  };

  auto next_report = start + std::chrono::seconds(5);
  while (!g_stop && Clock::now() < deadline) {
    const auto now = Clock::now();
    for (int k = 0; k < 100 && next_to_open < conns.size(); ++k, ++next_to_open) {
      TrickleConnection& c = conns[next_to_open];
      c.fd = open_connection(server);
      c.opened = now;
      if (c.fd < 0) {
        ++connect_failures;
        continue;
      }
      c.out = prefix;
    }
    for (auto& c : conns) {
      if (c.fd >= 0 && !c.connecting && c.out.empty() && now >= c.next_byte) {
        c.out = "x";
        c.next_byte = now + std::chrono::seconds(1);
      }
    }
    poll_round(conns, [&](TrickleConnection& c, short revents) {
      if (c.connecting) {
        if (!(revents & (POLLOUT | POLLERR | POLLHUP))) return;
        if (connect_failed(c.fd)) {
          ++connect_failures;
          close_one(c, false);
          return;
        }
        c.connecting = false;
        ++opened;
        c.opened = Clock::now();
      }
      if ((revents & POLLOUT) && !c.out.empty()) {
        const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
          close_one(c, true);
          return;
        }
        if (n > 0) {
          c.out.erase(0, static_cast<std::size_t>(n));
          bytes_sent += n;
          if (c.out.empty()) c.next_byte = Clock::now() + std::chrono::seconds(1);
        }
      }
      if (revents & (POLLIN | POLLERR | POLLHUP)) {
        // The server may answer (a NAK) before it closes; read it away, count only the close.
        const ssize_t n = ::recv(c.fd, sink.data(), sink.size(), 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) close_one(c, true);
      }
    });
    if (Clock::now() >= next_report) {
      report("t");
      next_report += std::chrono::seconds(5);
    }
  }
  const long long still_open = report("end");
  for (auto& c : conns) {
    if (c.fd >= 0) ::close(c.fd);
  }
  std::printf(
      "total connections=%d opened=%lld closed_by_server=%lld connect_failed=%lld "
      "still_open=%lld first_close_s=%.1f last_close_s=%.1f\n",
      connections, opened, closed_by_server, connect_failures, still_open, first_close, last_close);
  return 0;
}

// ---- poll ---------------------------------------------------------------------------------

// One GET on a new connection (Connection: close), read to the end: the status code, 0 when
// there was no complete status line before the timeout or the connection failed.
int http_get(const sockaddr_in& server, const std::string& request, double timeout_s) {
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(timeout_s));
  const int fd = open_connection(server);
  if (fd < 0) return 0;
  bool connecting = true;
  std::string out = request, in;
  std::vector<char> buffer(16 * 1024);
  while (Clock::now() < deadline) {
    pollfd p{fd, static_cast<short>(POLLIN | (connecting || !out.empty() ? POLLOUT : 0)), 0};
    ::poll(&p, 1, 20);
    if (p.revents == 0) continue;
    if (connecting) {
      if (connect_failed(fd)) break;
      connecting = false;
    }
    if ((p.revents & POLLOUT) && !out.empty()) {
      const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) break;
      if (n > 0) out.erase(0, static_cast<std::size_t>(n));
    }
    if (p.revents & (POLLIN | POLLERR | POLLHUP)) {
      const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
      if (n > 0) {
        in.append(buffer.data(), static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
      ::close(fd);
      // "HTTP/1.1 200 OK"
      if (in.size() < 12 || in.rfind("HTTP/", 0) != 0) return 0;
      return std::atoi(in.c_str() + in.find(' ') + 1);
    }
  }
  ::close(fd);
  return 0;
}

int poll_http(const sockaddr_in& server, const std::string& path, double seconds,
              double interval_ms) {
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double, std::milli>(interval_ms));
  char host[64];
  char address[INET_ADDRSTRLEN] = "";
  ::inet_ntop(AF_INET, &server.sin_addr, address, sizeof address);
  std::snprintf(host, sizeof host, "%s:%u", address, ntohs(server.sin_port));
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                              "\r\nAccept: application/fhir+json\r\nConnection: close\r\n\r\n";
  auto next = start;
  while (!g_stop && Clock::now() < deadline) {
    const auto begin = Clock::now();
    const long long epoch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    const int status = http_get(server, request, 10.0);
    std::printf("%lld %03d %.6f\n", epoch_ms, status, seconds_between(begin, Clock::now()));
    std::fflush(stdout);
    next = std::max(next + interval, Clock::now());
    while (!g_stop && Clock::now() < next) ::usleep(5000);
  }
  return 0;
}

// ---- send -------------------------------------------------------------------------------

int send_file(const sockaddr_in& server, const std::string& path, double timeout_s) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "bench_hostile: cannot read %s\n", path.c_str());
    return 2;
  }
  std::ostringstream content;
  content << file.rdbuf();
  std::string out = frame(content.str());
  const std::size_t bytes = out.size();
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
  auto finish = [&](const std::string& code) {
    std::printf("ack=%s seconds=%.2f bytes=%zu\n", code.c_str(),
                seconds_between(start, Clock::now()), bytes);
    return 0;
  };
  const int fd = open_connection(server);
  if (fd < 0) return finish("connect-failed");
  bool connecting = true;
  std::string in, ack;
  std::vector<char> buffer(64 * 1024);
  while (Clock::now() < deadline) {
    pollfd p{fd, static_cast<short>(POLLIN | (connecting || !out.empty() ? POLLOUT : 0)), 0};
    ::poll(&p, 1, 50);
    if (p.revents == 0) continue;
    if (connecting) {
      if (connect_failed(fd)) {
        ::close(fd);
        return finish("connect-failed");
      }
      connecting = false;
    }
    if ((p.revents & POLLOUT) && !out.empty()) {
      const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) break;
      if (n > 0) out.erase(0, static_cast<std::size_t>(n));
    }
    if (p.revents & (POLLIN | POLLERR | POLLHUP)) {
      const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) break;
      if (n > 0) in.append(buffer.data(), static_cast<std::size_t>(n));
      if (next_frame(in, ack)) {
        ::close(fd);
        return finish(ack_code(ack));
      }
    }
  }
  ::close(fd);
  return finish("none");
}

int usage() {
  std::fprintf(stderr,
               "usage: bench_hostile feed HOST PORT SECONDS CONNECTIONS RATE\n"
               "       bench_hostile trickle HOST PORT SECONDS CONNECTIONS [PREFIX_BYTES]\n"
               "       bench_hostile poll HOST PORT PATH SECONDS [INTERVAL_MS]\n"
               "       bench_hostile send HOST PORT FILE [TIMEOUT_SECONDS]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  if (argc < 5) return usage();
  const std::string command = argv[1];
  sockaddr_in server{};
  if (!parse_endpoint(argv[2], argv[3], server)) return usage();
  if (command == "feed" && argc == 7) {
    const int connections = std::atoi(argv[5]);
    if (connections <= 0) return usage();
    return feed(server, std::atof(argv[4]), connections, std::atof(argv[6]));
  }
  if (command == "trickle" && (argc == 6 || argc == 7)) {
    const int connections = std::atoi(argv[5]);
    if (connections <= 0) return usage();
    const long prefix = argc == 7 ? std::atol(argv[6]) : 16;
    return trickle(server, std::atof(argv[4]), connections,
                   static_cast<std::size_t>(std::max(prefix, 0L)));
  }
  if (command == "poll" && (argc == 6 || argc == 7)) {
    return poll_http(server, argv[4], std::atof(argv[5]), argc == 7 ? std::atof(argv[6]) : 100.0);
  }
  if (command == "send" && (argc == 5 || argc == 6)) {
    return send_file(server, argv[4], argc == 6 ? std::atof(argv[5]) : 60.0);
  }
  return usage();
}
