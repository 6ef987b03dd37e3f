// The four X12 delimiters of one interchange, read from its ISA segment: the element separator
// (the byte after "ISA"), the repetition separator (ISA11, from version 00402 on), the component
// separator (ISA16) and the segment terminator (the byte after ISA16). Any byte that is not a
// letter, a digit or a space may serve (a line feed may end segments), provided the four differ.
#pragma once

#include <cstddef>
#include <string_view>

namespace hearth::hl7::x12 {

struct Delimiters {
  char element = '*';
  char repetition = '\0';  // '\0': none (versions before 00402, or ISA11 is a letter)
  char component = ':';
  char segment = '~';
};

// Where each of the 16 ISA elements lies in the text, and the delimiters they imply.
struct IsaLayout {
  Delimiters delimiters;
  std::string_view elements[17];  // [1..16]; [0] is "ISA"
  std::size_t length = 0;         // bytes from "ISA" through the segment terminator
  // The first element (1..16) whose width differs from the fixed ISA layout (106 bytes), or 0.
  int first_misfit_element = 0;
};

enum class IsaProblem {
  kNone,
  kNotIsa,                 // the text does not start with "ISA"
  kBadElementSeparator,    // a letter, digit, space or line break after "ISA"
  kTruncated,              // fewer than 16 elements before the end of the text
  kBadComponentSeparator,  // ISA16 is not one usable byte
  kBadSegmentTerminator,   // no usable terminator after ISA16, or two delimiters are equal
};

// Reads the ISA segment at the start of `text`. The 16 elements are located by the element
// separator rather than by fixed offsets, so a header whose widths are wrong is still read (the
// width error is reported through first_misfit_element, which the caller turns into a TA1 note).
IsaProblem read_isa(std::string_view text, IsaLayout* out);

// True when `c` may be a delimiter: not a letter, digit or space (and not NUL).
bool usable_delimiter(char c);

}  // namespace hearth::hl7::x12
