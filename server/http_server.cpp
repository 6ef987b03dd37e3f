// Acceptors (HTTP, MLLP), io threads, worker pool and the graceful drain.
#include "server/http_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>
#include <vector>

#include "core/thread_name.h"
#include "server/access_log.h"
#include "server/http_session.h"
#include "server/mllp_session.h"
#include "server/scheduling.h"

namespace hearth::server {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

using SessionFunction = asio::awaitable<void> (*)(Socket, ServerState&, ConnectionSlot);

// One listener: its session, its connection counter and cap, its name in log lines.
struct Listener {
  Acceptor& acceptor;
  SessionFunction session;
  std::atomic<int>& connections;
  std::uint32_t max_connections;
  const char* cap_flag;
};

// Over the cap a connection is accepted and closed at once (the client sees it at once,
// instead of waiting in the backlog behind connections that may never leave); one log line
// per run of refusals.
asio::awaitable<void> accept_loop(ServerState& state, Listener listener) {
  Acceptor& acceptor = listener.acceptor;
  bool refusing = false;
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(state.io), kNoThrow);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of descriptors or similar: back off instead of spinning.
      log_line("accept failed: " + ec.message());
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    boost::system::error_code ignored;
    if (listener.connections.load() >= static_cast<int>(listener.max_connections)) {
      if (!refusing) {
        log_line("connection refused: " + std::to_string(listener.max_connections) +
                 " connections open (" + listener.cap_flag + ")");
      }
      refusing = true;
      socket.close(ignored);
      continue;
    }
    refusing = false;
    socket.set_option(tcp::no_delay(true), ignored);
    ConnectionSlot slot(listener.connections);
    asio::co_spawn(socket.get_executor(),
                   listener.session(std::move(socket), state, std::move(slot)), asio::detached);
  }
}

asio::awaitable<void> drain(ServerState& state) {
  auto deadline = std::chrono::steady_clock::now() + kDrainTimeout;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (state.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(kNoThrow);
  }
  state.abandoned = state.in_flight.load();
  if (state.abandoned > 0) {
    log_line("shutdown deadline passed with " + std::to_string(state.abandoned) +
             " request(s) in flight");
  }
  state.io.stop();
}

// Resolves `text` (HOST:PORT), binds and listens; the bound address goes to `bound`.
Status bind_acceptor(asio::io_context& io, Acceptor& acceptor, std::string_view text,
                     std::string& bound) {
  auto address = parse_listen_address(text);
  if (!address) return address.status();
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  auto ip = asio::ip::make_address(address->host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(ip, address->port);
  } else {
    tcp::resolver resolver(io);
    auto results = resolver.resolve(address->host, std::to_string(address->port), ec);
    if (ec || results.empty()) {
      return Status(Code::kInvalidArgument, "cannot resolve listen host '" + address->host +
                                                "': " + (ec ? ec.message() : "no address"));
    }
    endpoint = results.begin()->endpoint();
  }
  auto fail = [&](std::string_view what) {
    return Status(Code::kUnavailable,
                  std::string(what) + " " + format_endpoint(endpoint) + ": " + ec.message());
  };
  if (acceptor.open(endpoint.protocol(), ec)) return fail("cannot open socket for");
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec)) return fail("cannot set");
  if (acceptor.bind(endpoint, ec)) return fail("cannot bind");
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec))
    return fail("cannot listen on");
  bound = format_endpoint(acceptor.local_endpoint(ec));
  return Status::ok();
}

}  // namespace

std::string format_endpoint(const tcp::endpoint& endpoint) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

HttpServer::HttpServer(const Config& config, HttpHandlers handlers, MllpHandlers mllp)
    : state_(std::make_unique<ServerState>(config, std::move(handlers), std::move(mllp))) {}

HttpServer::~HttpServer() = default;

asio::io_context& HttpServer::io_context() {
  return state_->io;
}

Status HttpServer::listen() {
  const Config& config = state_->config;
  HEARTH_RETURN_IF_ERROR(
      bind_acceptor(state_->io, state_->acceptor, config.listen, state_->local_address));
  boost::system::error_code ec;
  bool loopback = state_->acceptor.local_endpoint(ec).address().is_loopback() && !ec;
  if (config.tls_listen != "off") {
    auto context = TlsContext::load(TlsFiles{config.tls_cert, config.tls_key, ""});
    if (!context) return context.status();
    state_->http_tls = std::move(*context);
    Status bound = bind_acceptor(state_->io, state_->tls_acceptor, config.tls_listen,
                                 state_->tls_local_address);
    if (!bound.is_ok()) return Status(bound.code(), "--tls-listen: " + bound.message());
    loopback = loopback && state_->tls_acceptor.local_endpoint(ec).address().is_loopback() && !ec;
  }
  // Names are checked against DNS rebinding by default only when every HTTP listener is on
  // loopback (a public HTTPS listener is reached under names the server cannot know).
  state_->hosts = make_host_policy(config.allowed_hosts, config.base_url, loopback);
  if (!state_->mllp.ingest) return Status::ok();
  if (config.mllp_listen != "off") {
    Status mllp = bind_acceptor(state_->io, state_->mllp_acceptor, config.mllp_listen,
                                state_->mllp_local_address);
    if (!mllp.is_ok()) return Status(mllp.code(), "mllp: " + mllp.message());
  }
  if (config.mllp_tls_listen != "off") {
    auto context =
        TlsContext::load(TlsFiles{config.tls_cert, config.tls_key, config.mllp_client_ca});
    if (!context) return context.status();
    state_->mllp_tls = std::move(*context);
    Status bound = bind_acceptor(state_->io, state_->mllp_tls_acceptor, config.mllp_tls_listen,
                                 state_->mllp_tls_local_address);
    if (!bound.is_ok()) return Status(bound.code(), "--mllp-tls-listen: " + bound.message());
  }
  return Status::ok();
}

std::string HttpServer::local_address() const {
  return state_->local_address;
}

std::string HttpServer::mllp_local_address() const {
  return state_->mllp_local_address;
}

std::string HttpServer::mllp_tls_local_address() const {
  return state_->mllp_tls_local_address;
}

std::string HttpServer::local_base_url() const {
  return "http://" + state_->local_address + "/fhir";
}

std::string HttpServer::tls_base_url() const {
  if (state_->tls_local_address.empty()) return {};
  return "https://" + state_->tls_local_address + "/fhir";
}

std::vector<std::string> HttpServer::unauthenticated_public_listeners() const {
  const ServerState& state = *state_;
  const bool http_authenticated = state.config.auth != "none";
  const bool mllp_tls_authenticated = !state.config.mllp_client_ca.empty();
  const std::pair<const Acceptor*, const char*> listeners[] = {
      {http_authenticated ? nullptr : &state.acceptor, "--listen"},
      {http_authenticated ? nullptr : &state.tls_acceptor, "--tls-listen"},
      {&state.mllp_acceptor, "--mllp-listen"},
      {mllp_tls_authenticated ? nullptr : &state.mllp_tls_acceptor, "--mllp-tls-listen"},
  };
  std::vector<std::string> out;
  for (const auto& [acceptor, flag] : listeners) {
    if (acceptor == nullptr || !acceptor->is_open()) continue;
    boost::system::error_code ec;
    const tcp::endpoint endpoint = acceptor->local_endpoint(ec);
    if (ec || endpoint.address().is_loopback()) continue;
    out.push_back(std::string(flag) + " " + format_endpoint(endpoint));
  }
  return out;
}

Status HttpServer::reload_tls() {
  for (auto* context : {state_->http_tls.get(), state_->mllp_tls.get()}) {
    if (context != nullptr) HEARTH_RETURN_IF_ERROR(context->reload());
  }
  return Status::ok();
}

int HttpServer::run() {
  ServerState& state = *state_;
  if (state.config.workers > 0) {
    state.pool = std::make_unique<WorkerPool>(static_cast<unsigned>(state.config.workers));
    state.readers = std::make_unique<WorkerPool>(
        read_workers(static_cast<unsigned>(state.config.workers), state.handlers.cheap_reads,
                     state.handlers.concurrent_searches));
    state.large = std::make_unique<WorkerPool>(1);
  }
  asio::co_spawn(state.acceptor.get_executor(),
                 accept_loop(state, Listener{state.acceptor, run_session, state.http_connections,
                                             state.config.max_connections, "--max-connections"}),
                 asio::detached);
  if (state.tls_acceptor.is_open()) {
    asio::co_spawn(
        state.tls_acceptor.get_executor(),
        accept_loop(state, Listener{state.tls_acceptor, run_tls_session, state.http_connections,
                                    state.config.max_connections, "--max-connections"}),
        asio::detached);
  }
  if (state.mllp_acceptor.is_open()) {
    asio::co_spawn(
        state.mllp_acceptor.get_executor(),
        accept_loop(state, Listener{state.mllp_acceptor, run_mllp_session, state.mllp_connections,
                                    state.config.mllp_max_connections, "--mllp-max-connections"}),
        asio::detached);
  }
  if (state.mllp_tls_acceptor.is_open()) {
    asio::co_spawn(
        state.mllp_tls_acceptor.get_executor(),
        accept_loop(state,
                    Listener{state.mllp_tls_acceptor, run_mllp_tls_session, state.mllp_connections,
                             state.config.mllp_max_connections, "--mllp-max-connections"}),
        asio::detached);
  }
  std::vector<std::thread> threads;
  unsigned extra = state.config.threads > 1 ? state.config.threads - 1 : 0;
  threads.reserve(extra);
  for (unsigned i = 0; i < extra; ++i) {
    threads.emplace_back([&state] {
      set_thread_name("hearth-io");
      state.io.run();
    });
  }
  state.io.run();
  for (auto& thread : threads) thread.join();
  // With requests abandoned at the deadline a worker may still be inside the store; the caller
  // exits without joining it.
  if (state.abandoned == 0 && state.pool) {
    state.pool->join();
    state.readers->join();
    state.large->join();
  }
  return state.abandoned;
}

void HttpServer::shutdown() {
  ServerState& state = *state_;
  asio::post(state.acceptor.get_executor(), [&state] {
    if (state.stopping.exchange(true)) return;
    boost::system::error_code ignored;
    state.acceptor.close(ignored);
    // The other acceptors live on strands of their own.
    for (Acceptor* other : {&state.mllp_acceptor, &state.tls_acceptor, &state.mllp_tls_acceptor}) {
      asio::post(other->get_executor(), [other] {
        boost::system::error_code ignored_too;
        other->close(ignored_too);
      });
    }
    asio::co_spawn(state.acceptor.get_executor(), drain(state), asio::detached);
  });
}

void HttpServer::stop_now() {
  state_->io.stop();
}

}  // namespace hearth::server
