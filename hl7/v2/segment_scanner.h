// The one pass over a message's bytes: splits it into segments (at CR, LF or CRLF; runs of line
// breaks and blank lines belong to the segment before them) and each segment into fields, as
// offset tables. Repetitions, components and subcomponents are found later, on access, inside
// one field's bytes. Internal to the hl7 layer.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hl7/v2/delimiters.h"
#include "hl7/v2/error_code.h"

namespace hearth::hl7::detail {

// Byte offsets into the buffer the segment lives in (the message text, or an edit buffer).
struct FieldSpan {
  std::uint32_t begin;
  std::uint32_t end;
};

struct SegmentRecord {
  std::uint32_t begin = 0;           // first byte of the segment id
  std::uint32_t end = 0;             // end of the content, before the terminator
  std::uint32_t terminator_end = 0;  // end of the line breaks that follow
  std::uint32_t first_field = 0;     // index of field 0 (the segment id) in the field table
  std::uint32_t field_count = 0;     // entries in the field table, the id included
  std::uint32_t buffer = 0;          // 0: the message text; k: the k-th edit buffer
  bool header = false;               // MSH/BHS/FHS: field 1 is the separator itself
};

struct ScanOptions {
  // Stop before a second MSH or any BHS/BTS/FHS/FTS (batch reading) instead of failing.
  bool stop_at_envelope = false;
  // Added to segment positions in error locations (segments already read in a batch).
  int first_sequence = 1;
};

// Scans `text` from offset 0. On success returns the number of bytes consumed (all of them, or
// up to the envelope segment that stopped the scan). Fails with kSegmentSequenceError when a
// segment id is not three upper-case letters/digits or an envelope segment appears inside a
// message read on its own.
bool scan_segments(std::string_view text, const Delimiters& d, const ScanOptions& options,
                   std::vector<SegmentRecord>& segments, std::vector<FieldSpan>& fields,
                   std::size_t* consumed, ParseError* error);

// True for a valid segment id: [A-Z][A-Z0-9]{2}.
bool valid_segment_id(std::string_view id);

// True for MSH, BHS, FHS, BTS, FTS.
bool is_envelope_id(std::string_view id);

}  // namespace hearth::hl7::detail
