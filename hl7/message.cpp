// Message parsing, path access and edits. The parse is one scan (segment_scanner) plus a few
// header checks; everything else reads the offset tables.
#include "hl7/message.h"

#include <array>

#include "hl7/escape.h"
#include "hl7/piece.h"

namespace hearth::hl7 {
namespace {

constexpr std::array<std::string_view, 13> kVersions = {"2.1", "2.2",   "2.3",  "2.3.1", "2.4",
                                                        "2.5", "2.5.1", "2.6",  "2.7",   "2.7.1",
                                                        "2.8", "2.8.1", "2.8.2"};

Status fail(ParseError* out, ErrorCode code, ErrorLocation location, std::string message) {
  ParseError error{code, std::move(location), std::move(message)};
  Status status = to_status(error);
  if (out != nullptr) *out = std::move(error);
  return status;
}

// Length of a UTF-8 BOM and line breaks before the first segment.
std::size_t prefix_length(std::string_view text) {
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < text.size() && (text[i] == '\r' || text[i] == '\n')) ++i;
  return i;
}

}  // namespace

bool is_supported_version(std::string_view version) {
  for (std::string_view v : kVersions) {
    if (v == version) return true;
  }
  return false;
}

Result<Message> Message::parse(std::string_view text, ParseError* error) {
  std::size_t consumed = 0;
  return parse_part(text, false, 1, &consumed, error);
}

Result<Message> Message::parse_owned(std::string text, ParseError* error) {
  auto owned = std::make_unique<std::string>(std::move(text));
  auto parsed = parse(*owned, error);
  if (parsed.is_ok()) parsed->owned_ = std::move(owned);
  return parsed;
}

Result<Message> Message::parse_part(std::string_view text, bool in_batch, int first_sequence,
                                    std::size_t* consumed, ParseError* error) {
  if (text.size() >= UINT32_MAX) {
    return fail(error, ErrorCode::kApplicationInternalError, {}, "message larger than 4 GB");
  }
  Message m;
  std::size_t skip = in_batch ? 0 : prefix_length(text);
  m.prefix_ = text.substr(0, skip);
  std::string_view body = text.substr(skip);
  if (body.substr(0, 3) != "MSH") {
    std::string seen(body.substr(0, std::min<std::size_t>(body.find_first_of("|\r\n"), 8)));
    return fail(error, ErrorCode::kSegmentSequenceError, {seen, first_sequence, 0, 0, 0, 0},
                "message does not start with an MSH segment");
  }
  ParseError delimiter_error;
  if (!parse_delimiters(body, &m.delimiters_, &delimiter_error)) {
    delimiter_error.location.segment_sequence = first_sequence;
    Status status = to_status(delimiter_error);
    if (error != nullptr) *error = std::move(delimiter_error);
    return status;
  }
  // Most segments have 5-25 fields; reserving from the size avoids regrowth in the scan.
  m.segments_.reserve(body.size() / 80 + 4);
  m.fields_.reserve(body.size() / 10 + 16);
  detail::ScanOptions options;
  options.stop_at_envelope = in_batch;
  options.first_sequence = first_sequence;
  std::size_t used = 0;
  ParseError scan_error;
  if (!detail::scan_segments(body, m.delimiters_, options, m.segments_, m.fields_, &used,
                             &scan_error)) {
    Status status = to_status(scan_error);
    if (error != nullptr) *error = std::move(scan_error);
    return status;
  }
  m.body_ = body.substr(0, used);
  *consumed = skip + used;
  HEARTH_RETURN_IF_ERROR(m.validate_header(error));
  std::string_view charset = m.field(0, 18).raw;
  charset = detail::nth_piece(charset, m.delimiters_.repetition, 0).value_or(charset);
  m.charset_ = charset_from_msh18(charset);
  return m;
}

Status Message::validate_header(ParseError* error) const {
  if (field(0, 9).raw.empty()) {
    return fail(error, ErrorCode::kRequiredFieldMissing, {"MSH", 1, 9, 0, 0, 0},
                "MSH-9 (message type) is empty");
  }
  std::string_view version = this->version();
  if (version.empty()) {
    return fail(error, ErrorCode::kRequiredFieldMissing, {"MSH", 1, 12, 0, 0, 0},
                "MSH-12 (version id) is empty");
  }
  if (!is_supported_version(version)) {
    return fail(error, ErrorCode::kUnsupportedVersionId, {"MSH", 1, 12, 0, 0, 0},
                "unsupported HL7 version '" + std::string(version.substr(0, 20)) + "'");
  }
  return Status::ok();
}

std::string_view Message::buffer(std::uint32_t index) const {
  return index == 0 ? body_ : std::string_view(*edits_[index - 1]);
}

std::string_view Message::version() const {
  std::string_view raw = field(0, 12).raw;
  return detail::nth_piece(raw, delimiters_.component, 0).value_or(raw);
}

std::string_view Message::message_code() const {
  return detail::nth_piece(field(0, 9).raw, delimiters_.component, 0).value_or("");
}

std::string_view Message::trigger_event() const {
  return detail::nth_piece(field(0, 9).raw, delimiters_.component, 1).value_or("");
}

std::string_view Message::control_id() const {
  return field(0, 10).raw;
}

std::string_view Message::segment_id(std::size_t index) const {
  const auto& r = segments_[index];
  return buffer(r.buffer).substr(r.begin, 3);
}

std::string_view Message::segment_text(std::size_t index) const {
  const auto& r = segments_[index];
  return buffer(r.buffer).substr(r.begin, r.end - r.begin);
}

int Message::field_count(std::size_t index) const {
  const auto& r = segments_[index];
  return static_cast<int>(r.field_count) - 1 + (r.header ? 1 : 0);
}

FieldValue Message::field(std::size_t index, int number) const {
  const auto& r = segments_[index];
  std::string_view buf = buffer(r.buffer);
  if (r.header) {
    if (number == 1) return {buf.substr(r.begin + 3, 1), true};
    --number;
  }
  if (number < 1 || static_cast<std::uint32_t>(number) >= r.field_count) return {};
  const auto& span = fields_[r.first_field + static_cast<std::uint32_t>(number)];
  return {buf.substr(span.begin, span.end - span.begin), true};
}

std::optional<std::size_t> Message::find_segment(std::string_view id, int occurrence) const {
  int seen = 0;
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    if (segment_id(i) == id && ++seen == occurrence) return i;
  }
  return std::nullopt;
}

Result<FieldValue> Message::get(const Path& path) const {
  auto index = find_segment(path.segment, path.occurrence);
  if (!index) {
    return Status(
        Code::kNotFound,
        "no segment " + path.segment + "[" + std::to_string(path.occurrence) + "] in the message",
        path.to_string(), "not-found");
  }
  FieldValue value = field(*index, path.field);
  if (!value.present || (path.repetition == 0 && path.component == 0)) return value;
  if (segments_[*index].header && path.field <= 2) {
    // MSH-1 and MSH-2 hold the delimiters themselves: never split.
    if (path.repetition <= 1 && path.component <= 1 && path.subcomponent <= 1) return value;
    return FieldValue{};
  }
  auto piece =
      detail::nth_piece(value.raw, delimiters_.repetition,
                        static_cast<std::size_t>(path.repetition > 0 ? path.repetition - 1 : 0));
  if (piece && path.component > 0) {
    piece = detail::nth_piece(*piece, delimiters_.component,
                              static_cast<std::size_t>(path.component - 1));
    if (piece && path.subcomponent > 0) {
      piece = detail::nth_piece(*piece, delimiters_.subcomponent,
                                static_cast<std::size_t>(path.subcomponent - 1));
    }
  }
  if (!piece) return FieldValue{};
  return FieldValue{*piece, true};
}

Result<FieldValue> Message::get(std::string_view path) const {
  auto parsed = parse_path(path);
  if (!parsed) return parsed.status();
  return get(*parsed);
}

std::string_view Message::decode(std::string_view raw, std::string& buffer) const {
  if (!has_escapes(raw, delimiters_) && !needs_utf8_conversion(charset_, raw)) return raw;
  buffer.clear();
  decode_value(raw, delimiters_, charset_, buffer);
  return buffer;
}

Result<std::string_view> Message::get_decoded(const Path& path, std::string& buffer) const {
  auto value = get(path);
  if (!value) return value.status();
  return decode(value->raw, buffer);
}

Result<std::string> Message::get_text(std::string_view path) const {
  auto parsed = parse_path(path);
  if (!parsed) return parsed.status();
  std::string buffer;
  auto decoded = get_decoded(*parsed, buffer);
  if (!decoded) return decoded.status();
  return std::string(*decoded);
}

Status Message::set(const Path& path, std::string_view text) {
  return set_raw(path, encode_value(text, delimiters_));
}

Status Message::set(std::string_view path, std::string_view text) {
  auto parsed = parse_path(path);
  if (!parsed) return parsed.status();
  return set(*parsed, text);
}

Status Message::set_raw(const Path& path, std::string_view raw) {
  if (raw.find_first_of("\r\n") != std::string_view::npos) {
    return Status(Code::kInvalidArgument, "a value cannot hold a line break", path.to_string());
  }
  auto index = find_segment(path.segment, path.occurrence);
  if (!index) {
    return Status(Code::kNotFound, "no segment " + path.segment + " to set", path.to_string());
  }
  const detail::SegmentRecord record = segments_[*index];
  std::size_t piece_index = static_cast<std::size_t>(path.field);
  if (record.header) {
    if (path.field <= 2) {
      return Status(Code::kInvalidArgument, "the delimiters (MSH-1, MSH-2) cannot be set",
                    path.to_string());
    }
    --piece_index;
  }
  const Delimiters& d = delimiters_;
  auto set_sub = [&](std::string_view component) -> std::string {
    if (path.subcomponent == 0) return std::string(raw);
    return detail::replace_piece(component, d.subcomponent,
                                 static_cast<std::size_t>(path.subcomponent - 1),
                                 [&](std::string_view) { return std::string(raw); });
  };
  auto set_component = [&](std::string_view repetition) -> std::string {
    if (path.component == 0) return std::string(raw);
    return detail::replace_piece(repetition, d.component,
                                 static_cast<std::size_t>(path.component - 1), set_sub);
  };
  auto set_field = [&](std::string_view field) -> std::string {
    if (path.repetition == 0 && path.component == 0) return std::string(raw);
    std::size_t rep = static_cast<std::size_t>(path.repetition > 0 ? path.repetition - 1 : 0);
    return detail::replace_piece(field, d.repetition, rep, set_component);
  };
  std::string text = detail::replace_piece(segment_text(*index), d.field, piece_index, set_field);
  // Re-scan the new text so the tables stay the single source of truth.
  std::vector<detail::SegmentRecord> one;
  std::size_t first_field = fields_.size();
  std::size_t used = 0;
  ParseError scan_error;
  detail::ScanOptions options;
  if (!detail::scan_segments(text, d, options, one, fields_, &used, &scan_error) ||
      one.size() != 1) {
    fields_.resize(first_field);
    return Status(Code::kInvalidArgument, "value breaks the segment structure", path.to_string());
  }
  edits_.push_back(std::make_unique<std::string>(std::move(text)));
  one[0].buffer = static_cast<std::uint32_t>(edits_.size());
  segments_[*index] = one[0];
  modified_ = true;
  return Status::ok();
}

Status Message::add_segment(std::string_view segment_id) {
  if (!detail::valid_segment_id(segment_id) || detail::is_envelope_id(segment_id)) {
    return Status(Code::kInvalidArgument, "cannot add a segment '" + std::string(segment_id) + "'");
  }
  detail::SegmentRecord record;
  record.begin = 0;
  record.end = record.terminator_end = 3;
  record.first_field = static_cast<std::uint32_t>(fields_.size());
  record.field_count = 1;
  fields_.push_back({0, 3});
  edits_.push_back(std::make_unique<std::string>(segment_id));
  record.buffer = static_cast<std::uint32_t>(edits_.size());
  segments_.push_back(record);
  modified_ = true;
  return Status::ok();
}

void Message::write_to(std::string& out) const {
  if (!modified_) {
    out.append(prefix_);
    for (const auto& r : segments_) out.append(body_.substr(r.begin, r.terminator_end - r.begin));
    return;
  }
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    out.append(segment_text(i));
    out += '\r';
  }
}

std::string Message::write() const {
  std::string out;
  out.reserve(prefix_.size() + body_.size() + 64);
  write_to(out);
  return out;
}

}  // namespace hearth::hl7
