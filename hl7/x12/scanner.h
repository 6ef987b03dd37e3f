// The one pass over an interchange's bytes: splits it into segments at the segment terminator
// (line breaks, spaces and tabs after a terminator belong to it) and each segment into elements at
// the element separator, as offset tables. Components and repetitions are found later, on access.
// Bytes the hot loop cannot accept silently (control characters inside a segment, an element over
// the length bound, too many elements) become syntax notes for the envelope pass. Internal to
// hl7/x12.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hl7/x12/delimiters.h"
#include "hl7/x12/document.h"

namespace hearth::hl7::x12::detail {

// A problem inside one segment, found while scanning.
struct SyntaxNote {
  std::uint32_t segment;  // document segment index
  int element;            // 1-based; 0 = the segment as a whole
  std::string_view code;  // ik4::kInvalidCharacter, kTooLong, kTooManyElements
  std::uint32_t offset;   // byte offset of the offending byte or element
};

enum class ScanEnd {
  kTrailer,     // stopped after the IEA segment
  kNextHeader,  // stopped before an ISA segment (this interchange has no IEA)
  kEndOfText,   // ran out of bytes without IEA
};

// Scans from `start` (the first byte of this interchange's ISA) with delimiters `d`, appending
// to `segments` and `element_ends`. Returns how the interchange ended; `*end` receives the offset
// scanning stopped at. Fails (returns false) only when the segment bound is exceeded.
bool scan_interchange(std::string_view text, std::size_t start, const Delimiters& d,
                      const Limits& limits, std::vector<SegmentRecord>& segments,
                      std::vector<std::uint32_t>& element_ends, std::vector<SyntaxNote>& notes,
                      std::size_t* end, ScanEnd* how);

// True for a syntactically valid segment id: 2 or 3 characters, an upper-case letter then
// upper-case letters or digits.
bool valid_segment_id(std::string_view id);

}  // namespace hearth::hl7::x12::detail
