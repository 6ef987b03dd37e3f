// One coroutine per MLLP connection, shaped like the HTTP session (one template over the plain
// and the TLS stream): read what arrives, feed the deframer, and answer each complete message in
// order. On MLLP/TLS under mutual TLS the handshake's verified client certificate subject goes
// with every message into the archive (its sender identity), and with --mllp-cert-tenant one
// of its attributes names the connection's tenant (docs/tenancy.md). Between frames the connection
// may idle for 5 minutes; once a frame has begun it must end within --mllp-frame-timeout, however
// its bytes trickle in, so a slow sender cannot hold a large partial frame for long. Each message's
// ingest starts on this io thread (parse and planned ACK) and completes on a store thread after
// the archive's COMMIT; the session resumes on its own executor and only then writes the ACK, so
// an acknowledged message is never lost. A payload that opens with "ISA" is an X12 interchange
// (answered with its TA1/999; the connection is closed when none can be given).
#include "server/mllp_session.h"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include "core/tenant_scope.h"
#include "hl7/mllp/mllp_framer.h"
#include "server/access_log.h"
#include "server/audit_writer.h"
#include "server/await_completion.h"
#include "server/tenant_path.h"
#include "server/tls_context.h"

namespace hearth::server {
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// MLLP senders keep connections open between messages for a long time; 5 minutes of silence
// is treated as a dead peer.
constexpr std::chrono::minutes kMllpIdleTimeout{5};
constexpr std::chrono::seconds kMllpWriteTimeout{30};

using PlainStream = beast::basic_stream<asio::ip::tcp, Strand>;
using TlsStream = beast::ssl_stream<PlainStream>;

PlainStream& tcp_of(PlainStream& stream) {
  return stream;
}
PlainStream& tcp_of(TlsStream& stream) {
  return beast::get_lowest_layer(stream);
}

// Every frame may hold this much before it takes room in ServerState::mllp_budget: ordinary
// messages never wait for it; only large frames (up to --mllp-max-message) do, in steps of
// this size.
constexpr std::uint64_t kMllpFreeFrameBytes = 1024 * 1024;

// Counts a message from its last byte to its written ACK, for the shutdown drain.
class InFlightMessage {
 public:
  explicit InFlightMessage(ServerState& state) : state_(state) { state_.in_flight.fetch_add(1); }
  ~InFlightMessage() { state_.in_flight.fetch_sub(1); }
  InFlightMessage(const InFlightMessage&) = delete;
  InFlightMessage& operator=(const InFlightMessage&) = delete;

 private:
  ServerState& state_;
};

// The AuditEvent of a message received and acknowledged (audit_writer.h): who is the client
// certificate's subject, what the Provenance the message wrote (its resources), the outcome the
// ACK's: accepted 200, error 422, reject 400.
void record_message(AuditWriter& audit, const api::Hl7IngestResult& result, const std::string& peer,
                    const std::string& identity, const std::string& tenant) {
  api::AuditRecord record;
  record.recorded_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  record.interaction = "hl7-message";
  const char kind = result.ack_code.size() == 2 ? result.ack_code[1] : 'R';
  record.status = kind == 'A' ? 200 : kind == 'E' ? 422 : 400;
  record.subject = identity;
  record.address = peer;
  if (!result.written.empty()) {
    const std::string& provenance = result.written.back();
    record.reference = provenance.substr(0, provenance.find("/_history"));
  }
  record.description = "message " + std::to_string(result.archive_id) + " " + result.message_type +
                       " ACK " + result.ack_code;
  record.tenant = tenant;
  audit.record(std::move(record));
}

// Awaits Hl7Ingest::ingest: started here (parse and ACK on this io thread), completed by the
// store after its COMMIT on another thread (or at once when nothing is archived), and resumed
// through a post to this session's executor. nullopt (and a log line) when starting it threw,
// so no ACK is claimed.
auto async_ingest(api::Hl7Ingest& ingest, std::string raw, const std::string& peer,
                  const std::string& identity, api::RejectAllowance& rejects,
                  const std::string& tenant) {
  using Outcome = std::optional<api::Hl7IngestResult>;
  return await_completion<Outcome>(
      [&ingest, &peer, &identity, &rejects, &tenant,
       text = std::move(raw)](std::function<void(Outcome)> resume) mutable {
        // The connection's tenant: the store captures it when the archive starts.
        const TenantScope scope(tenant);
        try {
          ingest.ingest(std::move(text), api::Hl7Peer(peer, identity), &rejects,
                        [resume](api::Hl7IngestResult r) { resume(std::move(r)); });
        } catch (const std::exception& e) {
          log_line("mllp " + peer + ": unhandled exception in ingest: " + e.what());
          resume(std::nullopt);
        } catch (...) {
          log_line("mllp " + peer + ": unhandled non-standard exception in ingest");
          resume(std::nullopt);
        }
      });
}

// The tenant named by attribute `attribute` of the verified client certificate's subject
// (--mllp-cert-tenant). Errors: kUnauthorized when the subject has no such entry or several,
// kMalformed (or kNotFound) when its value is not a tenant name (server/tenant_path.h).
Result<std::string> certificate_tenant(void* ssl, const std::string& attribute) {
  std::vector<std::string> values = peer_certificate_attribute(ssl, attribute);
  if (values.size() != 1) {
    return Status(Code::kUnauthorized, "its subject has " + std::to_string(values.size()) + " " +
                                           attribute +
                                           " entries; one names the tenant "
                                           "(--mllp-cert-tenant)");
  }
  if (Status name = check_tenant_name(values.front()); !name.is_ok()) {
    return Status(name.code(), attribute + " is not a tenant name: " + name.message());
  }
  return std::move(values.front());
}

std::string peer_of(const PlainStream& stream) {
  boost::system::error_code ec;
  auto endpoint = stream.socket().remote_endpoint(ec);
  if (ec) return "-";
  return format_endpoint(endpoint);
}

// The connection's frames, one after another, over a plain or a TLS stream whose handshake is
// done; `identity` is the verified client certificate's subject ("" without one) and `tenant`
// the tenant every message of the connection lands in.
template <typename Stream>
asio::awaitable<void> serve(Stream& stream, ServerState& state, const std::string& peer,
                            const std::string& identity, const std::string& tenant) {
  hl7::MllpDeframer deframer(state.config.mllp_max_message);
  api::RejectAllowance rejects;  // frames that do not parse: archived up to a rate
  struct ReportDropped {
    const api::RejectAllowance& rejects;
    const std::string& peer;
    ~ReportDropped() {
      if (rejects.dropped() > 0) {
        log_line("mllp " + peer + ": " + std::to_string(rejects.dropped()) +
                 " unparsable frames answered AR but not archived (over the per-connection rate)");
      }
    }
  } report_dropped{rejects, peer};
  std::array<char, 64 * 1024> buffer;
  std::string wire;
  const std::chrono::milliseconds frame_timeout(state.config.mllp_frame_timeout_ms);
  // When the frame in progress got its first byte (approximately: the read that brought it),
  // and how many frames had ended then; a frame's deadline is never restarted by its bytes.
  std::chrono::steady_clock::time_point frame_started;
  std::size_t frames_ended = 0;
  // The room the unfinished frame holds in the MLLP budget; given back between frames.
  BodyReservation room(state.mllp_budget, 0);
  for (;;) {
    // Plain statements around every co_await: GCC 12 mishandles temporaries of a co_await
    // inside a conditional expression or a loop condition.
    std::optional<Result<std::string>> frame = deframer.next();
    if (!frame) {
      if (state.stopping.load()) co_return;
      const bool in_frame = deframer.in_frame();
      // Past its free bytes, a frame reads on only with room for one more read in the budget.
      const std::uint64_t wanted = deframer.partial_bytes() + buffer.size();
      if (in_frame && wanted > kMllpFreeFrameBytes + room.held()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            frame_started + frame_timeout - std::chrono::steady_clock::now());
        const bool roomy = co_await state.mllp_budget.reserve(
            kMllpFreeFrameBytes, std::max(left, std::chrono::milliseconds(0)));
        if (!roomy) {
          log_line("mllp " + peer +
                   ": no room for the frame in progress within its deadline "
                   "(--mllp-max-buffered, --mllp-frame-timeout): partial frame dropped, "
                   "connection closed");
          co_return;
        }
        room.add(kMllpFreeFrameBytes);
      }
      if (in_frame) {
        tcp_of(stream).expires_at(frame_started + frame_timeout);
      } else {
        tcp_of(stream).expires_after(kMllpIdleTimeout);
      }
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(buffer), kNoThrow);
      if (ec == beast::error::timeout && in_frame) {
        log_line("mllp " + peer + ": frame not complete " + std::to_string(frame_timeout.count()) +
                 " ms after its first byte (--mllp-frame-timeout): partial frame dropped, "
                 "connection closed");
      }
      if (ec) co_return;  // closed, reset, idle or frame timeout
      deframer.feed(std::string_view(buffer.data(), n));
      const std::size_t ended = deframer.frames() + deframer.oversize_frames();
      if (deframer.in_frame() && (!in_frame || ended != frames_ended)) {
        frame_started = std::chrono::steady_clock::now();
      }
      frames_ended = ended;
      continue;
    }
    if (!deframer.in_frame()) room.release();  // a frame ended (whole or oversize)
    InFlightMessage in_flight(state);
    const auto started = std::chrono::steady_clock::now();
    if (!frame->is_ok()) {
      // The frame is skipped unread: answer it from its head (AR, ERR 207) when we can, and
      // go on with the next frame; without a reject function, close so the sender notices.
      log_line("mllp " + peer + ": message over " + std::to_string(state.config.mllp_max_message) +
               " bytes (--mllp-max-message) discarded");
      api::Hl7IngestResult reject = [&] {
        const TenantScope scope(tenant);
        return state.mllp.ingest->reject_oversize(deframer.oversize_head(),
                                                  state.config.mllp_max_message);
      }();
      wire = hl7::mllp_frame(reject.ack);
      tcp_of(stream).expires_after(kMllpWriteTimeout);
      auto [ec, written] = co_await asio::async_write(stream, asio::buffer(wire), kNoThrow);
      if (ec) co_return;
      const auto elapsed = std::chrono::steady_clock::now() - started;
      state.metrics.record_mllp(reject.ack_code, elapsed);
      log_mllp(MllpEntry{peer, reject.message_type, reject.control_id, reject.ack_code, elapsed});
      continue;
    }
    std::string raw = std::move(frame->value());
    std::optional<api::Hl7IngestResult> result =
        co_await async_ingest(*state.mllp.ingest, std::move(raw), peer, identity, rejects, tenant);
    if (!result) co_return;
    if (result->hang_up) {
      // No acknowledgment can be given (an X12 interchange the store did not take, or one
      // without a readable ISA): closing tells the sender to send it again.
      log_line("mllp " + peer + ": interchange " + result->control_id + " not acknowledged" +
               (result->store_error.empty() ? std::string(" (no readable ISA)")
                                            : ": " + result->store_error) +
               "; connection closed");
      state.metrics.record_mllp("", std::chrono::steady_clock::now() - started);
      co_return;
    }
    if (!result->ack.empty()) {
      wire = hl7::mllp_frame(result->ack);
      tcp_of(stream).expires_after(kMllpWriteTimeout);
      auto [ec, written] = co_await asio::async_write(stream, asio::buffer(wire), kNoThrow);
      if (ec) co_return;
    }
    if (!result->store_error.empty()) {
      log_line("mllp " + peer + ": message " + result->control_id +
               " not archived: " + result->store_error);
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    const std::string_view ack = result->ack_code;
    state.metrics.record_mllp(ack, elapsed);
    log_mllp(MllpEntry{peer, result->message_type, result->control_id, ack, elapsed});
    if (state.handlers.audit != nullptr)
      record_message(*state.handlers.audit, *result, peer, identity, tenant);
    if (state.stopping.load()) co_return;
  }
}

}  // namespace

asio::awaitable<void> run_mllp_session(Socket socket, ServerState& state,
                                       [[maybe_unused]] ConnectionSlot slot) {
  PlainStream stream(std::move(socket));
  const std::string peer = peer_of(stream);
  co_await serve(stream, state, peer, std::string(), state.config.mllp_tenant);
}

asio::awaitable<void> run_mllp_tls_session(Socket socket, ServerState& state,
                                           [[maybe_unused]] ConnectionSlot slot) {
  const std::shared_ptr<asio::ssl::context> context = state.mllp_tls->current();
  TlsStream stream(PlainStream(std::move(socket)), *context);
  const std::string peer = peer_of(tcp_of(stream));
  tcp_of(stream).expires_after(kTlsHandshakeTimeout);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
  if (ec) {
    log_tls_refusal("mllp-tls", tcp_of(stream).socket(), ec);
    co_return;
  }
  // Verified by the handshake (--mllp-client-ca) or absent: never a certificate taken on trust.
  const std::string identity = state.mllp_tls->requires_client_certificate()
                                   ? peer_certificate_subject(stream.native_handle())
                                   : std::string();
  std::string tenant = state.config.mllp_tenant;
  if (!state.config.mllp_cert_tenant.empty()) {
    Result<std::string> named =
        certificate_tenant(stream.native_handle(), state.config.mllp_cert_tenant);
    if (!named.is_ok()) {
      // No tenant, so nothing of this connection can be archived anywhere: the sender learns
      // it from the closed connection, the operator from this line (a certificate subject
      // names a sender, never a patient).
      log_line("mllp-tls " + peer + ": connection closed, client certificate \"" + identity +
               "\": " + named.status().message());
      co_return;
    }
    tenant = std::move(named.value());
  }
  co_await serve(stream, state, peer, identity, tenant);
}

}  // namespace hearth::server
