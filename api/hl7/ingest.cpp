// Ingest: decide the outcome from the parse and build its ACK before the store is asked; the
// store decides duplicates and reused control ids inside its transaction and stores the ACK
// that is then sent, so the archived ACK is exactly the one sent.
#include "api/hl7/ingest.h"

#include <algorithm>
#include <future>
#include <memory>
#include <optional>
#include <utility>

#include "api/hl7/x12_ingest.h"
#include "core/time_format.h"
#include "hl7/v2/ack.h"
#include "hl7/v2/charset.h"
#include "hl7/v2/loose_header.h"
#include "hl7/v2/message.h"

namespace hearth::api {
namespace {

using storage::MessageStatus;

// "20261123181520+0000" from the clock.
std::string hl7_timestamp(std::int64_t micros) {
  const std::string instant = format_instant(micros);  // 2026-11-23T18:15:20.123456Z
  std::string out;
  for (char c : instant.substr(0, 19)) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out + "+0000";
}

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

hl7::AckError error_of(hl7::ErrorCode code, std::string diagnostics) {
  hl7::AckError e;
  e.code = code;
  e.diagnostics = std::move(diagnostics);
  return e;
}

}  // namespace

RejectAllowance::RejectAllowance(int per_minute)
    : tokens_(per_minute), per_micro_(per_minute / 60e6), capacity_(per_minute) {}

bool RejectAllowance::take(std::int64_t now_micros) {
  if (last_micros_ != 0 && now_micros > last_micros_) {
    tokens_ =
        std::min(capacity_, tokens_ + static_cast<double>(now_micros - last_micros_) * per_micro_);
  }
  last_micros_ = now_micros;
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return true;
  }
  ++dropped_;
  return false;
}

Hl7Ingest::Hl7Ingest(storage::MessageArchive& archive, const Clock& clock, IdGenerator& ids,
                     Hl7IngestOptions options)
    : archive_(archive),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)),
      x12_(std::make_unique<X12Ingest>(archive, clock, ids, options_.mapping,
                                       options_.on_reused_control_id)) {}

Hl7Ingest::~Hl7Ingest() = default;

// One message between its arrival and its ACK: the raw text (which the parsed message
// borrows), the decision taken before the store, and the archive request with its ACKs.
// Heap-allocated and shared with the archive's completion.
struct Hl7Ingest::Pending {
  storage::ArchiveRequest request;      // request.raw is the text `message` points into
  std::optional<hl7::Message> message;  // empty when the bytes did not parse
  hl7::AckOptions ack_options;
  hl7::AckCode outcome = hl7::AckCode::kAA;
  std::vector<hl7::AckError> errors;

  bool archive = true;  // false: a reject over the connection's allowance, only counted
  MessageMapping mapping;

  std::string ack_for(hl7::AckCode code, const std::vector<hl7::AckError>& errs) const {
    std::optional<hl7::AckCode> wire = hl7::ack_code_for(*message, code);
    return wire ? hl7::build_ack(*message, *wire, errs, ack_options) : std::string();
  }
};

std::string Hl7Ingest::ack_control_id() const {
  std::string id = ids_.next_id();
  std::erase(id, '-');
  // MSH-10 is an ST of at most 20 characters: keep the id's last 20 hex digits, which hold
  // the UUIDv7's counter and random part (its first 12 are the millisecond clock).
  if (id.size() > 20) id.erase(0, id.size() - 20);
  return id;
}

std::shared_ptr<Hl7Ingest::Pending> Hl7Ingest::prepare(std::string raw_text, const Hl7Peer& peer,
                                                       RejectAllowance* rejects) const {
  auto pending = std::make_shared<Pending>();
  Pending& p = *pending;
  p.ack_options.control_id = ack_control_id();
  p.ack_options.timestamp = hl7_timestamp(clock_.now_micros());
  storage::ArchiveRequest& request = p.request;
  request.peer = std::string(peer.address);
  request.sender_identity = std::string(peer.identity);
  request.raw = std::move(raw_text);
  const std::string_view raw = request.raw;

  hl7::ParseError parse_error;
  Result<hl7::Message> parsed = hl7::Message::parse(raw, &parse_error);
  if (!parsed.is_ok()) {
    // Metadata columns are text (UTF-8); the raw bytes are kept as they came.
    hl7::LooseHeader h = hl7::read_loose_header(raw);
    request.sender = hl7::to_utf8(h.sender, hl7::Charset::kOther);
    request.control_id = hl7::to_utf8(h.control_id, hl7::Charset::kOther);
    request.message_type = hl7::to_utf8(h.message_type, hl7::Charset::kOther);
    request.version = hl7::to_utf8(h.version, hl7::Charset::kOther);
    request.status = MessageStatus::kRejected;
    request.note = hl7::to_utf8(parse_error.message, hl7::Charset::kOther);
    request.ack = hl7::build_reject_ack(raw, parse_error, p.ack_options);
    p.archive = rejects == nullptr || rejects->take(clock_.now_micros());
    return pending;
  }
  p.message.emplace(std::move(*parsed));
  const hl7::Message& message = *p.message;
  const hl7::Charset charset = message.charset();
  request.sender = hl7::to_utf8(message.field(0, 3).raw, charset) + "|" +
                   hl7::to_utf8(message.field(0, 4).raw, charset);
  request.control_id = hl7::to_utf8(message.control_id(), charset);
  request.message_type = hl7::to_utf8(message.message_code(), charset);
  if (!message.trigger_event().empty()) {
    request.message_type += "^" + hl7::to_utf8(message.trigger_event(), charset);
  }
  request.version = hl7::to_utf8(message.version(), charset);

  // The outcome the configuration decides before the store is asked.
  if (!options_.versions.empty() && !listed(options_.versions, request.version)) {
    p.outcome = hl7::AckCode::kAR;
    p.errors.push_back(error_of(hl7::ErrorCode::kUnsupportedVersionId,
                                "version " + request.version + " is not accepted"));
  } else if (!options_.message_types.empty() &&
             !listed(options_.message_types, request.message_type) &&
             !listed(options_.message_types, message.message_code())) {
    p.outcome = hl7::AckCode::kAR;
    p.errors.push_back(error_of(hl7::ErrorCode::kUnsupportedMessageType,
                                "message type " + request.message_type + " is not accepted"));
  }
  if (p.outcome == hl7::AckCode::kAA && options_.mapping != nullptr) {
    map(p);
  }
  if (p.outcome == hl7::AckCode::kAR) {
    request.status = MessageStatus::kRejected;
    request.note = p.errors.front().diagnostics;
  }
  // Both ACKs the store may send are built here, on the caller's thread: the store's
  // transaction (one writer for every connection) only picks one.
  request.ack = p.ack_for(p.outcome, p.errors);
  if (p.mapping.outcome == MessageMapping::Outcome::kMapped) {
    request.effect = std::move(p.mapping.effect);
    request.effect_failed_ack = p.ack_for(
        hl7::AckCode::kAE,
        {error_of(hl7::ErrorCode::kApplicationInternalError,
                  "the message's resources could not be written, so nothing of it was stored "
                  "(the archived message's note says why)")});
    // A merged patient (MRG-1) the store does not have is an unknown key, which table 0357
    // has a code for. Built for merges only: other messages make no reference that can miss.
    if (p.mapping.merge) {
      request.effect_not_found_ack = p.ack_for(
          hl7::AckCode::kAE, {error_of(hl7::ErrorCode::kUnknownKeyIdentifier,
                                       "the merged patient (MRG-1) is not in the store, so "
                                       "nothing of the message was stored")});
    }
  }
  request.on_reused = options_.on_reused_control_id;
  if (p.outcome == hl7::AckCode::kAA && request.on_reused == storage::ReusedControlId::kReject) {
    request.reused_ack =
        p.ack_for(hl7::AckCode::kAE,
                  {error_of(hl7::ErrorCode::kDuplicateKeyIdentifier,
                            "control id '" + request.control_id +
                                "' was already used by a different message from this sender")});
  }
  return pending;
}

// Maps an accepted message; decides AE for content that cannot be mapped, AR for an unmapped
// type when so configured.
void Hl7Ingest::map(Pending& p) const {
  storage::ArchiveRequest& request = p.request;
  p.mapping = map_message(*p.message, request.message_type, request.sender, *options_.mapping);
  switch (p.mapping.outcome) {
    case MessageMapping::Outcome::kMapped:
      p.errors = p.mapping.errors;  // warnings: values left out
      return;
    case MessageMapping::Outcome::kUnmapped:
      if (options_.mapping->reject_unmapped) {
        p.outcome = hl7::AckCode::kAR;
        p.errors.push_back(error_of(hl7::ErrorCode::kUnsupportedMessageType,
                                    "message type " + request.message_type +
                                        " has no map to FHIR (--hl7-unmapped=reject)"));
        return;
      }
      request.note = p.mapping.note;
      return;
    case MessageMapping::Outcome::kFailed:
      p.outcome = hl7::AckCode::kAE;
      p.errors = p.mapping.errors;
      request.status = MessageStatus::kError;
      request.note = p.mapping.note;
      return;
  }
}

Hl7IngestResult Hl7Ingest::finish(Pending& p, Result<storage::ArchiveOutcome> archived) {
  Hl7IngestResult result;
  result.control_id = p.request.control_id;
  result.message_type = p.request.message_type;
  if (!p.message) {
    // The reject stands whether or not the archive write succeeded.
    if (archived.is_ok()) result.archive_id = archived->stored.id;
    result.ack = std::move(p.request.ack);
    result.ack_code = hl7::ack_code_of(result.ack);
    return result;
  }
  if (!archived.is_ok()) {
    // Nothing was stored: never claim success. AR (CR) is what chapter 2 gives for "system
    // down or internal error": senders resend it, where many drop a message answered AE.
    // The database's text stays in the server log (store_error): it can quote the message
    // and the SQL, which the sender has no business seeing.
    result.store_error = archived.status().message();
    result.ack = p.ack_for(hl7::AckCode::kAR, {error_of(hl7::ErrorCode::kApplicationInternalError,
                                                        "message not stored; send it again")});
  } else {
    result.archive_id = archived->stored.id;
    result.duplicate = archived->duplicate;
    result.control_id_reused = archived->control_id_reused;
    result.ack = std::move(archived->stored.ack);
    if (!archived->duplicate) {
      result.unmapped = p.mapping.outcome == MessageMapping::Outcome::kUnmapped &&
                        p.request.status == MessageStatus::kAccepted;
      result.mapping_failed =
          p.mapping.outcome == MessageMapping::Outcome::kFailed || !archived->effect_error.is_ok();
      if (p.mapping.written && archived->effect_error.is_ok() &&
          archived->stored.status == MessageStatus::kAccepted) {
        result.written = std::move(*p.mapping.written);
      }
    }
  }
  result.ack_code = hl7::ack_code_of(result.ack);
  return result;
}

void Hl7Ingest::ingest(std::string raw, const Hl7Peer& peer, RejectAllowance* rejects, Done done) {
  if (looks_like_x12(raw)) {
    x12_->ingest(std::move(raw), peer, rejects, std::move(done));
    return;
  }
  std::shared_ptr<Pending> pending = prepare(std::move(raw), peer, rejects);
  if (!pending->archive) {
    done(finish(*pending, Status(Code::kUnavailable, "not archived")));
    return;
  }
  std::shared_ptr<const storage::ArchiveRequest> request(pending, &pending->request);
  archive_.archive(std::move(request), [pending = std::move(pending), done = std::move(done)](
                                           Result<storage::ArchiveOutcome> archived) mutable {
    done(finish(*pending, std::move(archived)));
  });
}

Hl7IngestResult Hl7Ingest::reject_oversize(std::string_view head, std::uint64_t limit_bytes) const {
  hl7::AckOptions options;
  options.control_id = ack_control_id();
  options.timestamp = hl7_timestamp(clock_.now_micros());
  hl7::ParseError error;
  error.code = hl7::ErrorCode::kApplicationInternalError;
  error.message = "message longer than " + std::to_string(limit_bytes) +
                  " bytes (the receiver's --mllp-max-message); it was not stored";
  hl7::LooseHeader h = hl7::read_loose_header(head);
  Hl7IngestResult result;
  result.ack = hl7::build_reject_ack(head, error, options);
  result.ack_code = hl7::ack_code_of(result.ack);
  result.control_id = std::move(h.control_id);
  result.message_type = std::move(h.message_type);
  return result;
}

Hl7IngestResult ingest_and_wait(Hl7Ingest& ingest, std::string raw, const Hl7Peer& peer) {
  std::promise<Hl7IngestResult> promise;
  std::future<Hl7IngestResult> result = promise.get_future();
  ingest.ingest(std::move(raw), peer, nullptr,
                [&promise](Hl7IngestResult r) { promise.set_value(std::move(r)); });
  return result.get();
}

}  // namespace hearth::api
