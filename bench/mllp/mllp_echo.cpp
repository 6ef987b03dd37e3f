// bench_mllp_echo [THREADS]: the ceiling for bench_mllp_load. An MLLP server built from the
// same tree (Asio coroutines, hl7::MllpDeframer) that answers every frame with one canned AA
// ACK: no parse, no store, no log. What Hearth reaches against this is the cost of HL7 work
// plus durability; the rest is sockets and the load client itself.
// Prints "mllp echo listening on 127.0.0.1:PORT" (an ephemeral port) and runs until killed.
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "hl7/mllp_framer.h"

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

const std::string& canned_ack() {
  static const std::string ack = hearth::hl7::mllp_frame(
      "MSH|^~\\&|HEARTH|HUB|BENCH|LAB|20260309140000||ACK^R01^ACK|ECHO|P|2.5.1\rMSA|AA|ECHO\r");
  return ack;
}

asio::awaitable<void> session(tcp::socket socket) {
  hearth::hl7::MllpDeframer deframer;
  std::array<char, 64 * 1024> buffer;
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), kNoThrow);
    if (ec) co_return;
    deframer.feed(std::string_view(buffer.data(), n));
    // One ACK per completed frame, written together.
    std::string out;
    while (auto frame = deframer.next()) out += canned_ack();
    if (out.empty()) continue;
    auto [wec, written] = co_await asio::async_write(socket, asio::buffer(out), kNoThrow);
    if (wec) co_return;
  }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
    if (ec) continue;
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1;
  asio::io_context io(threads);
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::printf("mllp echo listening on 127.0.0.1:%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  asio::co_spawn(io, accept_loop(acceptor), asio::detached);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
}
