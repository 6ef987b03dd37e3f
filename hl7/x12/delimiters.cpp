// ISA reading: the separators are found by scanning, then the widths are compared with the
// fixed layout (ISA01..ISA16 = 2,10,2,10,2,15,2,15,6,4,1,5,9,1,1,1 bytes).
#include "hl7/x12/delimiters.h"

namespace hearth::hl7::x12 {

namespace {
constexpr int kWidths[17] = {3, 2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1};

bool alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
}  // namespace

bool usable_delimiter(char c) {
  return c != '\0' && c != ' ' && !alnum(c);
}

IsaProblem read_isa(std::string_view text, IsaLayout* out) {
  if (text.size() < 4 || text.substr(0, 3) != "ISA") return IsaProblem::kNotIsa;
  const char element = text[3];
  if (!usable_delimiter(element) || element == '\r' || element == '\n') {
    return IsaProblem::kBadElementSeparator;
  }
  out->elements[0] = text.substr(0, 3);
  std::size_t pos = 4;
  for (int i = 1; i <= 15; ++i) {
    const std::size_t next = text.find(element, pos);
    // ISA elements are short; a separator far away means this is not a header at all.
    if (next == std::string_view::npos || next - pos > 64) return IsaProblem::kTruncated;
    out->elements[i] = text.substr(pos, next - pos);
    pos = next + 1;
  }
  if (pos + 2 > text.size()) return IsaProblem::kTruncated;
  out->elements[16] = text.substr(pos, 1);
  Delimiters d;
  d.element = element;
  d.component = text[pos];
  d.segment = text[pos + 1];
  if (!usable_delimiter(d.component) || d.component == element || d.component == '\r' ||
      d.component == '\n') {
    return IsaProblem::kBadComponentSeparator;
  }
  if (!usable_delimiter(d.segment) || d.segment == element || d.segment == d.component) {
    return IsaProblem::kBadSegmentTerminator;
  }
  const std::string_view version = out->elements[12];
  const std::string_view isa11 = out->elements[11];
  if (version >= "00402" && isa11.size() == 1 && usable_delimiter(isa11[0]) &&
      isa11[0] != element && isa11[0] != d.component && isa11[0] != d.segment) {
    d.repetition = isa11[0];
  }
  out->delimiters = d;
  out->length = pos + 2;
  out->first_misfit_element = 0;
  for (int i = 1; i <= 16; ++i) {
    if (static_cast<int>(out->elements[i].size()) != kWidths[i]) {
      out->first_misfit_element = i;
      break;
    }
  }
  return IsaProblem::kNone;
}

}  // namespace hearth::hl7::x12
