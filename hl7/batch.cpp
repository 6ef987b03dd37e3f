// Batch grammar as a small state machine over segment starts; messages are parsed in place by
// Message::parse_part, which stops at the next envelope segment.
#include "hl7/batch.h"

#include "hl7/piece.h"

namespace hearth::hl7 {
namespace {

Status fail(ParseError* out, std::string_view id, int sequence, std::string message) {
  ParseError error{ErrorCode::kSegmentSequenceError,
                   ErrorLocation{std::string(id.substr(0, 8)), sequence, 0, 0, 0, 0},
                   std::move(message)};
  Status status = to_status(error);
  if (out != nullptr) *out = std::move(error);
  return status;
}

// Reads the envelope segment at `pos`, advancing `pos` past its line breaks.
EnvelopeSegment read_envelope(std::string_view text, std::size_t& pos, const Delimiters& d) {
  std::size_t end = text.find_first_of("\r\n", pos);
  if (end == std::string_view::npos) end = text.size();
  std::size_t after = end;
  while (after < text.size() && (text[after] == '\r' || text[after] == '\n')) ++after;
  EnvelopeSegment seg{text.substr(pos, end - pos), text.substr(end, after - end), d};
  pos = after;
  return seg;
}

}  // namespace

std::string_view EnvelopeSegment::field(int number) const {
  const bool header = id() == "FHS" || id() == "BHS";
  if (header) {
    if (number == 1) return text.size() > 3 ? text.substr(3, 1) : std::string_view();
    --number;
  }
  if (number < 1) return {};
  return detail::nth_piece(text, delimiters.field, static_cast<std::size_t>(number)).value_or("");
}

std::size_t Batch::message_count() const {
  std::size_t n = 0;
  for (const auto& g : groups_) n += g.messages.size();
  return n;
}

Result<Batch> Batch::parse(std::string_view text, ParseError* error) {
  Batch batch;
  std::size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (pos < text.size() && (text[pos] == '\r' || text[pos] == '\n')) ++pos;
  batch.prefix_ = text.substr(0, pos);
  Delimiters d;
  bool batch_open = false;  // a BHS without its BTS yet
  bool file_closed = false;
  int sequence = 1;
  while (pos < text.size()) {
    std::string_view rest = text.substr(pos);
    std::string_view id = rest.substr(0, 3);
    if (file_closed) return fail(error, id, sequence, "segment after FTS");
    if (id == "FHS" || id == "BHS") {
      ParseError delimiter_error;
      if (!parse_delimiters(rest, &d, &delimiter_error)) {
        delimiter_error.location.segment_id = std::string(id);
        delimiter_error.location.segment_sequence = sequence;
        Status status = to_status(delimiter_error);
        if (error != nullptr) *error = std::move(delimiter_error);
        return status;
      }
      if (id == "FHS") {
        if (batch.file_header_ || sequence != 1) {
          return fail(error, id, sequence, "FHS is allowed only as the first segment");
        }
        batch.file_header_ = read_envelope(text, pos, d);
      } else {
        if (batch_open) return fail(error, id, sequence, "BHS inside an open batch (no BTS)");
        batch.groups_.emplace_back();
        batch.groups_.back().header = read_envelope(text, pos, d);
        batch_open = true;
      }
      ++sequence;
    } else if (id == "BTS") {
      // A BTS may close messages that had no BHS (seen in real files); it closes that group.
      if (!batch_open && (batch.groups_.empty() || batch.groups_.back().trailer)) {
        return fail(error, id, sequence, "BTS without a batch to close");
      }
      batch.groups_.back().trailer = read_envelope(text, pos, d);
      batch_open = false;
      ++sequence;
    } else if (id == "FTS") {
      if (batch_open) batch_open = false;  // BTS is optional before FTS
      batch.file_trailer_ = read_envelope(text, pos, d);
      file_closed = true;
      ++sequence;
    } else if (id == "MSH") {
      std::size_t used = 0;
      auto message = Message::parse_part(rest, true, sequence, &used, error);
      if (!message) return message.status();
      sequence += static_cast<int>(message->segment_count());
      if (!batch_open && (batch.groups_.empty() || batch.groups_.back().header ||
                          batch.groups_.back().trailer)) {
        batch.groups_.emplace_back();
      }
      batch.groups_.back().messages.push_back(std::move(*message));
      pos += used;
    } else {
      std::string_view seen = rest.substr(0, std::min(rest.find_first_of("|\r\n"), rest.size()));
      return fail(error, seen, sequence,
                  "segment '" + std::string(seen.substr(0, 8)) + "' before any MSH");
    }
  }
  if (batch.message_count() == 0) return fail(error, "", sequence, "no MSH segment");
  return batch;
}

std::string Batch::write() const {
  std::string out(prefix_);
  auto put = [&out](const std::optional<EnvelopeSegment>& seg) {
    if (seg) {
      out.append(seg->text);
      out.append(seg->terminator);
    }
  };
  put(file_header_);
  for (const auto& group : groups_) {
    put(group.header);
    for (const auto& message : group.messages) {
      message.write_to(out);
    }
    put(group.trailer);
  }
  put(file_trailer_);
  return out;
}

}  // namespace hearth::hl7
