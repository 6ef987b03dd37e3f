// bench_mllp_load [--kind oru|adt] HOST PORT SECONDS CONNECTIONS...
// For each connection count: that many MLLP connections (coroutines on one io thread) each send
// messages with unique control ids one at a time (waiting for each ACK) for SECONDS: an ORU^R01
// with 15 OBX (a lab panel, ~2.2 KB) or an ADT^A01 (~1 KB). Prints one line per count: messages/s,
// MB/s, p50/p99 of the send-to-ACK time, and how many ACKs were not AA.
// Exit status 1 when a connection fails or any ACK is not AA.
#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "bench/hl7/bench_messages.h"
#include "hl7/mllp/mllp_framer.h"
#include "hl7/v2/ack.h"

namespace {

using Clock = std::chrono::steady_clock;

using hearth::bench::adt;
using hearth::bench::oru;

struct Run {
  long long messages = 0, not_aa = 0, failures = 0;
  double seconds = 0, p50_ms = 0, p99_ms = 0;
};

using MessageMaker = std::string (*)(const std::string& control_id);

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// The framed message around its control id, built once: each send only splices a new id in
// (the client must stay cheap; it shares the cores with the server it measures). The makers use
// the id for MSH-10 and for the identifiers a mapping server finds resources by (PID-3, the
// filler order number), so each message is a new patient and order, as a feed of admissions or
// of new results is, rather than a stream of updates to one resource.
struct Template {
  std::vector<std::string> pieces;  // the framed message split at each use of the id
  explicit Template(MessageMaker make) {
    constexpr std::string_view kMarker = "@@CONTROL-ID@@";
    const std::string framed = hearth::hl7::mllp_frame(make(std::string(kMarker)));
    std::size_t from = 0;
    for (std::size_t at; (at = framed.find(kMarker, from)) != std::string::npos;
         from = at + kMarker.size()) {
      pieces.push_back(framed.substr(from, at - from));
    }
    pieces.push_back(framed.substr(from));
  }
  void fill(std::string& out, std::string_view control_id) const {
    out.assign(pieces[0]);
    for (std::size_t i = 1; i < pieces.size(); ++i) {
      out.append(control_id);
      out.append(pieces[i]);
    }
  }
};

// What every connection shares; one io thread runs them all, so no locking.
struct Shared {
  Template message;
  std::string prefix;
  Clock::time_point deadline;
  std::vector<double> latencies_ms;
  long long not_aa = 0, failures = 0;
};

// One connection: send a message, wait for its ACK, again until the deadline.
asio::awaitable<void> connection(tcp::endpoint server, int index, Shared& shared) {
  tcp::socket socket(co_await asio::this_coro::executor);
  auto [connect_error] = co_await socket.async_connect(server, kNoThrow);
  if (connect_error) {
    ++shared.failures;
    std::fprintf(stderr, "connect: %s\n", connect_error.message().c_str());
    co_return;
  }
  socket.set_option(tcp::no_delay(true));
  hearth::hl7::MllpDeframer deframer;
  std::array<char, 16 * 1024> buffer;
  const std::string id_prefix = shared.prefix + "-" + std::to_string(index) + "-";
  std::string wire, id;
  for (long long i = 0; Clock::now() < shared.deadline; ++i) {
    id.assign(id_prefix).append(std::to_string(i));
    shared.message.fill(wire, id);
    const auto sent = Clock::now();
    auto [write_error, written] = co_await asio::async_write(socket, asio::buffer(wire), kNoThrow);
    if (write_error) {
      ++shared.failures;
      co_return;
    }
    std::optional<hearth::Result<std::string>> ack;
    while (!(ack = deframer.next())) {
      auto [read_error, n] = co_await socket.async_read_some(asio::buffer(buffer), kNoThrow);
      if (read_error) {
        ++shared.failures;
        std::fprintf(stderr, "read: %s\n", read_error.message().c_str());
        co_return;
      }
      deframer.feed(std::string_view(buffer.data(), n));
    }
    shared.latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    if (!ack->is_ok() || hearth::hl7::ack_code_of(ack->value()) != "AA") ++shared.not_aa;
  }
}

// `connections` connections on one io thread (the client stays cheap next to the server on
// the same cores; a thread per connection cost more CPU than the echo server it measured).
Run run(const std::string& host, std::uint16_t port, double seconds, int connections,
        const std::string& prefix, MessageMaker make) {
  asio::io_context io(1);
  tcp::endpoint server(asio::ip::make_address(host), port);
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(seconds));
  Shared shared{Template(make), prefix, deadline, {}, 0, 0};
  const auto start = Clock::now();
  for (int c = 0; c < connections; ++c) {
    asio::co_spawn(io, connection(server, c, shared), asio::detached);
  }
  io.run();
  Run r;
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.messages = static_cast<long long>(shared.latencies_ms.size());
  r.not_aa = shared.not_aa;
  r.failures = shared.failures;
  std::vector<double>& latencies_ms = shared.latencies_ms;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  if (!latencies_ms.empty()) {
    r.p50_ms = latencies_ms[latencies_ms.size() / 2];
    r.p99_ms = latencies_ms[std::min(latencies_ms.size() - 1, latencies_ms.size() * 99 / 100)];
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  MessageMaker make = oru;
  std::string kind = "oru";
  if (args.size() >= 2 && args[0] == "--kind") {
    kind = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  if (kind == "adt") make = adt;
  if (args.size() < 4 || (kind != "oru" && kind != "adt")) {
    std::fprintf(stderr,
                 "usage: bench_mllp_load [--kind oru|adt] HOST PORT SECONDS CONNECTIONS...\n");
    return 2;
  }
  const std::string& host = args[0];
  const auto port = static_cast<std::uint16_t>(std::atoi(args[1].c_str()));
  const double seconds = std::atof(args[2].c_str());
  const std::size_t message_bytes = make("B0000000000000000000").size();
  // Unique per run, so a store reused between runs never sees a duplicate control id.
  const std::string prefix =
      "B" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
  bool ok = true;
  for (std::size_t i = 3; i < args.size(); ++i) {
    const int connections = std::atoi(args[i].c_str());
    Run r = run(host, port, seconds, connections, prefix + "c" + args[i], make);
    const double per_s = r.messages / r.seconds;
    std::printf(
        "kind=%s bytes=%zu connections=%d messages=%lld seconds=%.1f msg_per_s=%.0f "
        "mb_per_s=%.1f p50_ms=%.2f p99_ms=%.2f not_aa=%lld failures=%lld\n",
        kind.c_str(), message_bytes, connections, r.messages, r.seconds, per_s,
        per_s * static_cast<double>(message_bytes) / 1e6, r.p50_ms, r.p99_ms, r.not_aa, r.failures);
    std::fflush(stdout);
    ok = ok && r.not_aa == 0 && r.failures == 0;
  }
  return ok ? 0 : 1;
}
