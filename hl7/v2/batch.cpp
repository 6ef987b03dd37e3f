// Batch grammar as a small state machine over segment starts; messages are parsed in place by
// Message::parse_part, which stops at the next envelope segment.
#include "hl7/v2/batch.h"

#include "hl7/v2/piece.h"

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

// Reads one segment at a time; each envelope kind has its own rule.
class BatchReader {
 public:
  BatchReader(std::string_view text, Batch& batch, ParseError* error)
      : text_(text), batch_(batch), error_(error) {}

  Status run(std::size_t pos, std::string_view& prefix);

 private:
  Status header(std::string_view id);
  Status trailer(std::string_view id);
  Status message();

  std::string_view text_;
  Batch& batch_;
  ParseError* error_;
  std::size_t pos_ = 0;
  Delimiters d_;
  bool batch_open_ = false;  // a BHS without its BTS yet
  bool file_closed_ = false;
  int sequence_ = 1;
};

Status BatchReader::run(std::size_t pos, std::string_view& prefix) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (pos < text_.size() && (text_[pos] == '\r' || text_[pos] == '\n')) ++pos;
  prefix = text_.substr(0, pos);
  pos_ = pos;
  while (pos_ < text_.size()) {
    std::string_view rest = text_.substr(pos_);
    std::string_view id = rest.substr(0, 3);
    if (file_closed_) return fail(error_, id, sequence_, "segment after FTS");
    if (id == "FHS" || id == "BHS") {
      HEARTH_RETURN_IF_ERROR(header(id));
    } else if (id == "BTS" || id == "FTS") {
      HEARTH_RETURN_IF_ERROR(trailer(id));
    } else if (id == "MSH") {
      HEARTH_RETURN_IF_ERROR(message());
    } else {
      std::string_view seen = rest.substr(0, std::min(rest.find_first_of("|\r\n"), rest.size()));
      return fail(error_, seen, sequence_,
                  "segment '" + std::string(seen.substr(0, 8)) + "' before any MSH");
    }
  }
  if (batch_.message_count() == 0) return fail(error_, "", sequence_, "no MSH segment");
  return Status::ok();
}

Status BatchReader::header(std::string_view id) {
  ParseError delimiter_error;
  if (!parse_delimiters(text_.substr(pos_), &d_, &delimiter_error)) {
    delimiter_error.location.segment_id = std::string(id);
    delimiter_error.location.segment_sequence = sequence_;
    Status status = to_status(delimiter_error);
    if (error_ != nullptr) *error_ = std::move(delimiter_error);
    return status;
  }
  if (id == "FHS") {
    if (batch_.file_header_ || sequence_ != 1) {
      return fail(error_, id, sequence_, "FHS is allowed only as the first segment");
    }
    batch_.file_header_ = read_envelope(text_, pos_, d_);
  } else {
    if (batch_open_) return fail(error_, id, sequence_, "BHS inside an open batch (no BTS)");
    batch_.groups_.emplace_back();
    batch_.groups_.back().header = read_envelope(text_, pos_, d_);
    batch_open_ = true;
  }
  ++sequence_;
  return Status::ok();
}

Status BatchReader::trailer(std::string_view id) {
  if (id == "BTS") {
    // A BTS may close messages that had no BHS (seen in real files); it closes that group.
    if (!batch_open_ && (batch_.groups_.empty() || batch_.groups_.back().trailer)) {
      return fail(error_, id, sequence_, "BTS without a batch to close");
    }
    batch_.groups_.back().trailer = read_envelope(text_, pos_, d_);
  } else {
    batch_.file_trailer_ = read_envelope(text_, pos_, d_);  // BTS is optional before FTS
    file_closed_ = true;
  }
  batch_open_ = false;
  ++sequence_;
  return Status::ok();
}

Status BatchReader::message() {
  std::size_t used = 0;
  auto parsed = Message::parse_part(text_.substr(pos_), true, sequence_, &used, error_);
  if (!parsed) return parsed.status();
  sequence_ += static_cast<int>(parsed->segment_count());
  auto& groups = batch_.groups_;
  if (!batch_open_ && (groups.empty() || groups.back().header || groups.back().trailer)) {
    groups.emplace_back();
  }
  groups.back().messages.push_back(std::move(*parsed));
  pos_ += used;
  return Status::ok();
}

Result<Batch> Batch::parse(std::string_view text, ParseError* error) {
  Batch batch;
  BatchReader reader(text, batch, error);
  HEARTH_RETURN_IF_ERROR(reader.run(0, batch.prefix_));
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
