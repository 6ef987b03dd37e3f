// The FHIR HTTP/1.1 server and the MLLP (HL7 v2) listener: an acceptor each and one coroutine
// per connection on one io_context run by `threads` io threads. Everything under /fhir goes to
// HttpHandlers::fhir, everything under /hl7 to HttpHandlers::hl7; where each request runs (its
// io thread, or a worker pool so io threads never block on the store) follows from its route
// row and the store's traits (server/scheduling.h). Anything else, an oversized body, a
// malformed request and a stray exception become OperationOutcome errors
// (api::error_response).
//
// Lifecycle: construct -> listen() -> run() (blocks) ; shutdown() from any thread (or a signal)
// stops accepting, lets requests already being read or handled finish (bounded by
// kDrainTimeout), then run() returns. MLLP messages count as in flight from their last byte
// to their written ACK, so a drain never cuts an ACK for a committed message.
//
// Thread-safety: shutdown() and stop_now() may be called from any thread; the rest from the
// owning thread. The handlers must be callable concurrently and outlive the server.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/hl7/ingest.h"
#include "api/request.h"
#include "api/service.h"
#include "core/status.h"
#include "server/audit_writer.h"
#include "server/auth/bearer_auth.h"
#include "server/config.h"

namespace hearth::server {

// The API objects the HTTP sessions call, wired once by cli.cpp (tests wire fakes). A `handle`
// that throws is answered 500 and logged.
struct HttpHandlers {
  api::Service& fhir;           // below /fhir: api::RestHandler
  api::Service* hl7 = nullptr;  // below /hl7: api::Hl7ArchiveApi; null: /hl7 answers 404
  // The store's trait, stated once at start: its point reads never wait, so they run inline.
  bool cheap_reads = false;
  // The store's trait: its writes are group-committed, so writes complete without a worker
  // (Lane::kCompletion, Service::handle_async).
  bool group_commit = false;
  // The store's trait: how many searches it runs at once (0: no bound). With cheap reads the
  // read workers serve searches only, so there are no more of them than that (HttpServer::run).
  std::size_t concurrent_searches = 0;
  // --auth jwt: every request needs a valid bearer token (401 otherwise), except GET/HEAD of
  // /fhir/metadata and /fhir/.well-known/smart-configuration. Null: no authentication.
  const auth::BearerAuth* bearer = nullptr;
  // GET /readyz's store check (storage::Store::check_ready), run on a read worker; it must be
  // bounded in time (the store's statement timeout). Null: the store is taken as ready.
  std::function<Status()> readiness = {};
  // --audit on: every answered request is recorded as an AuditEvent. Null: no audit trail.
  AuditWriter* audit = nullptr;
};

// The MLLP listener's use case: every complete message (payload of one frame) goes to
// Hl7Ingest::ingest, called on the session's io thread (its work before the archive, parse and
// planned ACK, is cheap; the archive write runs on a store thread) with the completion posted
// back to the session; a frame over --mllp-max-message to Hl7Ingest::reject_oversize. cli.cpp
// wires the one api::Hl7Ingest of the process. Null: no MLLP listener.
struct MllpHandlers {
  api::Hl7Ingest* ingest = nullptr;
};

inline constexpr std::chrono::seconds kDrainTimeout{10};

// Shared by the acceptor and all sessions; owned by HttpServer.
struct ServerState;

class HttpServer {
 public:
  // `config` must have been through finalize().
  // With `mllp.ingest` set and config.mllp_listen not "off", listen() also opens the MLLP
  // listener.
  HttpServer(const Config& config, HttpHandlers handlers, MllpHandlers mllp = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Resolves and binds --listen (and --mllp-listen, --tls-listen, --mllp-tls-listen) and starts
  // listening (connections queue from here on); loads the TLS certificate and key first.
  // Errors: kInvalidArgument (bad address or unknown host, a TLS file that cannot be read or a
  // key that does not match), kUnavailable (bind/listen failed, e.g. the port is in use).
  Status listen();

  // The bound address as "HOST:PORT" ("[::1]:PORT" for IPv6); valid after listen().
  std::string local_address() const;

  // "http://HOST:PORT/fhir" for the bound address.
  std::string local_base_url() const;

  // "https://HOST:PORT/fhir" for the bound --tls-listen address; "" without it.
  std::string tls_base_url() const;

  // The listeners bound to an address beyond loopback that do not authenticate their clients,
  // each as "--listen 0.0.0.0:8080": HTTP(S) without --auth jwt, plain MLLP, MLLP/TLS without
  // --mllp-client-ca. Valid after listen().
  std::vector<std::string> unauthenticated_public_listeners() const;

  // Re-reads --tls-cert and --tls-key (and --mllp-client-ca) into new TLS contexts for the
  // handshakes that follow; open connections keep theirs. On error (a missing or mismatched
  // file) every listener keeps its current context. Any thread. Errors: kInvalidArgument.
  Status reload_tls();

  // The bound MLLP address as "HOST:PORT"; "" when the MLLP listener is off.
  std::string mllp_local_address() const;
  // The bound MLLP/TLS address as "HOST:PORT"; "" without --mllp-tls-listen.
  std::string mllp_tls_local_address() const;

  // Runs the io threads (the caller's thread is one of them) and the worker pool until
  // shutdown completes. Returns the number of requests abandoned at the drain deadline (0 on
  // a clean shutdown).
  int run();

  // Graceful: stop accepting, drain in-flight requests, then make run() return.
  void shutdown();
  // Immediate: make run() return now.
  void stop_now();

  boost::asio::io_context& io_context();

 private:
  std::unique_ptr<ServerState> state_;
};

}  // namespace hearth::server
