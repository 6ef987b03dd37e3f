// The hot loop: one table lookup per byte, one push per field, no allocation beyond the tables.
#include "hl7/v2/segment_scanner.h"

#include <array>
#include <string>

namespace hearth::hl7::detail {

bool valid_segment_id(std::string_view id) {
  if (id.size() != 3) return false;
  if (id[0] < 'A' || id[0] > 'Z') return false;
  for (int i = 1; i < 3; ++i) {
    char c = id[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool is_envelope_id(std::string_view id) {
  return id == "MSH" || id == "BHS" || id == "FHS" || id == "BTS" || id == "FTS";
}

bool scan_segments(std::string_view text, const Delimiters& d, const ScanOptions& options,
                   std::vector<SegmentRecord>& segments, std::vector<FieldSpan>& fields,
                   std::size_t* consumed, ParseError* error) {
  enum : std::uint8_t { kData = 0, kField = 1, kLine = 2 };
  std::array<std::uint8_t, 256> cls{};
  cls[static_cast<unsigned char>(d.field)] = kField;
  cls['\r'] = kLine;
  cls['\n'] = kLine;
  const char* p = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    SegmentRecord rec;
    rec.begin = static_cast<std::uint32_t>(i);
    rec.first_field = static_cast<std::uint32_t>(fields.size());
    std::size_t field_begin = i;
    while (i < n) {
      std::uint8_t k = cls[static_cast<unsigned char>(p[i])];
      if (k == kData) {
        ++i;
      } else if (k == kField) {
        fields.push_back({static_cast<std::uint32_t>(field_begin), static_cast<std::uint32_t>(i)});
        field_begin = ++i;
      } else {
        break;
      }
    }
    fields.push_back({static_cast<std::uint32_t>(field_begin), static_cast<std::uint32_t>(i)});
    rec.end = static_cast<std::uint32_t>(i);
    while (i < n && (p[i] == '\r' || p[i] == '\n')) ++i;
    rec.terminator_end = static_cast<std::uint32_t>(i);
    rec.field_count = static_cast<std::uint32_t>(fields.size()) - rec.first_field;
    const FieldSpan id_span = fields[rec.first_field];
    std::string_view id(p + id_span.begin, id_span.end - id_span.begin);
    const int sequence = options.first_sequence + static_cast<int>(segments.size());
    if (!valid_segment_id(id)) {
      if (error != nullptr) {
        error->code = ErrorCode::kSegmentSequenceError;
        error->location = ErrorLocation{std::string(id.substr(0, 8)), sequence, 0, 0, 0, 0};
        error->message = "segment " + std::to_string(sequence) + " has an invalid segment id '" +
                         std::string(id.substr(0, 8)) + "'";
      }
      return false;
    }
    if (!segments.empty() && is_envelope_id(id)) {
      if (options.stop_at_envelope) {
        fields.resize(rec.first_field);
        *consumed = rec.begin;
        return true;
      }
      if (error != nullptr) {
        error->code = ErrorCode::kSegmentSequenceError;
        error->location = ErrorLocation{std::string(id), sequence, 0, 0, 0, 0};
        error->message = "unexpected " + std::string(id) + " segment inside a message" +
                         (id == "MSH" ? " (several messages: read them as a batch)" : "");
      }
      return false;
    }
    rec.header = id == "MSH" || id == "BHS" || id == "FHS";
    segments.push_back(rec);
  }
  *consumed = n;
  return true;
}

}  // namespace hearth::hl7::detail
