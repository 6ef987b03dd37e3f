// Internal to server/: the state shared by the acceptor and sessions, and the per-connection
// coroutine (http_session.cpp).
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/body_budget.h"
#include "server/config.h"
#include "server/host_check.h"
#include "server/http_server.h"
#include "server/server_metrics.h"
#include "server/tls_context.h"
#include "server/worker_pool.h"

namespace hearth::server {

// Each connection and the acceptor run on their own strand: the io_context has several
// threads, and a stream's timer must never race its reads.
using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Strand>;
using Acceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, Strand>;

// Member order matters for destruction: the pools go first (their finished tasks only queue
// completions on the stopped io_context), then the io_context destroys the suspended session
// frames, whose destructors still touch `in_flight` and the connection counters.
struct ServerState {
  ServerState(const Config& c, HttpHandlers h, MllpHandlers m)
      : config(c),
        handlers(std::move(h)),
        mllp(std::move(m)),
        body_budget(c.max_buffered_body),
        mllp_budget(c.mllp_max_buffered),
        io(static_cast<int>(c.threads)),
        acceptor(boost::asio::make_strand(io)),
        mllp_acceptor(boost::asio::make_strand(io)),
        tls_acceptor(boost::asio::make_strand(io)),
        mllp_tls_acceptor(boost::asio::make_strand(io)) {}

  Config config;
  HttpHandlers handlers;
  MllpHandlers mllp;  // mllp.ingest empty: no MLLP listener
  // Requests whose header has arrived and whose response is not yet written.
  std::atomic<int> in_flight{0};
  // Connections being served, against --max-connections / --mllp-max-connections.
  std::atomic<int> http_connections{0};
  std::atomic<int> mllp_connections{0};
  std::atomic<bool> stopping{false};
  // GET /readyz's last answer, so each change is logged once: -1 none yet, 0 not ready, 1 ready.
  std::atomic<int> last_readiness{-1};
  int abandoned = 0;
  std::string local_address;           // "HOST:PORT"
  std::string mllp_local_address;      // "HOST:PORT"; "" when not listening
  std::string tls_local_address;       // HTTPS, "HOST:PORT"; "" when not listening
  std::string mllp_tls_local_address;  // MLLP/TLS, "HOST:PORT"; "" when not listening
  // The TLS listeners' contexts (set by listen(); null without the listener). The MLLP one
  // verifies client certificates under --mllp-client-ca.
  std::unique_ptr<TlsContext> http_tls;
  std::unique_ptr<TlsContext> mllp_tls;
  HostPolicy hosts;  // set by listen()
  ServerMetrics metrics;
  // Request bodies held by all HTTP connections (--max-buffered-body). Declared before `io`:
  // session frames, destroyed with it, give their reservations back.
  BodyBudget body_budget;
  // Bytes of unfinished MLLP frames past each one's first kMllpFreeFrameBytes
  // (--mllp-max-buffered); the same order rule as body_budget.
  BodyBudget mllp_budget;
  boost::asio::io_context io;
  Acceptor acceptor;
  Acceptor mllp_acceptor;
  Acceptor tls_acceptor;
  Acceptor mllp_tls_acceptor;
  // Store calls: `pool` runs writes (creates, updates, deletes, HL7 ingest, /hl7 POSTs),
  // `readers` runs reads (GET, HEAD, POST _search), so slow searches can hold every reader and
  // still never delay a write or an ACK. Both null: everything runs inline on io threads.
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<WorkerPool> readers;
  // One thread: Lane::kLargeWriter (server/scheduling.h).
  std::unique_ptr<WorkerPool> large;
};

// One served connection, counted in its listener's counter from accept to close.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::atomic<int>& count) : count_(&count) { count_->fetch_add(1); }
  ConnectionSlot(ConnectionSlot&& other) noexcept : count_(other.count_) { other.count_ = nullptr; }
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (count_ != nullptr) count_->fetch_sub(1);
  }

 private:
  std::atomic<int>* count_;
};

// "HOST:PORT", "[v6]:PORT".
std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint);

// Serves one connection until the peer closes, a timeout, an error, or shutdown. A read on the
// read workers (server/scheduling.h) whose client closes the connection while it runs is
// cancelled: its store statements stop (core/cancel.h) and nothing is written back.
boost::asio::awaitable<void> run_session(Socket socket, ServerState& state, ConnectionSlot slot);
// The same over TLS (--tls-listen): a handshake within kTlsHandshakeTimeout, then run_session's
// loop; base URLs built from the Host header say https://.
boost::asio::awaitable<void> run_tls_session(Socket socket, ServerState& state,
                                             ConnectionSlot slot);

// A TLS handshake (HTTPS and MLLP/TLS) must complete within this of the accept.
inline constexpr std::chrono::seconds kTlsHandshakeTimeout{10};

// One log line for a failed TLS handshake: the listener, the peer's address and OpenSSL's
// reason (no certificate, unknown CA, protocol version, ...).
void log_tls_refusal(std::string_view listener, const Socket& socket,
                     const boost::system::error_code& ec);

}  // namespace hearth::server
