// One coroutine per connection, shaped like Beast's awaitable and advanced_server_flex examples:
// plain HTTP and HTTPS run the same session template over their stream type (the TLS one first
// completes a handshake), a fresh parser per request (body and header limits), a deadline on every
// read and write, keep-alive, and pipelining for free because reads and writes are sequential over
// one flat_buffer. Each request runs where its route row and the store's traits put it
// (server/scheduling.h): inline, or on the worker pools (reads and writes apart), which the
// session waits for without holding an io thread, watching the socket meanwhile so a read whose
// client leaves is cancelled.
#include "server/http_session.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <exception>
#include <memory>
#include <optional>

#include "api/rest/rest_handler.h"
#include "api/rest/route.h"
#include "api/rest/smart_scopes.h"
#include "core/cancel.h"
#include "fhir/model.h"
#include "server/access_log.h"
#include "server/audit_writer.h"
#include "server/await_completion.h"
#include "server/body_budget.h"
#include "server/ops_endpoints.h"
#include "server/request_id.h"
#include "server/request_mapping.h"
#include "server/scheduling.h"

namespace hearth::server {
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// Beast's stream deadline is absolute: one expires_after covers a whole composed read, so a
// header (and the wait for it) must arrive within kIdleTimeout, and then the whole body
// within another kIdleTimeout, however the client trickles its bytes.
constexpr std::chrono::seconds kIdleTimeout{30};   // waiting for (the rest of) a request
constexpr std::chrono::seconds kWriteTimeout{30};  // writing a response
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
// After answering 413/400 we close; reading (and discarding) what the client is still sending,
// for a moment, keeps the kernel from resetting the connection before it sees our answer.
constexpr std::chrono::milliseconds kLingerTime{500};
constexpr std::size_t kLingerBytes = 4 * 1024 * 1024;

using PlainStream = beast::basic_stream<asio::ip::tcp, Strand>;
using TlsStream = beast::ssl_stream<PlainStream>;
using Parser = http::request_parser<http::string_body>;

// Counts a request from its header to its written response, for the shutdown drain.
class InFlight {
 public:
  explicit InFlight(ServerState& state) : state_(state) { state_.in_flight.fetch_add(1); }
  ~InFlight() { state_.in_flight.fetch_sub(1); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  ServerState& state_;
};

// Read errors that mean "the client sent something that is not HTTP we accept" (answer 400 or
// 413) rather than "the connection went away" (just close).
bool is_protocol_error(const beast::error_code& ec) {
  if (ec.category() != http::make_error_code(http::error::bad_target).category()) return false;
  return ec != http::error::end_of_stream && ec != http::error::partial_message &&
         ec != http::error::need_more && ec != http::error::need_buffer;
}

api::Response safe_error(const Status& status, const api::Request& request) {
  try {
    return api::error_response(status, request);
  } catch (const std::exception& e) {
    log_line(std::string("error response failed: ") + e.what());
  } catch (...) {
    log_line("error response failed");
  }
  api::Response fallback;
  fallback.status = 500;
  fallback.content_type = "text/plain";
  fallback.body = "internal error\n";
  return fallback;
}

// The 500 OperationOutcome for an exception out of the REST core (or the /hl7 API); the
// exception's text goes to the log only (log_error_detail).
api::Response unhandled(const api::Request& request, const std::string& what) {
  const bool hl7 = request.endpoint == api::Endpoint::kHl7;
  return safe_error(
      Status(Code::kInternal, "unhandled exception in " + request.method +
                                  (hl7 ? " /hl7/" : " /fhir/") + request.path + ": " + what),
      request);
}

// The REST core (or the /hl7 API) behind a net that turns any exception into a 500.
api::Response call_handler(ServerState& state, const api::Request& request) {
  const bool hl7 = request.endpoint == api::Endpoint::kHl7;
  try {
    return hl7 ? state.handlers.hl7->handle(request) : state.handlers.fhir.handle(request);
  } catch (const std::exception& e) {
    return unhandled(request, e.what());
  } catch (...) {
    return unhandled(request, "non-standard exception");
  }
}

// A 500/503 body says only "reference <id>"; the text it stands for is logged here, once, cut
// at kMaxLoggedDetail (a statement compiled from thousands of parameters is megabytes of SQL).
constexpr std::size_t kMaxLoggedDetail = 16 * 1024;

void log_error_detail(const api::Response& response, int status) {
  if (response.error_reference.empty()) return;
  const std::string& detail = response.error_detail;
  std::string line = "error " + response.error_reference + " (" + std::to_string(status) + "): ";
  if (detail.size() <= kMaxLoggedDetail) {
    line += detail;
  } else {
    line.append(detail, 0, kMaxLoggedDetail);
    line += "... (" + std::to_string(detail.size() - kMaxLoggedDetail) + " more bytes)";
  }
  log_line(line, LogLevel::kError);
}

// Beast decodes chunked only; any other Transfer-Encoding (gzip, "chunked, gzip", identity)
// would leave the body's length unknown or its bytes undecoded. RFC 9112 6.1: answer 400 and
// close.
bool unsupported_transfer_encoding(const http::request_header<>& head) {
  auto it = head.find(http::field::transfer_encoding);
  if (it == head.end()) return false;
  std::string_view value(it->value().data(), it->value().size());
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return !beast::iequals(value, "chunked") || head.count(http::field::transfer_encoding) > 1;
}

// A body buffer larger than this is freed after its response rather than kept for the
// connection's next request: it was counted in the body budget only until then.
constexpr std::size_t kKeptBodyCapacity = 64 * 1024;

// Empties `request` for the next one on the connection, keeping the strings' capacity (a small
// body's included) so a keep-alive connection stops allocating for them after its first request.
void reset(api::Request& request) {
  request.endpoint = api::Endpoint::kFhir;
  request.method.clear();
  request.path.clear();
  request.query.clear();
  request.accept.clear();
  request.content_type.clear();
  request.if_match.clear();
  request.if_none_match.clear();
  request.if_none_exist.clear();
  request.if_modified_since.clear();
  request.prefer.clear();
  if (request.body.capacity() > kKeptBodyCapacity) {
    std::string().swap(request.body);
  } else {
    request.body.clear();
  }
  request.base_url.clear();
  request.tenant.clear();
  request.grant = nullptr;
}

// The TCP stream under `stream`: deadlines, the socket.
PlainStream& tcp_of(PlainStream& stream) {
  return stream;
}
PlainStream& tcp_of(TlsStream& stream) {
  return beast::get_lowest_layer(stream);
}

// Ends the sending side: a FIN, after a TLS close_notify on a TLS stream (bounded by
// kWriteTimeout; a peer that never answers it costs nothing more).
asio::awaitable<void> close_write(PlainStream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(asio::socket_base::shutdown_send, ignored);
  co_return;
}
asio::awaitable<void> close_write(TlsStream& stream) {
  tcp_of(stream).expires_after(kWriteTimeout);
  // A peer that closes without its own close_notify is common and harmless here.
  auto [ignored_shutdown] = co_await stream.async_shutdown(kNoThrow);
  static_cast<void>(ignored_shutdown);
  beast::error_code ignored;
  tcp_of(stream).socket().shutdown(asio::socket_base::shutdown_send, ignored);
}

// Reads and drops what the client still sends (TLS records too, undecrypted).
template <typename Stream>
asio::awaitable<void> linger_and_close(Stream& tls_or_plain, beast::flat_buffer& buffer) {
  PlainStream& stream = tcp_of(tls_or_plain);
  beast::error_code ignored;
  stream.socket().shutdown(asio::socket_base::shutdown_send, ignored);
  stream.expires_after(kLingerTime);
  std::size_t drained = 0;
  while (drained < kLingerBytes) {
    buffer.clear();
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(64 * 1024), kNoThrow);
    if (ec) break;
    drained += n;
  }
  stream.socket().close(ignored);
}

// read_request's error for a body the budget (--max-buffered-body) found no room for within
// config.max_buffered_body_wait_ms: answered 503 with Retry-After, and the connection closed.
bool over_budget(const beast::error_code& ec) {
  return ec == asio::error::no_buffer_space;
}
constexpr std::string_view kRetryAfterSeconds = "5";

// Takes `bytes` of body out of the budget into `reservation`, waiting for room; false when
// none came in time.
asio::awaitable<bool> reserve_body(ServerState& state, std::uint64_t bytes,
                                   std::optional<BodyReservation>& reservation) {
  // Each co_await result in a variable of its own: GCC 12 miscompiles a co_await inside a
  // condition (the program hits an illegal instruction).
  const bool reserved = co_await state.body_budget.reserve(
      bytes, std::chrono::milliseconds(state.config.max_buffered_body_wait_ms));
  if (reserved) reservation.emplace(state.body_budget, bytes);
  co_return reserved;
}

// A write on a group-committing store: the REST core runs on this io thread up to the store
// call and the answer comes back through the store's completion (await_completion.h); a route
// without a completion form runs on the write workers. Exceptions as call_handler.
asio::awaitable<api::Response> run_completion(ServerState& state, const api::Service& service,
                                              api::Request& request) {
  using Finish = api::Service::Finish;
  const api::Request* const req = &request;
  const api::Service* const svc = &service;
  std::optional<Finish> finish = co_await await_completion<std::optional<Finish>>(
      [svc, req](std::function<void(std::optional<Finish>)> resume) {
        try {
          if (!svc->handle_async(*req, [resume](Finish f) { resume(std::move(f)); })) {
            resume(std::nullopt);
          }
        } catch (const std::exception& e) {
          const std::string what = e.what();
          resume([req, what] { return unhandled(*req, what); });
        } catch (...) {
          resume([req] { return unhandled(*req, "non-standard exception"); });
        }
      });
  if (!finish) {
    co_return co_await run_in_pool(
        state.pool->executor(), [&state, &request] { return call_handler(state, request); },
        &state.metrics.writers_queued);
  }
  // The answer is built here, on the io thread, not on the store's committer thread.
  try {
    co_return (*finish)();
  } catch (const std::exception& e) {
    co_return unhandled(request, e.what());
  } catch (...) {
    co_return unhandled(request, "non-standard exception");
  }
}

// Reads one request: the header (from here the request counts as in flight), its body's room
// in the budget (a declared length's before the body is read, a chunked body's once read), a
// "100 Continue" when the client waits for it, then the body. The error is the read's, or
// no_buffer_space when the budget had no room (see over_budget).
template <typename Stream>
asio::awaitable<beast::error_code> read_request(Stream& stream, beast::flat_buffer& buffer,
                                                Parser& parser, ServerState& state,
                                                std::optional<InFlight>& in_flight,
                                                std::optional<BodyReservation>& reservation) {
  tcp_of(stream).expires_after(kIdleTimeout);
  auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kNoThrow);
  if (ec) co_return ec;
  in_flight.emplace(state);
  if (unsupported_transfer_encoding(parser.get())) {
    co_return http::make_error_code(http::error::bad_transfer_encoding);
  }
  if (parser.is_done()) co_return ec;
  std::optional<std::uint64_t> length;  // none: chunked
  if (auto declared = parser.content_length()) length = *declared;
  if (length) {
    const bool reserved = co_await reserve_body(state, *length, reservation);
    if (!reserved) co_return asio::error::no_buffer_space;
  }
  auto& head = parser.get();
  if (beast::iequals(head[http::field::expect], "100-continue")) {
    http::response<http::empty_body> proceed{http::status::continue_, head.version()};
    tcp_of(stream).expires_after(kWriteTimeout);
    auto [write_ec, written] = co_await http::async_write(stream, proceed, kNoThrow);
    if (write_ec) co_return write_ec;
  }
  tcp_of(stream).expires_after(kIdleTimeout);
  auto [body_ec, body_bytes] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  if (!body_ec && !length) {
    const bool reserved = co_await reserve_body(state, head.body().size(), reservation);
    if (!reserved) co_return asio::error::no_buffer_space;
  }
  co_return body_ec;
}

// A read's cancellation, shared by the worker running it and the wait on its socket.
struct PeerWatch {
  CancelToken token;
  char probe = 0;  // MSG_PEEK target: nothing is consumed from the socket
};

// Cancels `watch` when the peer closes or resets the connection. Bytes arriving instead (the
// next pipelined request) end the watch without cancelling. The wait is cancelled with the
// socket's operations (Socket::cancel) once the read is answered; the handler touches only
// the shared watch. On a TLS stream the probe sees the raw socket: a TLS record arriving
// (a pipelined request, a close_notify) ends the watch too, only EOF or a reset cancels.
void watch_peer(PlainStream& stream, const std::shared_ptr<PeerWatch>& watch) {
  stream.socket().async_receive(asio::buffer(&watch->probe, 1), asio::socket_base::message_peek,
                                [watch](const boost::system::error_code& ec, std::size_t) {
                                  if (ec && ec != asio::error::operation_aborted) {
                                    watch->token.cancel();
                                  }
                                });
}

// Runs a read on the read workers with its cancel token installed; a read whose client left
// before a worker took it is not started.
asio::awaitable<api::Response> run_read(ServerState& state, PlainStream& stream,
                                        api::Request& request) {
  auto watch = std::make_shared<PeerWatch>();
  watch_peer(stream, watch);
  // A raw pointer (`watch` outlives the call): GCC 12 destroys a co_await operand's
  // temporaries twice when they own something, such as a captured shared_ptr.
  PeerWatch* const shared = watch.get();
  api::Response response = co_await run_in_pool(
      state.readers->executor(),
      [&state, &request, shared] {
        if (shared->token.cancelled()) {
          return safe_error(Status(Code::kUnavailable, "cancelled: the client went away"), request);
        }
        CancelScope scope(&shared->token);
        return call_handler(state, request);
      },
      &state.metrics.readers_queued);
  boost::system::error_code ignored;
  stream.socket().cancel(ignored);
  co_return response;
}

// Under --auth jwt, what needs a bearer token: everything but the two documents that tell a
// client how to get one (the CapabilityStatement and the SMART configuration).
bool needs_token(const api::Request& request) {
  if (request.endpoint != api::Endpoint::kFhir || request.method != "GET") return true;
  return request.path != "metadata" && request.path != ".well-known/smart-configuration";
}

// The bearer token of `message` (--auth jwt). Errors: kUnauthorized (auth::BearerAuth).
Result<std::shared_ptr<const auth::TokenClaims>> authenticate(
    ServerState& state, const http::request_header<>& message) {
  auto header = message.find(http::field::authorization);
  const std::string_view authorization =
      header == message.end() ? std::string_view()
                              : std::string_view(header->value().data(), header->value().size());
  return state.handlers.bearer->authenticate(authorization);
}

// --tenant-claim: the token must list the request's tenant. Errors: kForbidden.
Status allow_tenant(std::string_view claim, const auth::TokenClaims& claims,
                    std::string_view tenant) {
  if (std::find(claims.tenants.begin(), claims.tenants.end(), tenant) != claims.tenants.end()) {
    return Status::ok();
  }
  return Status(Code::kForbidden, "the token does not grant tenant '" + std::string(tenant) +
                                      "' (its claim '" + std::string(claim) +
                                      "' lists the tenants it may use)");
}

// The 401 for a refused token, with its WWW-Authenticate challenge.
api::Response refuse(const Status& status, const http::request_header<>& message,
                     const api::Request& request) {
  auto header = message.find(http::field::authorization);
  const bool presented = header != message.end() && !header->value().empty();
  api::Response refused = safe_error(status, request);
  refused.headers.emplace_back("WWW-Authenticate",
                               auth::bearer_challenge(presented, status.message()));
  return refused;
}

// The ready/not-ready transitions of GET /readyz, logged once each with the store's reason
// (the probe's body shows no internals).
void note_readiness(ServerState& state, const Status& store) {
  const int now = store.is_ok() ? 1 : 0;
  if (state.last_readiness.exchange(now) == now) return;
  if (now == 1) {
    log_line("readyz: ready");
  } else {
    log_line("readyz: not ready: " + store.message(), LogLevel::kWarning);
  }
}

// GET /healthz, /readyz and /metrics (ops_endpoints.h).
asio::awaitable<api::Response> respond_ops(ServerState& state, const MappingContext& mapping,
                                           OpsEndpoint ops, const http::request_header<>& message,
                                           api::Request& request) {
  const auto method = message.method();
  if (method != http::verb::get && method != http::verb::head) {
    const auto name = message.method_string();
    co_return ops_method_not_allowed(std::string_view(name.data(), name.size()));
  }
  switch (ops) {
    case OpsEndpoint::kHealthz: co_return plain_text(200, "ok");
    case OpsEndpoint::kReadyz: {
      if (state.stopping.load()) co_return readiness_response(Status::ok(), true);
      if (!state.handlers.readiness) co_return readiness_response(Status::ok(), false);
      auto check = [&state] { return state.handlers.readiness(); };
      // Plain statements around the co_await: GCC 12 miscompiles one inside a conditional
      // expression.
      Status store = Status::ok();
      if (state.readers) {
        store =
            co_await run_in_pool(state.readers->executor(), check, &state.metrics.readers_queued);
      } else {
        store = check();
      }
      note_readiness(state, store);
      co_return readiness_response(store, state.stopping.load());
    }
    case OpsEndpoint::kMetrics: {
      if (Status host = check_host(message, mapping); !host.is_ok()) {
        co_return safe_error(host, request);
      }
      if (state.handlers.bearer != nullptr) {
        Result<std::shared_ptr<const auth::TokenClaims>> claims = authenticate(state, message);
        if (!claims.is_ok()) co_return refuse(claims.status(), message, request);
        if (Status allowed = api::authorize_operations((*claims)->grant.scopes); !allowed.is_ok()) {
          co_return safe_error(allowed, request);
        }
      }
      api::Response response;
      response.content_type = kMetricsContentType;
      response.body = state.metrics.render(ServerGauges{
          .http_connections = state.http_connections.load(),
          .mllp_connections = state.mllp_connections.load(),
          .in_flight = state.in_flight.load(),
      });
      response.headers.emplace_back("Cache-Control", "no-store");
      co_return response;
    }
    case OpsEndpoint::kNone: break;
  }
  co_return plain_text(404, "not found");
}

// The response to a request read with `read_ec` (a protocol error or none): an error
// OperationOutcome, or the REST core's answer computed on a worker pool.
asio::awaitable<api::Response> respond(ServerState& state, PlainStream& stream,
                                       const MappingContext& mapping,
                                       const beast::error_code& read_ec, Parser& parser,
                                       api::Request& request, api::RouteFacts& facts,
                                       std::shared_ptr<const auth::TokenClaims>& who) {
  auto& message = parser.get();
  if (!read_ec) {
    const OpsEndpoint ops =
        ops_endpoint(std::string_view(message.target().data(), message.target().size()));
    if (ops != OpsEndpoint::kNone) {
      facts = api::RouteFacts{api::StoreUse::kNone, ops_interaction_label(ops)};
      co_return co_await respond_ops(state, mapping, ops, message, request);
    }
  }
  // The bearer's claims, alive until the answer is built (request.grant points into them).
  std::shared_ptr<const auth::TokenClaims> bearer_claims;
  Status mapped = map_request_head(message, mapping, request);
  if (over_budget(read_ec)) {
    api::Response busy = safe_error(
        Status(Code::kUnavailable,
               "too many large request bodies at once (--max-buffered-body); retry later"),
        request);
    busy.headers.emplace_back("Retry-After", kRetryAfterSeconds);
    co_return busy;
  }
  if (read_ec) {
    co_return safe_error(
        read_ec == http::error::body_limit
            ? Status(Code::kPayloadTooLarge, "request body exceeds the limit of " +
                                                 std::to_string(state.config.max_body) + " bytes")
        : read_ec == http::error::bad_transfer_encoding
            ? Status(Code::kMalformed, "unsupported Transfer-Encoding (only chunked is accepted)")
            : Status(Code::kMalformed, "malformed HTTP request: " + read_ec.message()),
        request);
  }
  if (!mapped.is_ok()) co_return safe_error(mapped, request);
  if (message.method() == http::verb::head) request.method = "GET";
  const bool hl7 = request.endpoint == api::Endpoint::kHl7;
  const api::Service* const served = hl7 ? state.handlers.hl7 : &state.handlers.fhir;
  if (served != nullptr) facts = served->route_facts(request);  // labels for a 401 too
  if (state.handlers.bearer != nullptr && needs_token(request)) {
    Result<std::shared_ptr<const auth::TokenClaims>> claims = authenticate(state, message);
    if (!claims.is_ok()) co_return refuse(claims.status(), message, request);
    bearer_claims = std::move(claims).value();
    request.grant = &bearer_claims->grant;
    who = bearer_claims;
    if (!state.config.tenant_claim.empty()) {
      if (Status tenant = allow_tenant(state.config.tenant_claim, *bearer_claims, request.tenant);
          !tenant.is_ok()) {
        co_return safe_error(tenant, request);
      }
    }
  }
  if (served == nullptr) {
    co_return safe_error(Status(Code::kNotFound, "the HL7 API is not served here"), request);
  }
  const api::Service& service = *served;
  request.body = std::move(message.body());
  const Lane lane = state.pool ? lane_for(facts.store_use, state.handlers.cheap_reads,
                                          request.body.size(), state.handlers.group_commit)
                               : Lane::kInline;
  if (lane == Lane::kInline) co_return call_handler(state, request);
  if (lane == Lane::kReaders) co_return co_await run_read(state, stream, request);
  if (lane == Lane::kCompletion) co_return co_await run_completion(state, service, request);
  const bool large = lane == Lane::kLargeWriter;
  WorkerPool& writers = large ? *state.large : *state.pool;
  co_return co_await run_in_pool(
      writers.executor(), [&state, &request] { return call_handler(state, request); },
      large ? &state.metrics.large_queued : &state.metrics.writers_queued);
}

// What the audit trail records of one answered request.
struct AccessFacts {
  const api::RouteFacts& facts;
  int status;
  const api::Request& request;
  std::string_view target;
  const auth::TokenClaims* who;  // null: no valid token came (or none was needed)
  std::string_view peer;
  std::string_view request_id;
  std::string_view location;  // the response's Location header, "" when none
};

// The "Type/id" a FHIR path or Location names first ("Observation/1/_history/2" ->
// "Observation/1"; ".../fhir/Patient/7/_history/1" -> "Patient/7"), "" when it names none.
std::string named_resource(std::string_view path) {
  if (const std::size_t fhir = path.find("/fhir/"); fhir != std::string_view::npos) {
    path.remove_prefix(fhir + 6);
  }
  const std::size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0) return {};
  const std::string_view type = path.substr(0, slash);
  std::string_view id = path.substr(slash + 1);
  id = id.substr(0, id.find('/'));
  if (!fhir::is_resource_type(type) || id.empty() || !api::is_valid_id(id)) return {};
  return std::string(type) + "/" + std::string(id);
}

// One AuditEvent for the access (audit_writer.h); the server's own endpoints, metadata and the
// SMART configuration are not accesses to data and are not recorded.
void record_access(AuditWriter& audit, const AccessFacts& access) {
  const std::string_view label =
      api::kInteractionLabels[access.facts.interaction < api::kInteractionLabels.size()
                                  ? access.facts.interaction
                                  : 0];
  if (label == "metrics" || label == "healthz" || label == "readyz" || label == "capabilities" ||
      label == "smart-configuration") {
    return;
  }
  api::AuditRecord record;
  record.recorded_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  record.interaction = std::string(label);
  record.status = access.status;
  if (access.who != nullptr) {
    record.subject = access.who->subject;
    record.client_id = access.who->client_id;
  }
  record.address = std::string(access.peer);
  const std::size_t mark = access.target.find('?');
  if (mark != std::string_view::npos) record.query = std::string(access.target.substr(mark + 1));
  if (access.request.endpoint == api::Endpoint::kHl7) {
    record.query = std::string(access.target);  // "/hl7/messages/12": no FHIR reference
  } else {
    record.reference =
        named_resource(access.location.empty() ? access.request.path : access.location);
  }
  record.description = "request " + std::string(access.request_id);
  record.tenant = access.request.tenant;
  audit.record(std::move(record));
}

// The connection's requests, one after another, over a plain or a TLS stream whose handshake is
// done.
template <typename Stream>
asio::awaitable<void> serve(Stream& stream, ServerState& state, const MappingContext& mapping) {
  beast::flat_buffer buffer;  // reused for the connection's lifetime; holds pipelined bytes
  std::optional<Parser> parser;
  api::Request request;
  std::string request_id;  // X-Request-Id of the current request, its capacity reused
  boost::system::error_code peer_ec;
  const auto peer_endpoint = tcp_of(stream).socket().remote_endpoint(peer_ec);
  const std::string peer = peer_ec ? std::string("-") : format_endpoint(peer_endpoint);

  for (;;) {
    parser.emplace();
    parser->body_limit(state.config.max_body);
    parser->header_limit(kHeaderLimit);
    std::optional<InFlight> in_flight;
    std::optional<BodyReservation> body_reservation;  // released after `request` is reset
    beast::error_code read_ec =
        co_await read_request(stream, buffer, *parser, state, in_flight, body_reservation);
    auto started = std::chrono::steady_clock::now();
    // Closed, reset, timed out.
    if (read_ec && !is_protocol_error(read_ec) && !over_budget(read_ec)) co_return;
    if (!in_flight) in_flight.emplace(state);

    api::RouteFacts facts;
    std::shared_ptr<const auth::TokenClaims> who;
    api::Response response =
        co_await respond(state, tcp_of(stream), mapping, read_ec, *parser, request, facts, who);
    log_error_detail(response, response.status);
    const auto& head = parser->get();
    auto sent_id = head.find(beast::string_view(kRequestIdHeader.data(), kRequestIdHeader.size()));
    assign_request_id(sent_id == head.end()
                          ? std::string_view()
                          : std::string_view(sent_id->value().data(), sent_id->value().size()),
                      request_id);
    response.headers.emplace_back(kRequestIdHeader, request_id);
    bool close_after = read_ec || !head.keep_alive() || state.stopping.load();
    bool head_only = !read_ec && head.method() == http::verb::head;
    std::string location;  // what a create named, for the audit trail
    for (const auto& header : response.headers) {
      if (state.handlers.audit != nullptr && header.first == "Location") location = header.second;
    }
    auto wire = to_beast_response(std::move(response), head.version() == 10 ? 10 : 11, !close_after,
                                  head_only);
    tcp_of(stream).expires_after(kWriteTimeout);
    auto [write_ec, written] = co_await http::async_write(stream, wire, kNoThrow);
    auto method = head.method_string();
    auto target = head.target();
    const auto elapsed = std::chrono::steady_clock::now() - started;
    state.metrics.record_http(facts, static_cast<int>(wire.result_int()), elapsed);
    log_access(AccessEntry{
        .method = std::string_view(method.data(), method.size()),
        .target = std::string_view(target.data(), target.size()),
        .status = static_cast<int>(wire.result_int()),
        .duration = elapsed,
        .query_values = state.config.log_query_values,
        .request_id = request_id,
        .interaction = api::kInteractionLabels[facts.interaction < api::kInteractionLabels.size()
                                                   ? facts.interaction
                                                   : 0],
        .type = facts.type >= 0 ? fhir::resource_types()[static_cast<std::size_t>(facts.type)]
                                : std::string_view(),
        .peer = peer,
    });
    if (state.handlers.audit != nullptr) {
      record_access(*state.handlers.audit,
                    AccessFacts{
                        .facts = facts,
                        .status = static_cast<int>(wire.result_int()),
                        .request = request,
                        .target = std::string_view(target.data(), target.size()),
                        .who = who.get(),
                        .peer = peer,
                        .request_id = request_id,
                        .location = location,
                    });
    }
    reset(request);
    body_reservation.reset();
    if (write_ec) co_return;
    if (close_after) {
      in_flight.reset();
      if (read_ec) {
        co_await linger_and_close(stream, buffer);
      } else {
        co_await close_write(stream);
      }
      co_return;
    }
  }
}

}  // namespace

void log_tls_refusal(std::string_view listener, const Socket& socket,
                     const boost::system::error_code& ec) {
  boost::system::error_code ignored;
  const auto peer = socket.remote_endpoint(ignored);
  log_line(std::string(listener) + " " + (ignored ? std::string("-") : format_endpoint(peer)) +
           ": TLS handshake failed: " + ec.message());
}

asio::awaitable<void> run_session(Socket socket, ServerState& state,
                                  [[maybe_unused]] ConnectionSlot slot) {
  PlainStream stream(std::move(socket));
  const MappingContext mapping{.base_url = state.config.base_url,
                               .fallback_host = state.local_address,
                               .hosts = &state.hosts,
                               .tenant_in_path = state.config.tenancy == "url"};
  co_await serve(stream, state, mapping);
}

asio::awaitable<void> run_tls_session(Socket socket, ServerState& state,
                                      [[maybe_unused]] ConnectionSlot slot) {
  // The context of this connection's handshake, kept for its lifetime (a reload swaps in
  // another for later connections).
  const std::shared_ptr<asio::ssl::context> context = state.http_tls->current();
  TlsStream stream(PlainStream(std::move(socket)), *context);
  tcp_of(stream).expires_after(kTlsHandshakeTimeout);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
  if (ec) {
    log_tls_refusal("https", tcp_of(stream).socket(), ec);
    co_return;
  }
  const MappingContext mapping{.base_url = state.config.base_url,
                               .fallback_host = state.tls_local_address,
                               .hosts = &state.hosts,
                               .scheme = "https://",
                               .tenant_in_path = state.config.tenancy == "url"};
  co_await serve(stream, state, mapping);
}

}  // namespace hearth::server
