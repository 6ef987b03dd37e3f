// The reference HTTP server of bench/run.sh: every request gets 200 "hello" (text/plain) over
// HTTP/1.1 keep-alive. It has the same shape as Hearth's server/ (Beast, one coroutine per
// connection on its own strand, an io_context run on N threads, a reused flat_buffer and a
// fresh parser per request) and nothing else, so its req/s is the ceiling of this machine, these
// flags and this Beast for a Hearth-shaped server.
//
// Usage: bench_hello_server HOST PORT THREADS   (PORT 0 picks a free port; the bound port is
// printed on stdout as "listening HOST:PORT" once accepting).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Strand = asio::strand<asio::io_context::executor_type>;
using Socket = asio::basic_stream_socket<asio::ip::tcp, Strand>;
using Acceptor = asio::basic_socket_acceptor<asio::ip::tcp, Strand>;

constexpr std::string_view kBody = "hello";

asio::awaitable<void> session(Socket socket) {
  boost::beast::flat_buffer buffer;
  boost::system::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    co_await http::async_read(socket, buffer, parser, token);
    if (ec) break;  // end of stream, reset, or a malformed request: drop the connection
    const auto& req = parser.get();
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::server, "hello");
    res.set(http::field::content_type, "text/plain");
    res.keep_alive(req.keep_alive());
    res.body() = kBody;
    res.prepare_payload();
    co_await http::async_write(socket, res, token);
    if (ec || !res.keep_alive()) break;
  }
  socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> listen(Acceptor& acceptor, asio::io_context& io) {
  boost::system::error_code ec;
  for (;;) {
    Socket socket(asio::make_strand(io));
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      continue;  // EMFILE and friends: keep serving the connections we have
    }
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    auto ex = socket.get_executor();
    asio::co_spawn(ex, session(std::move(socket)), asio::detached);
  }
}

bool parse_uint(const char* s, unsigned& out) {
  std::string_view v(s);
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && p == v.data() + v.size();
}

}  // namespace

int main(int argc, char** argv) {
  unsigned port = 0;
  unsigned threads = 0;
  if (argc != 4 || !parse_uint(argv[2], port) || port > 65535 || !parse_uint(argv[3], threads) ||
      threads == 0) {
    std::fprintf(stderr, "usage: bench_hello_server HOST PORT THREADS\n");
    return 2;
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(argv[1], ec);
  if (ec) {
    std::fprintf(stderr, "bench_hello_server: bad address %s\n", argv[1]);
    return 2;
  }

  asio::io_context io(static_cast<int>(threads));
  Acceptor acceptor(asio::make_strand(io));
  asio::ip::tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "bench_hello_server: cannot listen on %s:%u: %s\n", argv[1], port,
                 ec.message().c_str());
    return 1;
  }
  auto bound = acceptor.local_endpoint();
  std::printf("listening %s:%u\n", bound.address().to_string().c_str(),
              static_cast<unsigned>(bound.port()));
  std::fflush(stdout);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    acceptor.close(ec);
    io.stop();
  });
  asio::co_spawn(acceptor.get_executor(), listen(acceptor, io), asio::detached);

  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}
