// The hot loop: one table lookup per byte, one 4-byte push per element (its end), no allocation
// beyond the tables' growth.
#include "hl7/x12/scanner.h"

#include <algorithm>
#include <array>

namespace hearth::hl7::x12::detail {

bool valid_segment_id(std::string_view id) {
  if (id.size() < 2 || id.size() > 3) return false;
  if (id[0] < 'A' || id[0] > 'Z') return false;
  for (std::size_t i = 1; i < id.size(); ++i) {
    const char c = id[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool scan_interchange(std::string_view text, std::size_t start, const Delimiters& d,
                      const Limits& limits, std::vector<SegmentRecord>& segments,
                      std::vector<std::uint32_t>& element_ends, std::vector<SyntaxNote>& notes,
                      std::size_t* end, ScanEnd* how) {
  enum : std::uint8_t { kData = 0, kElement = 1, kTerminator = 2, kControl = 3 };
  std::array<std::uint8_t, 256> cls{};
  for (int c = 0; c < 0x20; ++c) cls[c] = kControl;
  cls[0x7f] = kControl;
  cls[static_cast<unsigned char>(d.element)] = kElement;
  cls[static_cast<unsigned char>(d.segment)] = kTerminator;
  // A line feed that ends segments may come as CR LF: the CR belongs to the terminator.
  if (d.segment == '\n') cls['\r'] = kTerminator;
  const char* p = text.data();
  const std::size_t n = text.size();
  const std::size_t max_len = limits.max_element_length;
  std::size_t i = start;
  while (i < n) {
    if (segments.size() >= limits.max_segments) {
      *end = i;
      return false;
    }
    SegmentRecord rec;
    rec.begin = static_cast<std::uint32_t>(i);
    rec.first_element = static_cast<std::uint32_t>(element_ends.size());
    const auto seg_index = static_cast<std::uint32_t>(segments.size());
    std::size_t element_begin = i;
    while (i < n) {
      const std::uint8_t k = cls[static_cast<unsigned char>(p[i])];
      if (k == kData) {
        ++i;
      } else if (k == kElement) {
        if (i - element_begin > max_len) {
          notes.push_back(SyntaxNote{seg_index,
                                     static_cast<int>(element_ends.size() - rec.first_element),
                                     ik4::kTooLong, static_cast<std::uint32_t>(element_begin)});
        }
        element_ends.push_back(static_cast<std::uint32_t>(i));
        element_begin = ++i;
      } else if (k == kTerminator) {
        break;
      } else {
        notes.push_back(SyntaxNote{seg_index,
                                   static_cast<int>(element_ends.size() - rec.first_element),
                                   ik4::kInvalidCharacter, static_cast<std::uint32_t>(i)});
        ++i;
      }
    }
    if (i - element_begin > max_len) {
      notes.push_back(SyntaxNote{seg_index,
                                 static_cast<int>(element_ends.size() - rec.first_element),
                                 ik4::kTooLong, static_cast<std::uint32_t>(element_begin)});
    }
    element_ends.push_back(static_cast<std::uint32_t>(i));
    rec.element_count = static_cast<std::uint32_t>(element_ends.size()) - rec.first_element;
    if (rec.element_count - 1 > limits.max_elements) {
      notes.push_back(
          SyntaxNote{seg_index, 0, ik4::kTooManyElements, static_cast<std::uint32_t>(rec.begin)});
    }
    const std::string_view id(p + rec.begin, element_ends[rec.first_element] - rec.begin);
    if (id == "ISA" && rec.begin != start) {
      // A new interchange begins before this one's IEA.
      element_ends.resize(rec.first_element);
      notes.erase(std::remove_if(notes.begin(), notes.end(),
                                 [&](const SyntaxNote& note) { return note.segment == seg_index; }),
                  notes.end());
      *end = rec.begin;
      *how = ScanEnd::kNextHeader;
      return true;
    }
    const bool terminated = i < n;
    if (terminated) ++i;
    while (i < n && (p[i] == '\r' || p[i] == '\n' || p[i] == ' ' || p[i] == '\t')) ++i;
    rec.terminator_end = static_cast<std::uint32_t>(i);
    segments.push_back(rec);
    if (id == "IEA" && terminated) {
      *end = i;
      *how = ScanEnd::kTrailer;
      return true;
    }
  }
  *end = n;
  *how = ScanEnd::kEndOfText;
  return true;
}

}  // namespace hearth::hl7::x12::detail
