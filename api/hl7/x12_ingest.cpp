// X12 ingest: every acknowledgment the store may send is built before it is asked (the 999 as
// the syntax check decided it, and the one rejecting the mapped sets should their resources fail
// to be written); the store picks one inside its transaction, so the archived ack is the one sent.
#include "api/hl7/x12_ingest.h"

#include <optional>
#include <utility>
#include <vector>

#include "api/hl7/x12_mapping.h"
#include "core/time_format.h"
#include "hl7/x12/ack.h"
#include "hl7/x12/document.h"

namespace hearth::api {
namespace {

namespace x12 = hl7::x12;
using storage::MessageStatus;

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

// "A" every set accepted, "R" none, "P" some.
std::string summary_code(const std::vector<x12::InterchangeAck>& acks) {
  std::size_t received = 0, accepted = 0;
  for (const x12::InterchangeAck& ack : acks) {
    for (const x12::GroupAck& group : ack.groups) {
      received += group.received;
      accepted += group.accepted;
    }
  }
  if (accepted == 0) return "R";
  return accepted == received ? "A" : "P";
}

// The acks with every accepted set rejected: what is sent when the sets' FHIR side fails.
std::vector<x12::InterchangeAck> rejecting_accepted(std::vector<x12::InterchangeAck> acks) {
  for (x12::InterchangeAck& ack : acks) {
    for (x12::GroupAck& group : ack.groups) {
      for (x12::TransactionAck& t : group.transactions) {
        if (t.code == 'R') continue;
        t.code = 'R';
        t.errors = {std::string(x12::ik5::kSegmentsInError)};
      }
      group.accepted = 0;
      group.code = 'R';
    }
  }
  return acks;
}

}  // namespace

bool looks_like_x12(std::string_view raw) {
  if (raw.starts_with("\xEF\xBB\xBF")) raw.remove_prefix(3);
  while (!raw.empty() && (raw.front() == '\r' || raw.front() == '\n' || raw.front() == ' ' ||
                          raw.front() == '\t')) {
    raw.remove_prefix(1);
  }
  return raw.starts_with("ISA");
}

X12Ingest::X12Ingest(storage::MessageArchive& archive, const Clock& clock, IdGenerator& ids,
                     const Hl7MappingContext* mapping, storage::ReusedControlId on_reused)
    : archive_(archive), clock_(clock), ids_(ids), mapping_(mapping), on_reused_(on_reused) {}

// One interchange file between its arrival and its acknowledgment; the parsed document borrows
// request.raw, so the Pending is heap-allocated and never moved.
struct X12Ingest::Pending {
  storage::ArchiveRequest request;
  std::optional<x12::Document> document;
  std::string code;     // summary_code of the ack stored with the request
  bool archive = true;  // false: an unreadable payload over the connection's allowance
  MessageMapping mapping;
};

std::shared_ptr<X12Ingest::Pending> X12Ingest::prepare(std::string raw_text, const Hl7Peer& peer,
                                                       RejectAllowance* rejects) const {
  auto pending = std::make_shared<Pending>();
  Pending& p = *pending;
  storage::ArchiveRequest& request = p.request;
  request.peer = std::string(peer.address);
  request.sender_identity = std::string(peer.identity);
  request.raw = std::move(raw_text);
  request.on_reused = on_reused_;
  Result<x12::Document> parsed = x12::Document::parse(std::string_view(request.raw));
  if (!parsed.is_ok()) {
    request.status = MessageStatus::kRejected;
    request.message_type = "X12";
    request.note = "not X12: " + parsed.status().message();
    p.archive = rejects == nullptr || rejects->take(clock_.now_micros());
    return pending;
  }
  p.document.emplace(std::move(parsed).value());
  const x12::Document& doc = *p.document;
  const x12::Interchange& first = doc.interchanges().front();
  request.sender =
      std::string(trim(first.sender_qualifier)) + ":" + std::string(trim(first.sender));
  request.control_id = std::string(first.control_number);
  request.message_type = "X12";
  if (!first.groups.empty()) {
    request.version = std::string(first.groups.front().version);
    if (!first.groups.front().transactions.empty()) {
      request.message_type = std::string(first.groups.front().transactions.front().set_id);
    }
  }

  // The acknowledgment envelope: a fresh ISA13 from the id generator, the clock's date.
  // Its last hex digits (a UUIDv7's counter and random part), as 9 decimal digits.
  std::uint64_t number = 0;
  for (char c : ids_.next_id()) {
    const char lower = static_cast<char>(c | 0x20);
    if (c >= '0' && c <= '9') {
      number = (number * 16 + static_cast<std::uint64_t>(c - '0')) % 1'000'000'000'000;
    } else if (lower >= 'a' && lower <= 'f') {
      number = (number * 16 + static_cast<std::uint64_t>(lower - 'a' + 10)) % 1'000'000'000'000;
    }
  }
  const std::string instant = format_instant(clock_.now_micros());  // 2026-11-23T18:15:20...Z
  x12::AckEnvelope envelope;
  envelope.control_number = std::to_string(number % 1'000'000'000);
  envelope.date = instant.substr(0, 4) + instant.substr(5, 2) + instant.substr(8, 2);
  envelope.time = instant.substr(11, 2) + instant.substr(14, 2);

  std::vector<x12::InterchangeAck> acks;
  std::vector<X12SetRef> accepted;
  for (std::size_t i = 0; i < doc.interchanges().size(); ++i) {
    acks.push_back(x12::acknowledge(doc, i));
    const x12::InterchangeAck& ack = acks.back();
    for (std::size_t g = 0; g < ack.groups.size(); ++g) {
      for (std::size_t t = 0; t < ack.groups[g].transactions.size(); ++t) {
        if (ack.groups[g].transactions[t].code != 'R') accepted.push_back(X12SetRef{i, g, t});
      }
    }
  }
  auto render = [&doc, &envelope](const std::vector<x12::InterchangeAck>& list) {
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      out += x12::write_acknowledgment(doc, i, list[i], envelope);
    }
    return out;
  };
  request.ack = render(acks);
  p.code = summary_code(acks);
  if (p.code == "R") {
    request.status = MessageStatus::kRejected;
    request.note = "rejected by its " + std::string(acks.front().rejected ? "TA1" : "999");
    return pending;
  }
  if (p.code == "P") request.note = "partly accepted: the 999 rejects some transaction sets";
  if (mapping_ == nullptr) return pending;

  p.mapping =
      map_x12(doc, accepted, request.message_type, request.sender, request.control_id, *mapping_);
  switch (p.mapping.outcome) {
    case MessageMapping::Outcome::kMapped:
      request.effect = std::move(p.mapping.effect);
      request.effect_failed_ack = render(rejecting_accepted(acks));
      if (!p.mapping.errors.empty()) {
        if (!request.note.empty()) request.note += "; ";
        request.note += std::to_string(p.mapping.errors.size()) +
                        " values left out of the resources (first: " +
                        p.mapping.errors.front().location.segment_id + " at segment " +
                        std::to_string(p.mapping.errors.front().location.segment_sequence) + ": " +
                        p.mapping.errors.front().diagnostics + ")";
      }
      break;
    case MessageMapping::Outcome::kUnmapped: request.note = p.mapping.note; break;
    case MessageMapping::Outcome::kFailed:
      request.status = MessageStatus::kError;
      request.note = p.mapping.note;
      request.ack = render(rejecting_accepted(acks));
      p.code = "R";
      break;
  }
  return pending;
}

Hl7IngestResult X12Ingest::finish(Pending& p, Result<storage::ArchiveOutcome> archived) {
  Hl7IngestResult result;
  result.control_id = p.request.control_id;
  result.message_type = p.request.message_type;
  if (!archived.is_ok()) {
    result.store_error = archived.status().message();
    result.hang_up = true;
    return result;
  }
  result.archive_id = archived->stored.id;
  if (!p.document) {
    result.hang_up = true;
    return result;
  }
  result.duplicate = archived->duplicate;
  result.control_id_reused = archived->control_id_reused;
  result.ack = std::move(archived->stored.ack);
  result.ack_code = p.code;
  if (archived->duplicate) {
    result.ack_code = archived->stored.status == MessageStatus::kAccepted ? "A" : "R";
    return result;
  }
  result.unmapped = p.mapping.outcome == MessageMapping::Outcome::kUnmapped &&
                    p.request.status == MessageStatus::kAccepted && !p.request.effect;
  result.mapping_failed =
      p.mapping.outcome == MessageMapping::Outcome::kFailed || !archived->effect_error.is_ok();
  if (!archived->effect_error.is_ok()) result.ack_code = "R";
  if (p.mapping.written && archived->effect_error.is_ok() &&
      archived->stored.status == MessageStatus::kAccepted) {
    result.written = std::move(*p.mapping.written);
  }
  return result;
}

void X12Ingest::ingest(std::string raw, const Hl7Peer& peer, RejectAllowance* rejects,
                       Hl7Ingest::Done done) {
  std::shared_ptr<Pending> pending = prepare(std::move(raw), peer, rejects);
  if (!pending->archive) {
    Hl7IngestResult result;
    result.message_type = pending->request.message_type;
    result.hang_up = true;
    done(std::move(result));
    return;
  }
  std::shared_ptr<const storage::ArchiveRequest> request(pending, &pending->request);
  archive_.archive(std::move(request), [pending = std::move(pending), done = std::move(done)](
                                           Result<storage::ArchiveOutcome> archived) mutable {
    done(finish(*pending, std::move(archived)));
  });
}

}  // namespace hearth::api
