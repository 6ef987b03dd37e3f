// A location inside a message written the HL7 way, 1-based: "PID-3[2].1.1" is the first
// subcomponent of the first component of the second repetition of PID-3 in the first PID;
// "OBX[3]-5" is OBX-5 of the third OBX. An omitted repetition means the first one when a
// component is named and the whole field (all repetitions) otherwise.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace hearth::hl7 {

struct Path {
  std::string segment;   // "PID"
  int occurrence = 1;    // which PID (1 = first)
  int field = 0;         // 1..n
  int repetition = 0;    // 0 = not given
  int component = 0;     // 0 = whole repetition
  int subcomponent = 0;  // 0 = whole component

  std::string to_string() const;
};

// Parses "SEG[occ]-field[rep].comp.sub"; kInvalidArgument on anything else (a segment id that is
// not 3 letters/digits, a zero or missing number, trailing text).
Result<Path> parse_path(std::string_view text);

}  // namespace hearth::hl7
